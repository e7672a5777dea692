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
    /** The first buffer size: most children write little, and the master keeps one buffer per pipe. */
    private static final int INITIAL = 8 * 1024;

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
        // grows up to MAX_LINE for a long line or a busy pipe (a read that fills it); +1: room for a line break
        byte[] buf = new byte[INITIAL + 1];
        int held = 0;
        try (in) {
            int n;
            int want;
            while ((n = in.read(buf, held, want = buf.length - 1 - held)) > 0) {
                int filled = held + n;
                int end = lastLineEnd(buf, held, filled);
                if (end < 0 && filled == MAX_LINE) {
                    buf[filled] = '\n'; // a line longer than MAX_LINE: pass on what there is
                    lines.accept(pid, buf, 0, filled + 1);
                    held = 0;
                    continue;
                }
                if (end > 0) {
                    lines.accept(pid, buf, 0, end);
                    held = filled - end;
                    System.arraycopy(buf, end, buf, 0, held);
                } else {
                    held = filled;
                }
                if (n == want && buf.length - 1 < MAX_LINE) {
                    buf = Arrays.copyOf(buf, Math.min(MAX_LINE, (buf.length - 1) * 2) + 1);
                }
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
