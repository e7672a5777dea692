package dev.imperium.zerg;

/**
 * When a lord asks its emperor for reinforcements (uwsgi-docs "Broodlord"; uWSGI 2.0 {@code core/master.c}
 * {@code uwsgi_update_load_counters} and {@code master_check_listen_queue}), checked once a master cycle (a second):
 * <ul>
 *   <li>{@code vassal-sos N}: every worker is busy, and the last such request was more than N seconds ago;</li>
 *   <li>{@code vassal-sos-backlog N}: the TCP listen queues hold N connections or more (at every cycle, as uWSGI).</li>
 * </ul>
 * Pure: numbers in, the line to log (and the message 30 to send) out. Not thread-safe: the master's event loop owns
 * it.
 */
public final class SosWatch {
    private final int sosSeconds;
    private final int sosBacklog;
    /** Cycles in which every worker was busy (uWSGI's {@code overloaded} counter). */
    private long overloaded;
    private long lastSosSeconds;

    /**
     * Creates the watch.
     *
     * @param settings the vassal's {@code vassal-sos} and {@code vassal-sos-backlog}
     */
    public SosWatch(ZergSettings settings) {
        this.sosSeconds = settings.sosSeconds();
        this.sosBacklog = settings.sosBacklog();
    }

    /** Returns whether either option is set (else the master need not call {@link #check}). */
    public boolean enabled() {
        return sosSeconds > 0 || sosBacklog > 0;
    }

    /**
     * Checks one cycle.
     *
     * @param nowMillis the current time, epoch ms
     * @param busy the workers running a request
     * @param processes the configured number of workers ({@code processes}); all busy means overloaded
     * @param backlog the connections waiting in the TCP listen queues (summed, as uWSGI)
     * @return the line to log before asking ({@code asking Emperor for reinforcements (overload: N)...} or
     *     {@code (backlog: N)}), or null when there is nothing to ask
     */
    public String check(long nowMillis, int busy, int processes, long backlog) {
        String line = null;
        if (busy >= processes && processes > 0) {
            overloaded++;
            long now = nowMillis / 1000;
            if (sosSeconds > 0 && now - lastSosSeconds > sosSeconds) {
                lastSosSeconds = now;
                line = "asking Emperor for reinforcements (overload: " + overloaded + ")...";
            }
        }
        if (sosBacklog > 0 && backlog >= sosBacklog) {
            line = "asking Emperor for reinforcements (backlog: " + backlog + ")...";
        }
        return line;
    }
}
