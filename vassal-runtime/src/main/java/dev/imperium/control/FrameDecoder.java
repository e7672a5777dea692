package dev.imperium.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into {@link Frame}s; bytes may arrive in any split (a frame across several reads, several
 * frames in one read). Not thread-safe: one decoder per connection, fed by its reader.
 */
public final class FrameDecoder {
    private byte[] buffer = new byte[256];
    private int length;

    /**
     * Appends bytes from the stream and returns every frame they complete, in order.
     *
     * @param bytes the source array
     * @param offset the first byte to take
     * @param count how many bytes to take
     * @return the completed frames, possibly none
     */
    public List<Frame> feed(byte[] bytes, int offset, int count) {
        ensure(length + count);
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
        List<Frame> frames = new ArrayList<>(1);
        int pos = 0;
        while (length - pos >= Frame.HEADER) {
            int size = (buffer[pos + 1] & 0xFF) | (buffer[pos + 2] & 0xFF) << 8;
            if (length - pos < Frame.HEADER + size) {
                break;
            }
            byte[] payload = new byte[size];
            System.arraycopy(buffer, pos + Frame.HEADER, payload, 0, size);
            frames.add(new Frame(buffer[pos] & 0xFF, payload));
            pos += Frame.HEADER + size;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, length - pos);
            length -= pos;
        }
        return frames;
    }

    /** Returns how many bytes of an incomplete frame are buffered (0 at a frame boundary). */
    public int pending() {
        return length;
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            byte[] bigger = new byte[Math.max(capacity, buffer.length * 2)];
            System.arraycopy(buffer, 0, bigger, 0, length);
            buffer = bigger;
        }
    }
}
