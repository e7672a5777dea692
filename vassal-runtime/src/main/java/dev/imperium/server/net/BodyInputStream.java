package dev.imperium.server.net;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as a handler reads it, plus what its connection needs once the handler returned: whether the body
 * was read to its end, why it failed, and a way to discard an unread rest. {@link #close()} does not close the
 * connection. Used by one thread at a time.
 */
public abstract class BodyInputStream extends InputStream {
    private final byte[] one = new byte[1];

    /** Reads one byte with {@link #read(byte[], int, int)}. */
    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * Reads and discards the rest of the body, up to {@code limit} bytes.
     *
     * @param limit the most bytes to discard
     * @return true if the body ended within the limit; false if it is longer, or reading failed
     */
    public abstract boolean drain(long limit);

    /**
     * Reads and discards with {@code reader} until the end of the body or more than {@code limit} bytes, for the
     * {@link #drain} implementations.
     *
     * @return true if the body ended within the limit; false if it is longer, or reading failed
     */
    protected static boolean discardRest(Reader reader, long limit) {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, limit))];
        long discarded = 0;
        try {
            while (discarded <= limit) {
                int n = reader.read(scratch, 0, scratch.length);
                if (n < 0) {
                    return true;
                }
                discarded += n;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** A read call for {@link #discardRest}. */
    @FunctionalInterface
    protected interface Reader {
        /** Reads into {@code b} as {@link InputStream#read(byte[], int, int)}. */
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** Returns true once the whole body was read, up to the protocol's end of it (or there was none). */
    public abstract boolean isComplete();

    /** Returns why the stream failed for good (a timeout, a peer that went away, a framing error), or null. */
    public abstract IOException failure();
}
