package dev.imperium.emperor;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One vassal as the emperor sees it at one instant: what the emperor stats server and {@code /metrics} show.
 * Immutable; taken on the event loop by {@link Supervisor#snapshot}, read on any thread.
 *
 * @param name the vassal file name (uWSGI's {@code id}; the {@code vassal} label)
 * @param config the vassal file's absolute path
 * @param state the supervision state
 * @param waiting whether its process waits for a start slot ({@code --start-concurrency})
 * @param pid the vassal master's pid, or -1 without a process
 * @param generation the generation of workers it last reported accepting, 0 before the first
 * @param spawns processes spawned for this file
 * @param reloads reloads sent (uWSGI's {@code respawns})
 * @param failures failures in a row (0 after a stable run)
 * @param restarts failed processes by {@link RestartReason#ordinal()}
 * @param backoffDelayMillis the current backoff delay in ms, 0 outside {@link VassalState#BACKOFF}
 * @param backoffRemainingMillis ms until the next attempt, 0 outside {@link VassalState#BACKOFF}
 * @param born the file's mtime when first seen, epoch s
 * @param lastMod the file's current mtime, epoch s
 * @param lastHeartbeat the latest HEARTBEAT, epoch s, 0 if never
 * @param loyal whether the current process served its first request
 * @param ready whether the current process said SPAWNED (reset by a reload)
 * @param accepting whether the current process said ACCEPTING (reset by a reload)
 * @param lastLoyal epoch s, 0 if never
 * @param lastReady epoch s, 0 if never
 * @param lastAccepting epoch s, 0 if never
 * @param firstRun the first spawn, epoch s
 * @param lastRun the latest spawn or reload, epoch s
 * @param cursed when the current process was cursed, epoch s, 0 if not
 * @param firstFailure the first failure of the current row, epoch s, 0 if none
 * @param lastFailure the latest failure of the current row, epoch s, 0 if none
 * @param processStartMillis when the current process was launched, epoch ms, 0 without a process
 * @param lastReportMillis the latest STATS_REPORT, epoch ms, 0 if never
 * @param lastError the latest error, or null
 * @param lastErrorAt when, epoch s
 * @param statsJson the latest STATS_REPORT payload of the current process, or null
 * @param uid the user its latest process runs as in tyrant mode, 0 otherwise (uWSGI's {@code uid})
 * @param gid the group, likewise
 * @param onDemand the socket the emperor holds for it when it is on demand, as named, or "" (issue 7)
 */
record VassalSnapshot(String name, Path config, VassalState state, boolean waiting, long pid, int generation,
                             int spawns, long reloads, int failures, long[] restarts, long backoffDelayMillis,
                             long backoffRemainingMillis, long born, long lastMod, long lastHeartbeat, boolean loyal,
                             boolean ready, boolean accepting, long lastLoyal, long lastReady, long lastAccepting,
                             long firstRun, long lastRun, long cursed, long firstFailure, long lastFailure,
                             long processStartMillis, long lastReportMillis, String lastError, long lastErrorAt,
                             String statsJson, int uid, int gid, String onDemand) {

    /** Copies the restart counts. */
    public VassalSnapshot {
        restarts = Arrays.copyOf(restarts, RestartReason.values().length);
    }

    /** A vassal that is not on demand. */
    VassalSnapshot(String name, Path config, VassalState state, boolean waiting, long pid, int generation,
                   int spawns, long reloads, int failures, long[] restarts, long backoffDelayMillis,
                   long backoffRemainingMillis, long born, long lastMod, long lastHeartbeat, boolean loyal,
                   boolean ready, boolean accepting, long lastLoyal, long lastReady, long lastAccepting,
                   long firstRun, long lastRun, long cursed, long firstFailure, long lastFailure,
                   long processStartMillis, long lastReportMillis, String lastError, long lastErrorAt,
                   String statsJson, int uid, int gid) {
        this(name, config, state, waiting, pid, generation, spawns, reloads, failures, restarts, backoffDelayMillis,
                backoffRemainingMillis, born, lastMod, lastHeartbeat, loyal, ready, accepting, lastLoyal, lastReady,
                lastAccepting, firstRun, lastRun, cursed, firstFailure, lastFailure, processStartMillis,
                lastReportMillis, lastError, lastErrorAt, statsJson, uid, gid, "");
    }

    /** A snapshot outside tyrant mode (uid and gid 0). */
    VassalSnapshot(String name, Path config, VassalState state, boolean waiting, long pid, int generation,
                   int spawns, long reloads, int failures, long[] restarts, long backoffDelayMillis,
                   long backoffRemainingMillis, long born, long lastMod, long lastHeartbeat, boolean loyal,
                   boolean ready, boolean accepting, long lastLoyal, long lastReady, long lastAccepting,
                   long firstRun, long lastRun, long cursed, long firstFailure, long lastFailure,
                   long processStartMillis, long lastReportMillis, String lastError, long lastErrorAt,
                   String statsJson) {
        this(name, config, state, waiting, pid, generation, spawns, reloads, failures, restarts, backoffDelayMillis,
                backoffRemainingMillis, born, lastMod, lastHeartbeat, loyal, ready, accepting, lastLoyal, lastReady,
                lastAccepting, firstRun, lastRun, cursed, firstFailure, lastFailure, processStartMillis,
                lastReportMillis, lastError, lastErrorAt, statsJson, 0, 0);
    }

    /**
     * Reads a vassal; call on the event-loop thread.
     *
     * @param v the vassal
     * @param vassalDir the vassal directory (absolute)
     * @param nowNanos {@link System#nanoTime()} now
     * @param nowMillis the wall clock now, epoch ms
     * @return its snapshot
     */
    static VassalSnapshot of(Vassal v, Path vassalDir, long nowNanos, long nowMillis) {
        VassalRecord r = v.record;
        Vassal.Incarnation inc = v.current;
        boolean launched = inc != null && !inc.waiting && inc.exit == null;
        long pid = launched && inc.pid() > 0 ? inc.pid() : -1;
        long start = launched ? nowMillis - (nowNanos - inc.spawnedNanos) / 1_000_000 : 0;
        boolean backoff = v.state == VassalState.BACKOFF;
        long remaining = backoff ? Math.max(0, (r.backoffUntilNanos - nowNanos) / 1_000_000) : 0;
        long lastMod = v.stamp == null ? r.born : v.stamp.modified().toMillis() / 1000;
        return new VassalSnapshot(v.name, vassalDir.resolve(v.name), v.state, inc != null && inc.waiting, pid,
                inc == null ? 0 : inc.generation, v.spawns, r.reloads, v.failures, r.restarts,
                backoff ? r.backoffDelayMillis : 0, remaining, r.born, lastMod, r.lastHeartbeat,
                launched && r.loyal, launched && r.ready, launched && r.accepting, r.lastLoyal, r.lastReady,
                r.lastAccepting, r.firstRun, r.lastRun, launched ? r.cursedAt : 0,
                v.failures > 0 ? r.firstFailure : 0, v.failures > 0 ? r.lastFailure : 0, start, r.lastReportMillis,
                r.lastError, r.lastErrorAt, v.lastStatsJson, r.uid, r.gid, r.onDemand);
    }

    /** Returns how many of its processes failed for {@code reason}. */
    public long restarts(RestartReason reason) {
        return restarts[reason.ordinal()];
    }

    /** Returns the total of failed processes. */
    public long restartsTotal() {
        return Arrays.stream(restarts).sum();
    }

    /**
     * Returns whether a generation of its workers accepts requests: running, or reloading while the old
     * generation serves.
     */
    public boolean up() {
        return switch (state) {
            case RUNNING, RELOADING, RELOADING_RELOAD_QUEUED -> true;
            default -> false;
        };
    }

    /**
     * Returns its state in a few words for dashboards and alerts: {@code new}, {@code waiting}, {@code starting},
     * {@code running}, {@code reloading}, {@code aborting}, {@code backoff}, {@code stopping} or {@code on_demand}
     * (asleep: the emperor holds its socket).
     */
    public String status() {
        return switch (state) {
            case NEW -> "new";
            case STARTING, STARTING_RELOAD_QUEUED -> waiting ? "waiting" : "starting";
            case RUNNING -> "running";
            case RELOADING, RELOADING_RELOAD_QUEUED -> "reloading";
            case ABORTING -> "aborting";
            case BACKOFF -> "backoff";
            case STOPPING, STOPPING_THEN_START, KILLING, KILLING_THEN_START, GOING_ON_DEMAND, GONE -> "stopping";
            case ON_DEMAND -> "on_demand"; // Issue 7: on-demand vassals
        };
    }

    /** The values {@link #status()} can take, in order. */
    public static final java.util.List<String> STATUSES =
            java.util.List.of("new", "waiting", "starting", "running", "reloading", "aborting", "backoff", "stopping",
                    "on_demand");
}
