package dev.imperium.logging;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 8: resource limits. What to say when a log destination cannot be written (a full disk: ENOSPC; a quota:
 * EDQUOT; an I/O error): one line when the failures begin, nothing while they go on (the lines are dropped and
 * counted), and one line when it can be written again, saying how much was lost:
 *
 * <pre>
 * logto /var/log/app.log: write error: No space left on device; log lines are dropped until it can be written again
 * logto /var/log/app.log: writing again: 153 lines (20412 bytes) were lost in 41.7 s (No space left on device)
 * </pre>
 *
 * uWSGI 2.0 ignores the result of its log writes. Pure: the caller does the writing and tells this what happened.
 * Not thread-safe: the caller serialises its writes.
 */
public final class WriteFailures {
    private final String what;
    private boolean failing;
    private String reason;
    private long since;
    private long lines;
    private long bytes;
    private boolean partialLine;

    /** @param what the destination as the lines name it, e.g. {@code logto /var/log/app.log} */
    public WriteFailures(String what) {
        this.what = what;
    }

    /** Returns whether the destination is failing: the next write is a try, preceded by {@link #recoveryNote}. */
    public boolean failing() {
        return failing;
    }

    /**
     * Records lines that could not be written.
     *
     * @param error the write error
     * @param lineCount how many lines were lost
     * @param byteCount how many bytes were lost
     * @param partial whether part of the bytes did reach the destination (it now ends in a cut line)
     * @param nowMillis the time
     * @return the line to report, on the first failure of a run only
     */
    public Optional<String> failed(IOException error, long lineCount, long byteCount, boolean partial,
            long nowMillis) {
        lines += lineCount;
        bytes += byteCount;
        partialLine |= partial;
        if (failing) {
            return Optional.empty();
        }
        failing = true;
        since = nowMillis;
        reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return Optional.of(what + ": write error: " + reason
                + "; log lines are dropped until it can be written again");
    }

    /**
     * The line to write first when the destination works again (after a line break if {@link #cutLine()}).
     *
     * @param nowMillis the time
     * @return the note, without its final line break; empty if not failing
     */
    public Optional<String> recoveryNote(long nowMillis) {
        if (!failing) {
            return Optional.empty();
        }
        return Optional.of(what + ": writing again: " + lines + " line"
                + (lines == 1 ? "" : "s") + " (" + bytes + " bytes) were lost in "
                + String.format(Locale.ROOT, "%.1f s", (nowMillis - since) / 1000.0) + " (" + reason + ")");
    }

    /** Returns whether a failed write left a cut line at the end of the destination. */
    public boolean cutLine() {
        return partialLine;
    }

    /** Records that the destination took a write again: the next failure begins a new run. */
    public void recovered() {
        failing = false;
        lines = 0;
        bytes = 0;
        partialLine = false;
        reason = null;
    }

    /** Counts the line breaks in {@code length} bytes from {@code offset}. */
    public static long lines(byte[] bytes, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
