package dev.imperium.vassal;

/**
 * uWSGI's {@code idle} check (uWSGI 2.0 {@code core/master_checks.c} {@code uwsgi_master_check_idle}): once a second
 * the master tells it whether a worker is busy and when the last request ended; once no request has run for more
 * than {@code idle} seconds it says so, and the master puts the vassal in cheap mode (or stops it, with
 * {@code die-on-idle}). Pure: times in, a decision out. Not thread-safe: the master's event loop owns it.
 */
final class IdleWatch {
    private final int idleSeconds;
    private long lastActivityMillis;

    /**
     * Starts counting from {@code nowMillis}.
     *
     * @param idleSeconds the {@code idle} option (positive)
     * @param nowMillis the current time, epoch ms
     */
    IdleWatch(int idleSeconds, long nowMillis) {
        this.idleSeconds = idleSeconds;
        this.lastActivityMillis = nowMillis;
    }

    /** Counts from {@code nowMillis} again, e.g. once the workers woke up from cheap mode. */
    void restart(long nowMillis) {
        lastActivityMillis = nowMillis;
    }

    /** Returns when the last request ended (or the watch started), epoch ms. */
    long lastActivityMillis() {
        return lastActivityMillis;
    }

    /**
     * Checks once: true when no request has run for more than {@code idle} seconds.
     *
     * @param nowMillis the current time, epoch ms
     * @param anyBusy whether a worker has a request in flight (then the vassal is never idle)
     * @param lastRequestEndMillis when the latest request the workers report ended, epoch ms (0 if none)
     */
    boolean isIdle(long nowMillis, boolean anyBusy, long lastRequestEndMillis) {
        if (anyBusy) {
            lastActivityMillis = Math.max(lastActivityMillis, nowMillis);
            return false;
        }
        lastActivityMillis = Math.max(lastActivityMillis, lastRequestEndMillis);
        // whole seconds, as uWSGI compares them: idle for more than N seconds
        return nowMillis / 1000 - lastActivityMillis / 1000 > idleSeconds;
    }

    /**
     * Returns uWSGI's line for going idle: {@code workers have been inactive for more than N seconds (NOW-LAST)}.
     *
     * @param nowMillis the current time, epoch ms
     */
    String inactiveLine(long nowMillis) {
        return "workers have been inactive for more than " + idleSeconds + " seconds (" + nowMillis / 1000 + "-"
                + lastActivityMillis / 1000 + ")";
    }
}
