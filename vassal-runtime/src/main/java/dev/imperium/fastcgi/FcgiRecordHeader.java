package dev.imperium.fastcgi;

import java.nio.ByteBuffer;

/**
 * The 8-byte header of a FastCGI record (FastCGI Specification 1.0, section 3.3 "Records"): {@code version} (u8),
 * {@code type} (u8), {@code requestId} (u16 big-endian), {@code contentLength} (u16 big-endian), {@code paddingLength}
 * (u8), one reserved byte. The record's content and then its padding follow; the padding is ignored.
 *
 * @param version 0..255; only {@link #VERSION_1} is decoded
 * @param type 0..255, one of {@link FcgiRecordType} or unknown
 * @param requestId 0..65535; 0 ({@link #NULL_REQUEST_ID}) for a management record
 * @param contentLength 0..65535 bytes
 * @param paddingLength 0..255 bytes
 */
public record FcgiRecordHeader(int version, int type, int requestId, int contentLength, int paddingLength) {
    /** The header's size on the wire: 8 bytes ({@code FCGI_HEADER_LEN}, section 8). */
    public static final int SIZE = 8;
    /** {@code FCGI_VERSION_1}: the only version there is (section 8). */
    public static final int VERSION_1 = 1;
    /** {@code FCGI_NULL_REQUEST_ID}: the request id of management records (section 3.3). */
    public static final int NULL_REQUEST_ID = 0;
    /** The most content one record carries: 65535 bytes (section 3.3). */
    public static final int MAX_CONTENT_LENGTH = 0xFFFF;

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException if a field does not fit its width
     */
    public FcgiRecordHeader {
        if (((version | type | paddingLength) & ~0xFF) != 0 || ((requestId | contentLength) & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("FastCGI header field out of range: " + version + "/" + type + "/"
                    + requestId + "/" + contentLength + "/" + paddingLength);
        }
    }

    /**
     * Reads a header from the next 8 bytes of {@code in} (its byte order does not matter), advancing its position by
     * 8, as {@link dev.imperium.uwsgi.UwsgiHeader#decode} does. The reserved byte is ignored.
     *
     * @param in at least {@link #SIZE} bytes remaining
     * @return the header
     * @throws java.nio.BufferUnderflowException if fewer than 8 bytes remain (the position is then unchanged)
     * @throws FcgiProtocolException if the version is not 1 (the position is then unchanged)
     */
    public static FcgiRecordHeader decode(ByteBuffer in) throws FcgiProtocolException {
        if (in.remaining() < SIZE) {
            throw new java.nio.BufferUnderflowException();
        }
        FcgiRecordHeader header = decode(in, in.position());
        in.position(in.position() + SIZE);
        return header;
    }

    /**
     * Reads a header from the 8 bytes of {@code in} at index {@code at}, without moving its position: a reader can
     * look at a header, see that the whole record has not arrived yet, and come back later.
     *
     * @param in the bytes
     * @param at the index of the header's first byte
     * @return the header
     * @throws IndexOutOfBoundsException if the 8 bytes do not lie below {@code in}'s limit
     * @throws FcgiProtocolException if the version is not 1: FastCGI 1.0 knows no other, so the framing of anything
     *     else cannot be trusted (uWSGI 2.0 does not look at the version; every web server sends 1)
     */
    public static FcgiRecordHeader decode(ByteBuffer in, int at) throws FcgiProtocolException {
        java.util.Objects.checkFromIndexSize(at, SIZE, in.limit());
        int version = in.get(at) & 0xFF;
        if (version != VERSION_1) {
            throw new FcgiProtocolException("unsupported FastCGI version " + version + " (only 1 is known)");
        }
        return new FcgiRecordHeader(version, in.get(at + 1) & 0xFF, u16(in, at + 2), u16(in, at + 4),
                in.get(at + 6) & 0xFF);
    }

    /**
     * Writes the header's 8 bytes to {@code out} (its byte order does not matter), advancing its position; the
     * reserved byte is 0.
     *
     * @param out at least {@link #SIZE} bytes of room
     * @throws java.nio.BufferOverflowException if there is less room (nothing is written then)
     */
    public void encode(ByteBuffer out) {
        if (out.remaining() < SIZE) {
            throw new java.nio.BufferOverflowException();
        }
        out.put((byte) version).put((byte) type)
                .put((byte) (requestId >>> 8)).put((byte) requestId)
                .put((byte) (contentLength >>> 8)).put((byte) contentLength)
                .put((byte) paddingLength).put((byte) 0);
    }

    /** Returns whether this is a management record: request id 0 (section 3.3). */
    public boolean isManagement() {
        return requestId == NULL_REQUEST_ID;
    }

    /** Returns the size of the whole record on the wire: 8 + content + padding bytes. */
    public int recordLength() {
        return SIZE + contentLength + paddingLength;
    }

    private static int u16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) << 8 | (b.get(at + 1) & 0xFF);
    }
}
