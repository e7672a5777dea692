package dev.imperium.server.net;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Issue 8: resource limits. Paces an accept loop whose {@code accept(2)} keeps failing, typically with EMFILE (the
 * process is out of file descriptors): the loop pauses between tries (10 ms doubling to {@link #MAX_PAUSE}) instead
 * of spinning, clients wait in the listen queue meanwhile, and the log gets one line when the failures begin, at
 * most one per {@link #LOG_INTERVAL} while they go on (with their count), and one when {@code accept} works again:
 *
 * <pre>
 * accept(): Too many open files (retrying every 0.2 s; clients wait in the listen queue)
 * accept(): Too many open files (41 failures in the last 10 s)
 * accept() works again after 63 failures in 12.6 s
 * </pre>
 *
 * uWSGI logs {@code accept(): <strerror>} for the sockets it accepts on with {@code uwsgi_error}, and its workers
 * retry a failing accept at once, without a pause. Not thread-safe: one per accept loop.
 */
public final class AcceptPacer {
    /** The longest pause between two tries: how late serving can resume once descriptors are free. */
    public static final Duration MAX_PAUSE = Duration.ofMillis(200);
    /** At most one line per interval while the failures go on. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final long FIRST_PAUSE_MILLIS = 10;

    private final String prefix;
    private final Consumer<String> log;
    private final LongSupplier nanos;
    private long pauseMillis;
    private long failures;
    private long failuresSinceLine;
    private long firstFailureNanos;
    private long lastLineNanos;

    /**
     * Creates a pacer.
     *
     * @param what what accepts, put before each line (e.g. {@code "stats server"}), or "" for none
     * @param log where the lines go
     */
    public AcceptPacer(String what, Consumer<String> log) {
        this(what, log, System::nanoTime);
    }

    /** As {@link #AcceptPacer(String, Consumer)}, with a clock for tests. */
    AcceptPacer(String what, Consumer<String> log, LongSupplier nanos) {
        this.prefix = what == null || what.isEmpty() ? "" : what + ": ";
        this.log = log;
        this.nanos = nanos;
    }

    /**
     * Records a failed {@code accept} and logs if it is time to.
     *
     * @param failure the error
     * @return how long to pause before the next try, in milliseconds
     */
    public long failed(IOException failure) {
        long now = nanos.getAsLong();
        pauseMillis = Math.min(Math.max(FIRST_PAUSE_MILLIS, pauseMillis * 2), MAX_PAUSE.toMillis());
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failures++ == 0) {
            firstFailureNanos = now;
            lastLineNanos = now;
            failuresSinceLine = 0;
            emit("accept(): " + reason + " (retrying every " + seconds(MAX_PAUSE.toNanos())
                    + "; clients wait in the listen queue)");
            return pauseMillis;
        }
        failuresSinceLine++;
        if (now - lastLineNanos >= LOG_INTERVAL.toNanos()) {
            emit("accept(): " + reason + " (" + failuresSinceLine + " failure" + (failuresSinceLine == 1 ? "" : "s")
                    + " in the last " + seconds(now - lastLineNanos) + ")");
            lastLineNanos = now;
            failuresSinceLine = 0;
        }
        return pauseMillis;
    }

    /** Records a successful {@code accept}; after failures, logs that it works again. */
    public void succeeded() {
        if (failures == 0) {
            return;
        }
        emit("accept() works again after " + failures + " failure" + (failures == 1 ? "" : "s") + " in "
                + seconds(nanos.getAsLong() - firstFailureNanos));
        failures = 0;
        pauseMillis = 0;
    }

    /**
     * Records a failure, logs if it is time to, and sleeps for the pause.
     *
     * @param failure the error
     * @throws InterruptedException if interrupted while pausing
     */
    public void pauseAfter(IOException failure) throws InterruptedException {
        Thread.sleep(failed(failure));
    }

    private void emit(String line) {
        try {
            log.accept(prefix + line);
        } catch (RuntimeException e) {
            // a failing log must not stop the accept loop
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
