package dev.imperium.uwsgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds a uwsgi request packet: the header and the vars block (uwsgi-docs "The uwsgi protocol"), as nginx's
 * {@code uwsgi_pass} or uWSGI's HTTP router send them. Names and values are encoded as ISO-8859-1 (one byte per char,
 * the inverse of {@link UwsgiVarsParser}). Not thread-safe; use one per packet.
 */
public final class UwsgiVarsEncoder {
    private final ByteArrayOutputStream block = new ByteArrayOutputStream(512);

    /**
     * Appends one var.
     *
     * @param name a non-empty name of at most 65535 chars, each below U+0100
     * @param value a value of at most 65535 chars, each below U+0100
     * @return this
     * @throws IllegalArgumentException if a name or value cannot be encoded
     */
    public UwsgiVarsEncoder add(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a uwsgi var name cannot be empty");
        }
        writeString(name);
        writeString(value);
        return this;
    }

    /** Returns the size of the vars block so far, in bytes. */
    public int blockSize() {
        return block.size();
    }

    /**
     * Returns the whole packet: the 4-byte header with {@code modifier1}/{@code modifier2} and the vars block.
     *
     * @throws IllegalArgumentException if the block is over 65535 bytes or a modifier is out of range
     */
    public byte[] packet(int modifier1, int modifier2) {
        UwsgiHeader header = new UwsgiHeader(modifier1, block.size(), modifier2);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(UwsgiHeader.SIZE + block.size());
        header.encode(out);
        out.put(block.toByteArray());
        return out.array();
    }

    private void writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a uwsgi var is limited to 65535 bytes: " + bytes.length);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("a uwsgi var holds bytes: char U+"
                        + Integer.toHexString(s.charAt(i)) + " cannot be sent");
            }
        }
        block.write(bytes.length & 0xFF);
        block.write(bytes.length >>> 8);
        block.writeBytes(bytes);
    }
}
