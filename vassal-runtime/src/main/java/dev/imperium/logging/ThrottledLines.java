package dev.imperium.logging;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link LineThrottle} that writes: events offered from any thread, lines passed to a sink, and the summary of a
 * window written when the window ends even if no further event comes (a virtual thread sleeps until then).
 * Thread-safe.
 */
public final class ThrottledLines {
    /** The window the connection layers use: one line, then at most one summary, per 5 seconds and kind. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);

    private final LineThrottle throttle;
    private final Consumer<String> sink;
    private boolean flushScheduled;

    /**
     * @param window how long one window lasts
     * @param what how the summary names the events, in the plural
     * @param sink writes a line (e.g. {@code Log::line}); must not throw
     */
    public ThrottledLines(Duration window, String what, Consumer<String> sink) {
        this.throttle = new LineThrottle(window, what);
        this.sink = sink;
    }

    /** Logs {@code line} now, or counts it if a line of this kind was logged within the window. */
    public void log(String line) {
        List<String> out;
        boolean schedule = false;
        synchronized (this) {
            out = throttle.offer(line, System.nanoTime());
            if (throttle.windowEnd() != 0 && !flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        out.forEach(sink);
        if (schedule) {
            Thread.ofVirtual().name("imperium-log-throttle").start(this::flushAtWindowEnd);
        }
    }

    private void flushAtWindowEnd() {
        while (true) {
            long end;
            synchronized (this) {
                end = throttle.windowEnd();
                if (end == 0) {
                    flushScheduled = false;
                    return;
                }
            }
            long wait = end - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    synchronized (this) {
                        flushScheduled = false;
                    }
                    return;
                }
            }
            String summary;
            synchronized (this) {
                summary = throttle.flush(System.nanoTime());
            }
            if (summary != null) {
                sink.accept(summary);
            }
        }
    }
}
