package dev.imperium.logging;

import java.time.Duration;

/**
 * Decides which lines of one kind of event reach the log, so that many clients failing at once (500 slow clients
 * timing out together) give a few lines instead of one each: the first event of a window is logged as it is, the
 * others of that window are only counted, and when the window ends one summary line tells how many there were.
 *
 * <p>Pure: the caller passes the time ({@link System#nanoTime()}); not thread-safe (see {@link ThrottledLines}).
 */
public final class LineThrottle {
    private final long windowNanos;
    private final String what;
    private long windowStart;
    private boolean open;
    private long suppressed;

    /**
     * @param window how long one window lasts: at most one event line and one summary line per window
     * @param what how the summary names the events, in the plural (e.g. {@code "socket timeouts"})
     */
    public LineThrottle(Duration window, String what) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.windowNanos = window.toNanos();
        this.what = what;
    }

    /**
     * Offers one event's line.
     *
     * @param line the event's own line
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the lines to log now, in order: the summary of the window that ended, if it had suppressed events,
     *     then {@code line} if it opens a new window; empty if the event is only counted
     */
    public java.util.List<String> offer(String line, long nowNanos) {
        String summary = flush(nowNanos);
        if (open) {
            suppressed++;
            return summary == null ? java.util.List.of() : java.util.List.of(summary);
        }
        open = true;
        windowStart = nowNanos;
        return summary == null ? java.util.List.of(line) : java.util.List.of(summary, line);
    }

    /**
     * Ends the current window if its time is over.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the summary line if the window that ended had suppressed events, else null
     */
    public String flush(long nowNanos) {
        if (!open || nowNanos - windowStart < windowNanos) {
            return null;
        }
        open = false;
        long n = suppressed;
        suppressed = 0;
        if (n == 0) {
            return null;
        }
        return "... and " + n + " more " + what + " in the last " + seconds() + " (one line per "
                + seconds() + ")";
    }

    /** Returns when the current window ends (a {@link System#nanoTime()}), or 0 if no window is open. */
    public long windowEnd() {
        return open ? windowStart + windowNanos : 0;
    }

    /** Returns how many events the open window has only counted so far. */
    public long suppressed() {
        return suppressed;
    }

    private String seconds() {
        long ms = windowNanos / 1_000_000;
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
