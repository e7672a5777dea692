package dev.imperium.logging;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The master's standard error (or any stream), where the vassal logs without {@code logto}: under an emperor, the
 * pipe the emperor reads. Write errors are ignored: there is nowhere left to report them.
 */
public final class StreamTarget implements LogTarget {
    private final OutputStream out;

    /** @param out the stream; written without buffering, one call per batch of lines */
    public StreamTarget(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(long pid, byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
            out.flush();
        } catch (IOException e) {
            // the reader is gone (the emperor died): nothing to do
        }
    }
}
