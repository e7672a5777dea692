package dev.imperium.stats;

/**
 * Where an app handler reports a request the app failed (an exception, or a response that breaks the app's contract,
 * answered 500): uWSGI's per-worker {@code exceptions} counter. A worker process points it at its scoreboard once,
 * before it serves; until then, and outside a worker, a report goes nowhere. Thread-safe; costs nothing on requests
 * the app serves.
 */
public final class AppExceptions {
    private static volatile Runnable sink = () -> { };

    private AppExceptions() {
    }

    /**
     * Sets what counts a failure in this process.
     *
     * @param counter run once per failed request, on the thread that served it; must be thread-safe
     */
    public static void countWith(Runnable counter) {
        sink = counter == null ? () -> { } : counter;
    }

    /** Counts one failed request. */
    public static void record() {
        sink.run();
    }
}
