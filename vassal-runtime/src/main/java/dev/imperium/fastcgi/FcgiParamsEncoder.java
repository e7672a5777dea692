package dev.imperium.fastcgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds a FastCGI params stream: name-value pairs (FastCGI Specification 1.0, section 3.4), each length in one byte
 * when below 128 and in four otherwise, as a web server sends them in PARAMS records. Names and values are encoded
 * as ISO-8859-1 (one byte per char, the inverse of {@link FcgiParamsParser}). For web-server-side code, tests and
 * benchmarks; not on the application's hot path. Not thread-safe; use one per stream.
 */
public final class FcgiParamsEncoder {
    private final ByteArrayOutputStream stream = new ByteArrayOutputStream(512);

    /**
     * Appends one pair.
     *
     * @param name a non-empty name of at most {@link FcgiParamsParser#MAX_LENGTH} chars, each below U+0100
     * @param value a value of at most {@link FcgiParamsParser#MAX_LENGTH} chars, each below U+0100
     * @return this
     * @throws IllegalArgumentException if the name is empty, or a name or value cannot be encoded
     */
    public FcgiParamsEncoder add(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a FastCGI param name cannot be empty");
        }
        byte[] n = bytes(name);
        byte[] v = bytes(value);
        writeLength(n.length);
        writeLength(v.length);
        stream.writeBytes(n);
        stream.writeBytes(v);
        return this;
    }

    /** Returns the size of the stream so far, in bytes. */
    public int size() {
        return stream.size();
    }

    /** Returns the stream so far: the bytes to send as the contents of PARAMS records. */
    public byte[] toByteArray() {
        return stream.toByteArray();
    }

    private void writeLength(int length) {
        if (length < 0x80) {
            stream.write(length);
        } else {
            stream.write(length >>> 24 | 0x80);
            stream.write(length >>> 16);
            stream.write(length >>> 8);
            stream.write(length);
        }
    }

    private static byte[] bytes(String s) {
        if (s.length() > FcgiParamsParser.MAX_LENGTH) {
            throw new IllegalArgumentException("a FastCGI param is limited to 65535 bytes here: " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("a FastCGI param holds bytes: char U+"
                        + Integer.toHexString(s.charAt(i)) + " cannot be sent");
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
