package dev.imperium.server.http;

import java.util.Arrays;

/**
 * A connection's reusable output buffer: raw bytes (a response head, chunk framing) followed by body bytes that are
 * not yet framed. Holding both lets a small response go out in one write.
 */
final class OutputBuffer {
    /** The body bytes held before a flush; also the piece size when copying a file. */
    static final int CAPACITY = 8192;

    byte[] bytes = new byte[CAPACITY];
    /** Bytes {@code [0, rawLength)} are sent as they are. */
    int rawLength;
    /** Bytes {@code [rawLength, length)} are body bytes, framed when flushed. */
    int length;

    /** Replaces the content with {@code raw} bytes, growing for a large head. */
    void setRaw(byte[] raw, int count) {
        if (count > bytes.length) {
            bytes = Arrays.copyOf(bytes, count);
        }
        System.arraycopy(raw, 0, bytes, 0, count);
        rawLength = count;
        length = count;
    }

    /** Appends raw bytes; only called when no body bytes are held. */
    void appendRaw(byte[] raw) {
        if (length + raw.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, length + raw.length);
        }
        System.arraycopy(raw, 0, bytes, length, raw.length);
        length += raw.length;
        rawLength = length;
    }

    /** Returns how many body bytes fit before a flush is needed. */
    int space() {
        return CAPACITY - bodyLength();
    }

    /** Returns the number of body bytes held. */
    int bodyLength() {
        return length - rawLength;
    }

    /** Appends body bytes; the caller checked {@link #space()}. */
    void append(byte[] b, int off, int len) {
        if (length + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + len, rawLength + CAPACITY));
        }
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    /** Makes room for {@code count} more body bytes after the held ones and returns where they start. */
    int reserve(int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + count, rawLength + CAPACITY));
        }
        return length;
    }

    /** Empties the buffer. */
    void clear() {
        rawLength = 0;
        length = 0;
    }
}
