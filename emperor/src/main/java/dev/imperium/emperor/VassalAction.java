package dev.imperium.emperor;

/**
 * What the emperor does in answer to a transition, performed in list order by the supervisor after
 * {@link VassalStateMachine#next} has decided. Arming a timer replaces the vassal's current timer (one timer slot
 * per vassal); reaching {@link VassalState#GONE} cancels it.
 */
public enum VassalAction {
    /** Launch a new vassal process with a fresh token (logs the command). */
    SPAWN,
    /** Send RELOAD on the control channel (queued until the vassal says HELLO). */
    SEND_RELOAD,
    /** Send STOP_GRACEFUL on the control channel (queued until the vassal says HELLO). */
    SEND_STOP_GRACEFUL,
    /** SIGKILL the vassal's process group (and any descendant that left it) if the vassal is still alive. */
    KILL_GROUP,
    /** After the vassal exited: SIGKILL whatever is left in its process group (orphaned workers). */
    SWEEP_GROUP,
    /** Arm the start/reload timer ({@link VassalEvent#READY_TIMEOUT}). */
    ARM_READY_TIMER,
    /** Arm the reload-mercy timer ({@link VassalEvent#MERCY_TIMEOUT}). */
    ARM_MERCY_TIMER,
    /** Arm the stability timer ({@link VassalEvent#STABLE_ELAPSED}). */
    ARM_STABLE_TIMER,
    /** Count one failure, compute the backoff delay, log it with the reason, arm {@link VassalEvent#BACKOFF_ELAPSED}. */
    SCHEDULE_BACKOFF,
    /** Forget past failures: the next failure is retried at once. */
    RESET_BACKOFF,
    /** Log "[emperor] vassal X has been spawned". */
    LOG_SPAWNED,
    /** Log "[emperor] vassal X is ready to accept requests" and the generation. */
    LOG_READY,
    /** Log "[emperor] vassal X is now loyal". */
    LOG_LOYAL,
    /** Log "[emperor] reload the uwsgi instance X". */
    LOG_RELOAD,
    /** Log that a change arrived while starting or reloading and one reload is queued. */
    LOG_RELOAD_QUEUED,
    /** Log the reason of a refused reload; the old generation keeps serving. */
    LOG_RELOAD_FAILED,
    /** Log that a reload got no answer within the start timeout; the old generation keeps serving. */
    LOG_RELOAD_TIMEOUT,
    /** Log the vassal's FATAL reason. */
    LOG_FATAL,
    /** Log "[emperor] stop the uwsgi instance X". */
    LOG_STOP,
    /** Log that the file came back while the vassal stops: it will be started again. */
    LOG_RESTART_QUEUED,
    /** Log "[emperor] NO MERCY for vassal X !!!". */
    LOG_NO_MERCY,
    /** Log "[emperor] curse the uwsgi instance X (pid: N)": it died or hung up unexpectedly. */
    LOG_CURSE,
    /** Log how the process ended (exit code or signal). */
    LOG_EXIT,
    /** Log that the vassal did not become ready within the start timeout. */
    LOG_START_TIMEOUT,
    /** Log that a change (touch) cut a backoff short: retrying now. */
    LOG_RETRY_NOW,
    /** Log "[emperor] removed uwsgi instance X". */
    LOG_REMOVED,
    /** Issue 7: on-demand vassals. Log uWSGI's "X -> "on demand" instance detected, waiting for connections...". */
    LOG_ON_DEMAND,
    /** Issue 7: on-demand vassals. Log "X -> back to "on demand" mode, waiting for connections on socket...". */
    LOG_ON_DEMAND_AGAIN,
    /** Issue 7: on-demand vassals. Log "updated configuration for "on demand" instance X" (a touch while asleep). */
    LOG_ON_DEMAND_UPDATED,
    /** Issue 7: on-demand vassals. Log "bringing back instance X to on-demand mode". */
    LOG_BACK_TO_ON_DEMAND
}
