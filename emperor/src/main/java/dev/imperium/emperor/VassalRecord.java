package dev.imperium.emperor;

import java.time.Duration;

/**
 * What the emperor remembers about one vassal for its stats server and {@code /metrics}: uWSGI's per-instance
 * times and flags ({@code core/emperor.c}, uwsgi-features.md §1.15) and Imperium's restart and backoff counters.
 * Times are epoch seconds, 0 meaning never, as uWSGI writes them. Confined to the event-loop thread, like
 * {@link Vassal}; read through {@link VassalSnapshot}.
 */
final class VassalRecord {
    /** The vassal file's mtime when the emperor first saw it (uWSGI's {@code born}). */
    long born;
    /** The first and the latest spawn or reload (uWSGI's {@code first_run}, {@code last_run}). */
    long firstRun;
    long lastRun;
    /** The latest HEARTBEAT frame. */
    long lastHeartbeat;
    /** The latest STATS_REPORT frame, epoch milliseconds. */
    long lastReportMillis;
    /** Flags of the current process, reset at each spawn ({@code ready} and {@code accepting} also at a reload). */
    boolean loyal;
    boolean ready;
    boolean accepting;
    long lastLoyal;
    long lastReady;
    long lastAccepting;
    /** When its current process was cursed (lost its control link or died), 0 after the next spawn. */
    long cursedAt;
    /** Reloads sent (uWSGI's {@code respawns}). */
    long reloads;
    /** Failed processes, by {@link RestartReason#ordinal()}. */
    final long[] restarts = new long[RestartReason.values().length];
    /** The current process was killed for not accepting within the start timeout. */
    boolean startTimedOut;
    /** The current process was killed for sending no heartbeat in time (emperor-required-heartbeat). */
    boolean heartbeatMissed;
    /** The latest backoff delay, and when it ends ({@link System#nanoTime()}). */
    long backoffDelayMillis;
    long backoffUntilNanos;
    /** The first and the latest failure of the current row of failures. */
    long firstFailure;
    long lastFailure;
    /** The user and group of the latest process in tyrant mode; 0 otherwise, as uWSGI's stats. */
    int uid;
    int gid;
    /** The latest error: a FATAL, a refused or timed-out reload, or why the process ended; null if none. */
    String lastError;
    long lastErrorAt;
    /** Issue 7: on-demand vassals. Its on-demand socket as named (uWSGI's stats {@code on_demand}), or "". */
    String onDemand = "";

    /**
     * Records what a transition did. Called by the supervisor after the transition's actions ran.
     *
     * @param v the vassal (its state and current incarnation are already updated)
     * @param event the event
     * @param t the transition taken
     * @param nowMillis the wall clock, epoch milliseconds
     */
    void afterTransition(Vassal v, VassalEvent event, Transition t, long nowMillis) {
        long now = nowMillis / 1000;
        Vassal.Incarnation inc = v.current;
        if (event == VassalEvent.FILE_CHANGED && born == 0 && v.stamp != null) {
            born = v.stamp.modified().toMillis() / 1000;
        }
        for (VassalAction action : t.actions()) {
            switch (action) {
                case SPAWN -> {
                    if (firstRun == 0) {
                        firstRun = now;
                    }
                    lastRun = now;
                    loyal = false;
                    ready = false;
                    accepting = false;
                    cursedAt = 0;
                    startTimedOut = false;
                    heartbeatMissed = false;
                    lastHeartbeat = 0; // a new process, as a new uWSGI instance
                    v.lastStatsJson = null;
                }
                case SEND_RELOAD -> {
                    reloads++;
                    lastRun = now;
                    ready = false;
                    accepting = false;
                }
                case LOG_CURSE -> cursedAt = now;
                default -> {
                    // nothing to record
                }
            }
        }
        switch (event) {
            case SPAWNED -> {
                ready = true;
                lastReady = now;
            }
            case ACCEPTING -> {
                accepting = true;
                lastAccepting = now;
            }
            case LOYAL -> {
                loyal = true;
                lastLoyal = now;
            }
            case FATAL -> error(inc == null ? null : "FATAL: " + inc.lastFatal, now);
            case RELOAD_FAILED -> error(inc == null ? null : "reload refused: " + inc.lastReloadFailure, now);
            case READY_TIMEOUT -> {
                if (t.next() == VassalState.ABORTING) {
                    startTimedOut = true;
                } else if (t.actions().contains(VassalAction.LOG_RELOAD_TIMEOUT)) {
                    error("the reload did not finish within the start timeout", now);
                }
            }
            case EXITED -> v.lastStatsJson = null; // its workers are gone with it
            default -> {
                // nothing to record
            }
        }
    }

    /**
     * Records a failed process that will be respawned after {@code delay}.
     *
     * @param inc the process that failed
     * @param failures the failures in a row, this one included
     * @param delay the backoff before the respawn
     * @param reason the reason as logged
     * @param nowMillis the wall clock, epoch milliseconds
     */
    void restarting(Vassal.Incarnation inc, int failures, Duration delay, String reason, long nowMillis) {
        long now = nowMillis / 1000;
        RestartReason why = heartbeatMissed && inc.exit.launchError() == null ? RestartReason.HEARTBEAT
                : RestartReason.of(inc.exit, startTimedOut, inc.abortReason != null);
        restarts[why.ordinal()]++;
        if (failures <= 1 || firstFailure == 0) {
            firstFailure = now;
        }
        lastFailure = now;
        backoffDelayMillis = delay.toMillis();
        backoffUntilNanos = System.nanoTime() + delay.toNanos();
        error(reason, now);
    }

    /** Records a HEARTBEAT frame. */
    void heartbeat(long nowMillis) {
        lastHeartbeat = nowMillis / 1000;
    }

    /** Records that the current process is killed for a missing heartbeat; uWSGI resets last_heartbeat then. */
    void heartbeatMissed() {
        heartbeatMissed = true;
        lastHeartbeat = 0;
    }

    /** Records the user and group the current process runs as in tyrant mode (uWSGI's stats uid and gid). */
    void runsAs(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
    }

    /** Records a STATS_REPORT frame. */
    void reported(long nowMillis) {
        lastReportMillis = nowMillis;
    }

    private void error(String text, long now) {
        if (text != null) {
            lastError = text;
            lastErrorAt = now;
        }
    }
}
