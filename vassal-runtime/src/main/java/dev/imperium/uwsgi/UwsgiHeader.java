package dev.imperium.uwsgi;

import java.nio.ByteBuffer;

/**
 * The 4-byte header of a uwsgi packet (uwsgi-docs "The uwsgi protocol"): {@code modifier1} (u8), {@code dataSize}
 * (u16, little-endian: the size of the vars block that follows, not counting the body), {@code modifier2} (u8).
 * For a request, modifier1 names the kind of app (0 WSGI, 8 JVM with modifier2 0 for JWSGI, ...).
 *
 * @param modifier1 0..255
 * @param dataSize 0..65535 bytes
 * @param modifier2 0..255
 */
public record UwsgiHeader(int modifier1, int dataSize, int modifier2) {
    /** The header's size on the wire: 4 bytes. */
    public static final int SIZE = 4;
    /** modifier1 of the JVM plugin (JWSGI with modifier2 0). */
    public static final int MODIFIER1_JVM = 8;
    /** modifier1 of the CGI plugin (uwsgi-docs "Running CGI scripts on uWSGI"). */
    public static final int MODIFIER1_CGI = 9;

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException if a field does not fit its width
     */
    public UwsgiHeader {
        if ((modifier1 & ~0xFF) != 0 || (modifier2 & ~0xFF) != 0 || (dataSize & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("uwsgi header field out of range: " + modifier1 + "/" + dataSize
                    + "/" + modifier2);
        }
    }

    /**
     * Reads a header from the next 4 bytes of {@code in} (its byte order does not matter), advancing its position.
     *
     * @param in at least {@link #SIZE} bytes remaining
     * @return the header
     * @throws java.nio.BufferUnderflowException if fewer than 4 bytes remain
     */
    public static UwsgiHeader decode(ByteBuffer in) {
        int m1 = in.get() & 0xFF;
        int size = (in.get() & 0xFF) | (in.get() & 0xFF) << 8;
        int m2 = in.get() & 0xFF;
        return new UwsgiHeader(m1, size, m2);
    }

    /**
     * Writes the header's 4 bytes to {@code out}, advancing its position.
     *
     * @param out at least {@link #SIZE} bytes of room
     */
    public void encode(ByteBuffer out) {
        out.put((byte) modifier1).put((byte) dataSize).put((byte) (dataSize >>> 8)).put((byte) modifier2);
    }

    /**
     * Checks the vars block's size against the vassal's {@code buffer-size}, as uWSGI does before reading it.
     *
     * @param bufferSize the largest vars block accepted, in bytes (uWSGI's {@code buffer-size}, default 4096)
     * @throws UwsgiProtocolException naming the size needed, in uWSGI's words, if the block is larger
     */
    public void checkBlockSize(int bufferSize) throws UwsgiProtocolException {
        if (dataSize > bufferSize) {
            throw new UwsgiProtocolException("invalid request block size: " + dataSize + " (max " + bufferSize
                    + ")...skip");
        }
    }
}
