package dev.imperium.stats;

/**
 * Why a worker process was replaced, as the emperor report counts it ({@code imperium.worker_restarts}). The names
 * are the report's keys: uWSGI's option names where an option caused it.
 */
public enum RestartReason {
    /** Killed by the master after a request ran past {@code harakiri}. */
    HARAKIRI("harakiri"),
    /** Retired itself after {@code max-requests} requests. */
    MAX_REQUESTS("max_requests"),
    /** Retired by the master after {@code max-worker-lifetime} seconds. */
    MAX_WORKER_LIFETIME("max_worker_lifetime"),
    /** Retired itself once its resident memory reached {@code reload-on-rss}. */
    RELOAD_ON_RSS("reload_on_rss"),
    /** Killed by the master once its resident memory reached {@code evil-reload-on-rss}. */
    EVIL_RELOAD_ON_RSS("evil_reload_on_rss"),
    /** Died without being told to (a signal, an exit, a JVM that could not start). */
    CRASH("crash"),
    /** Replaced by a reload (graceful, brutal or chain). */
    RELOAD("reload"),
    /** Stopped by {@code cheaper} or {@code idle} because it was not needed. */
    CHEAPER("cheaper");

    private final String key;

    RestartReason(String key) {
        this.key = key;
    }

    /** Returns the key in the report's {@code worker_restarts} object. */
    public String key() {
        return key;
    }
}
