package dev.imperium.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Copies one child's pipe (a worker's request lines, or a worker's or router's standard error) to the vassal's log
 * in whole lines: what a read returns is passed on up to its last line break, and the rest waits for the next read.
 * The lines themselves are not looked at, so a busy request log costs the master one read and one write per batch.
 * A line longer than {@link #MAX_LINE} bytes is passed on in pieces; a last line without a line break gets one at
 * end of stream. Runs until end of stream (the child and everything it started closed the pipe).
 */
public final class OutputPump implements Runnable {
    /** The longest piece of one line passed on at once, in bytes. */
    public static final int MAX_LINE = 64 * 1024;

    /** Receives whole lines. */
    @FunctionalInterface
    public interface Lines {
        /**
         * Takes whole lines.
         *
         * @param pid the child
         * @param bytes the buffer (reused after the call returns)
         * @param offset where the lines start
         * @param length their length; the last byte is a line break
         */
        void accept(long pid, byte[] bytes, int offset, int length);
    }

    private final InputStream in;
    private final long pid;
    private final Lines lines;

    /**
     * @param in the pipe
     * @param pid the child writing to it
     * @param lines where whole lines go
     */
    public OutputPump(InputStream in, long pid, Lines lines) {
        this.in = in;
        this.pid = pid;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] buf = new byte[MAX_LINE + 1];
        int held = 0;
        try (in) {
            int n;
            while ((n = in.read(buf, held, MAX_LINE - held)) > 0) {
                int filled = held + n;
                int end = lastLineEnd(buf, held, filled);
                if (end < 0) {
                    if (filled < MAX_LINE) {
                        held = filled;
                        continue;
                    }
                    buf[filled] = '\n'; // a line longer than MAX_LINE: pass on what there is
                    lines.accept(pid, buf, 0, filled + 1);
                    held = 0;
                    continue;
                }
                lines.accept(pid, buf, 0, end);
                held = filled - end;
                System.arraycopy(buf, end, buf, 0, held);
            }
        } catch (IOException e) {
            // the pipe broke: the child is gone
        }
        if (held > 0) {
            buf[held] = '\n';
            lines.accept(pid, buf, 0, held + 1);
        }
    }

    /**
     * Returns the index just after the last line break in {@code buf[from, to)}, or -1 if there is none there.
     * Searches backwards: a pipe read usually ends at a line break.
     */
    static int lastLineEnd(byte[] buf, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
