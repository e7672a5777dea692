package dev.imperium.emperor;

import dev.imperium.control.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * The emperor's record of one vassal file: its state, its failure count and its current process. Confined to the
 * event-loop thread.
 */
final class Vassal {
    final String name;
    VassalState state = VassalState.NEW;
    FileStamp stamp;
    /** Consecutive failures, for the backoff; 0 after a stable run or a reset. */
    int failures;
    /** How many processes were spawned for this file. */
    int spawns;
    /** The current process, or null in NEW, BACKOFF and GONE. */
    Incarnation current;
    EventLoop.Timer timer;
    /** Issue 8: resource limits. The address in use it failed on, once logged in this run of failures, or null. */
    String addressInUse;
    /**
     * The latest STATS_REPORT payload of its current process (the vassal's uWSGI stats JSON plus an
     * {@code "imperium"} object, see vassal-runtime CONFIG.md "The report to the emperor"), or null before the first
     * report and after the process ended.
     */
    String lastStatsJson;
    /** Times and counters for the stats server and /metrics. */
    final VassalRecord record = new VassalRecord();

    Vassal(String name) {
        this.name = name;
    }

    /** One process of a vassal, from spawn to exit. */
    static final class Incarnation {
        final Vassal vassal;
        final long id;
        final String token;
        /** When its process was launched (or, while it waits for a start slot, when the spawn was decided). */
        long spawnedNanos;
        /** Waiting for a start slot: decided, not launched yet. */
        boolean waiting;
        /** Holding one of the emperor's start slots: launched and not yet accepting. */
        boolean holdsStartSlot;
        /** Gives the start slot back if the vassal is still not accepting after {@code Supervisor.START_SLOT_LEASE}. */
        EventLoop.Timer startSlotLease;
        Process process;
        long pid = -1;
        /** The pid the vassal announced in HELLO (normally equal to {@link #pid}). */
        long helloPid = -1;
        ControlConnection connection;
        final List<Frame> outbox = new ArrayList<>(1);
        int generation;
        /** Whether it reported ACCEPTING at least once. */
        boolean wasReady;
        String lastFatal;
        /** The exit of a process whose control connection is still being read to its end, or null. */
        ExitStatus pendingExit;
        String lastReloadFailure;
        long reloadStartedNanos;
        boolean killRequested;
        ExitStatus exit;
        /** Why the emperor gave up on it (start timeout, lost control link), for the backoff log. */
        String abortReason;

        Incarnation(Vassal vassal, long id, String token) {
            this.vassal = vassal;
            this.id = id;
            this.token = token;
            this.spawnedNanos = System.nanoTime();
        }

        /**
         * Returns the best pid known: the launched process's (now: a foreign command vassal's process is replaced at
         * each reload), else the one announced.
         */
        long pid() {
            return process != null ? process.pid() : pid > 0 ? pid : helloPid;
        }
    }
}
