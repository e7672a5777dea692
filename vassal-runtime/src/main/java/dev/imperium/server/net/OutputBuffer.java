package dev.imperium.server.net;

import java.util.Arrays;

/**
 * A connection's reusable output buffer: raw bytes (a response head, chunk framing) followed by body bytes that are
 * not yet framed. Holding both lets a small response go out in one write.
 */
public final class OutputBuffer {
    /** The body bytes held before a flush; also the piece size when copying a file. */
    public static final int CAPACITY = 8192;

    public byte[] bytes = new byte[CAPACITY];
    /** Bytes {@code [0, rawLength)} are sent as they are. */
    public int rawLength;
    /** Bytes {@code [rawLength, length)} are body bytes, framed when flushed. */
    public int length;

    /** Replaces the content with {@code raw} bytes, growing for a large head. */
    public void setRaw(byte[] raw, int count) {
        if (count > bytes.length) {
            bytes = Arrays.copyOf(bytes, count);
        }
        System.arraycopy(raw, 0, bytes, 0, count);
        rawLength = count;
        length = count;
    }

    /** Appends raw bytes; only called when no body bytes are held. */
    public void appendRaw(byte[] raw) {
        if (length + raw.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, length + raw.length);
        }
        System.arraycopy(raw, 0, bytes, length, raw.length);
        length += raw.length;
        rawLength = length;
    }

    /** Returns how many body bytes fit before a flush is needed. */
    public int space() {
        return CAPACITY - bodyLength();
    }

    /** Returns the number of body bytes held. */
    public int bodyLength() {
        return length - rawLength;
    }

    /** Appends body bytes; the caller checked {@link #space()}. */
    public void append(byte[] b, int off, int len) {
        if (length + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + len, rawLength + CAPACITY));
        }
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    /** Makes room for {@code count} more body bytes after the held ones and returns where they start. */
    public int reserve(int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + count, rawLength + CAPACITY));
        }
        return length;
    }

    /** Empties the buffer. */
    public void clear() {
        rawLength = 0;
        length = 0;
    }
}
