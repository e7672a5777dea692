package dev.imperium.vassal;

/**
 * When a vassal's master sends its heartbeat to the emperor ({@code heartbeat N}, uWSGI's option; uwsgi-docs "The
 * uWSGI Emperor", "Heartbeat system"): the master asks on every tick of its event loop (once a second), and the
 * answer is yes the first time and then every {@code N} seconds. A master whose event loop is stuck (or stopped)
 * asks nothing and sends nothing, which is what the emperor's {@code emperor-required-heartbeat} detects. uWSGI's
 * workers send it from their accept loop; Imperium's master does, as it is the process the emperor supervises.
 *
 * <p>Not thread-safe: used on the master's event loop.
 */
final class Heartbeat {
    /** A tick may come a little early: half a tick of tolerance, so that N = 1 sends at every tick. */
    private static final long TOLERANCE_NANOS = 500_000_000L;

    private boolean sent;
    private long nextNanos;

    /**
     * Returns whether to send a heartbeat now.
     *
     * @param nowNanos {@link System#nanoTime()}
     * @param periodSeconds the {@code heartbeat} option; 0 (or less) means never
     * @return true the first time, then once the period has passed since the last one
     */
    boolean due(long nowNanos, int periodSeconds) {
        if (periodSeconds <= 0) {
            sent = false;
            return false;
        }
        if (sent && nowNanos - (nextNanos - TOLERANCE_NANOS) < 0) {
            return false;
        }
        sent = true;
        nextNanos = nowNanos + periodSeconds * 1_000_000_000L;
        return true;
    }
}
