package dev.imperium.emperor;

/**
 * Everything that can happen to one vassal, whatever its source: the directory watcher, the vassal's control
 * channel, the process reaper, the emperor's timers and signals. The emperor's event loop turns each input into
 * one of these and feeds it to {@link VassalStateMachine}.
 */
public enum VassalEvent {
    /** The vassal file appeared or changed (mtime, size or inode), once settled; also a touch. */
    FILE_CHANGED,
    /** Reload requested for every vassal (SIGHUP to the emperor, as uWSGI's emperor_massive_reload). */
    RELOAD_REQUESTED,
    /** The vassal must stop for good: its file was removed, or the emperor is stopping (Ragnarok). */
    STOP_REQUESTED,
    /** Control message SPAWNED: the vassal master is set up (uWSGI byte 1). */
    SPAWNED,
    /** Control message ACCEPTING: a generation of workers accepts requests (uWSGI byte 5). */
    ACCEPTING,
    /** Control message RELOAD_FAILED: a reload was refused; the old generation keeps serving. */
    RELOAD_FAILED,
    /** Control message LOYAL: the vassal served its first request (uWSGI byte 17). */
    LOYAL,
    /** Control message FATAL: the vassal cannot start and is about to exit. */
    FATAL,
    /** The control connection closed while the process may still run (uWSGI curses the vassal). */
    CONTROL_LOST,
    /** The vassal process exited (or could not be launched at all). */
    EXITED,
    /** The vassal did not report ACCEPTING within the start timeout (also bounds a reload). */
    READY_TIMEOUT,
    /** The reload mercy ran out for a vassal that should have exited: time for SIGKILL. */
    MERCY_TIMEOUT,
    /** The backoff delay has passed: time for the next attempt. */
    BACKOFF_ELAPSED,
    /** The vassal has been accepting long enough to count as stable: its backoff is forgiven. */
    STABLE_ELAPSED,
    /** Control message VOLUNTARY_SHUTDOWN: the vassal is idle and has {@code die-on-idle} (uWSGI byte 22). */
    VOLUNTARY_SHUTDOWN,
    /** Issue 7: on-demand vassals. The emperor holds the vassal's socket: wait for a connection, no process. */
    ON_DEMAND_ARMED,
    /** Issue 7: on-demand vassals. A client connected to the socket of a sleeping vassal. */
    CONNECTION,
    /** Issue 7: on-demand vassals. An on-demand vassal sent VOLUNTARY_SHUTDOWN: back to sleep. */
    BACK_TO_ON_DEMAND
}
