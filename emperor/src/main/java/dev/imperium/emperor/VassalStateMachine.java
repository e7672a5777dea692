package dev.imperium.emperor;

import static dev.imperium.emperor.VassalAction.ARM_MERCY_TIMER;
import static dev.imperium.emperor.VassalAction.ARM_READY_TIMER;
import static dev.imperium.emperor.VassalAction.ARM_STABLE_TIMER;
import static dev.imperium.emperor.VassalAction.KILL_GROUP;
import static dev.imperium.emperor.VassalAction.LOG_CURSE;
import static dev.imperium.emperor.VassalAction.LOG_EXIT;
import static dev.imperium.emperor.VassalAction.LOG_FATAL;
import static dev.imperium.emperor.VassalAction.LOG_LOYAL;
import static dev.imperium.emperor.VassalAction.LOG_BACK_TO_ON_DEMAND;
import static dev.imperium.emperor.VassalAction.LOG_NO_MERCY;
import static dev.imperium.emperor.VassalAction.LOG_ON_DEMAND;
import static dev.imperium.emperor.VassalAction.LOG_ON_DEMAND_AGAIN;
import static dev.imperium.emperor.VassalAction.LOG_ON_DEMAND_UPDATED;
import static dev.imperium.emperor.VassalAction.LOG_READY;
import static dev.imperium.emperor.VassalAction.LOG_RELOAD;
import static dev.imperium.emperor.VassalAction.LOG_RELOAD_FAILED;
import static dev.imperium.emperor.VassalAction.LOG_RELOAD_QUEUED;
import static dev.imperium.emperor.VassalAction.LOG_RELOAD_TIMEOUT;
import static dev.imperium.emperor.VassalAction.LOG_REMOVED;
import static dev.imperium.emperor.VassalAction.LOG_RESTART_QUEUED;
import static dev.imperium.emperor.VassalAction.LOG_RETRY_NOW;
import static dev.imperium.emperor.VassalAction.LOG_SPAWNED;
import static dev.imperium.emperor.VassalAction.LOG_START_TIMEOUT;
import static dev.imperium.emperor.VassalAction.LOG_STOP;
import static dev.imperium.emperor.VassalAction.RESET_BACKOFF;
import static dev.imperium.emperor.VassalAction.SCHEDULE_BACKOFF;
import static dev.imperium.emperor.VassalAction.SEND_RELOAD;
import static dev.imperium.emperor.VassalAction.SEND_STOP_GRACEFUL;
import static dev.imperium.emperor.VassalAction.SPAWN;
import static dev.imperium.emperor.VassalAction.SWEEP_GROUP;
import static dev.imperium.emperor.VassalState.ABORTING;
import static dev.imperium.emperor.VassalState.BACKOFF;
import static dev.imperium.emperor.VassalState.GOING_ON_DEMAND;
import static dev.imperium.emperor.VassalState.GONE;
import static dev.imperium.emperor.VassalState.KILLING;
import static dev.imperium.emperor.VassalState.KILLING_THEN_START;
import static dev.imperium.emperor.VassalState.ON_DEMAND;
import static dev.imperium.emperor.VassalState.RELOADING;
import static dev.imperium.emperor.VassalState.RELOADING_RELOAD_QUEUED;
import static dev.imperium.emperor.VassalState.RUNNING;
import static dev.imperium.emperor.VassalState.STARTING;
import static dev.imperium.emperor.VassalState.STARTING_RELOAD_QUEUED;
import static dev.imperium.emperor.VassalState.STOPPING;
import static dev.imperium.emperor.VassalState.STOPPING_THEN_START;

/**
 * The per-vassal lifecycle as a pure function {@code (state, event) -> (next state, actions)}: no I/O, no clock,
 * no mutable state. Every one of the {@code states x events} pairs is decided here on purpose (the switches are
 * exhaustive, so the compiler rejects a new state or event until it is handled); pairs that cannot happen or do
 * not matter in a state return the same state and no action.
 *
 * <p>Rules follow uWSGI's emperor ({@code core/emperor.c}, uwsgi-features.md §1.4–1.8 and Appendix A) where it
 * has one — a file change sends a graceful reload, a removed file a stop, a death a respawn, SIGKILL only after
 * the mercy — and improve on it where the Imperium contract allows: readiness (ACCEPTING) rather than
 * fork, a refused reload keeps the old generation, and a file change cuts any backoff short (uWSGI issue #1148).
 */
public final class VassalStateMachine {
    private static final Transition SPAWN_NOW = Transition.to(STARTING, SPAWN, ARM_READY_TIMER);

    private VassalStateMachine() {
    }

    /**
     * Decides what {@code event} does to a vassal in {@code state}.
     *
     * @param state the vassal's current state
     * @param event what happened
     * @return the next state and the actions to perform, in order
     */
    public static Transition next(VassalState state, VassalEvent event) {
        return switch (state) {
            case NEW -> fromNew(event);
            case STARTING, STARTING_RELOAD_QUEUED -> fromStarting(state, event);
            case RUNNING -> fromRunning(event);
            case RELOADING, RELOADING_RELOAD_QUEUED -> fromReloading(state, event);
            case ABORTING -> fromAborting(event);
            case BACKOFF -> fromBackoff(event);
            case STOPPING, STOPPING_THEN_START, KILLING, KILLING_THEN_START -> fromStopping(state, event);
            case ON_DEMAND -> fromOnDemand(event); // Issue 7: on-demand vassals
            case GOING_ON_DEMAND -> fromGoingOnDemand(event);
            case GONE -> same(state);
        };
    }

    private static Transition fromNew(VassalEvent event) {
        return switch (event) {
            case FILE_CHANGED -> SPAWN_NOW;
            case STOP_REQUESTED -> Transition.to(GONE);
            case ON_DEMAND_ARMED -> Transition.to(ON_DEMAND, LOG_ON_DEMAND);
            case RELOAD_REQUESTED, SPAWNED, ACCEPTING, RELOAD_FAILED, LOYAL, FATAL, CONTROL_LOST, EXITED,
                 READY_TIMEOUT, MERCY_TIMEOUT, BACKOFF_ELAPSED, STABLE_ELAPSED, VOLUNTARY_SHUTDOWN, CONNECTION,
                 BACK_TO_ON_DEMAND -> same(VassalState.NEW);
        };
    }

    private static Transition fromStarting(VassalState state, VassalEvent event) {
        boolean queued = state == STARTING_RELOAD_QUEUED;
        return switch (event) {
            case FILE_CHANGED -> queued ? same(state) : Transition.to(STARTING_RELOAD_QUEUED, RESET_BACKOFF, LOG_RELOAD_QUEUED);
            // The vassal is loading its config right now: a reload would add nothing.
            case RELOAD_REQUESTED -> same(state);
            case STOP_REQUESTED -> stop();
            case SPAWNED -> Transition.to(state, LOG_SPAWNED);
            case ACCEPTING -> queued
                    ? Transition.to(RELOADING, LOG_READY, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER)
                    : Transition.to(RUNNING, LOG_READY, ARM_STABLE_TIMER);
            case RELOAD_FAILED -> Transition.to(state, LOG_RELOAD_FAILED);
            case LOYAL -> Transition.to(state, LOG_LOYAL);
            case FATAL -> Transition.to(state, LOG_FATAL);
            case CONTROL_LOST -> curse();
            case EXITED -> crashed();
            case READY_TIMEOUT -> Transition.to(ABORTING, LOG_START_TIMEOUT, KILL_GROUP, ARM_MERCY_TIMER);
            case VOLUNTARY_SHUTDOWN -> idleStop();
            case BACK_TO_ON_DEMAND -> backToOnDemand();
            case MERCY_TIMEOUT, BACKOFF_ELAPSED, STABLE_ELAPSED, ON_DEMAND_ARMED, CONNECTION -> same(state);
        };
    }

    private static Transition fromRunning(VassalEvent event) {
        return switch (event) {
            case FILE_CHANGED -> Transition.to(RELOADING, RESET_BACKOFF, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER);
            case RELOAD_REQUESTED -> Transition.to(RELOADING, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER);
            case STOP_REQUESTED -> stop();
            case SPAWNED -> Transition.to(RUNNING, LOG_SPAWNED);
            // A vassal may reload on its own (e.g. its own touch-reload); log the new generation.
            case ACCEPTING -> Transition.to(RUNNING, LOG_READY);
            case RELOAD_FAILED -> Transition.to(RUNNING, LOG_RELOAD_FAILED);
            case LOYAL -> Transition.to(RUNNING, LOG_LOYAL);
            case FATAL -> Transition.to(RUNNING, LOG_FATAL);
            case CONTROL_LOST -> curse();
            case EXITED -> crashed();
            case STABLE_ELAPSED -> Transition.to(RUNNING, RESET_BACKOFF);
            case VOLUNTARY_SHUTDOWN -> idleStop();
            case BACK_TO_ON_DEMAND -> backToOnDemand();
            case READY_TIMEOUT, MERCY_TIMEOUT, BACKOFF_ELAPSED, ON_DEMAND_ARMED, CONNECTION -> same(RUNNING);
        };
    }

    private static Transition fromReloading(VassalState state, VassalEvent event) {
        boolean queued = state == RELOADING_RELOAD_QUEUED;
        // When the current reload ends, a queued change starts the next one at once.
        Transition afterReload = queued
                ? Transition.to(RELOADING, LOG_RELOAD, SEND_RELOAD, ARM_READY_TIMER)
                : Transition.to(RUNNING, ARM_STABLE_TIMER);
        return switch (event) {
            case FILE_CHANGED -> queued ? same(state) : Transition.to(RELOADING_RELOAD_QUEUED, RESET_BACKOFF, LOG_RELOAD_QUEUED);
            case RELOAD_REQUESTED -> same(state);
            case STOP_REQUESTED -> stop();
            case SPAWNED -> Transition.to(state, LOG_SPAWNED);
            case ACCEPTING -> prepend(afterReload, LOG_READY);
            case RELOAD_FAILED -> prepend(afterReload, LOG_RELOAD_FAILED);
            case READY_TIMEOUT -> prepend(afterReload, LOG_RELOAD_TIMEOUT);
            case LOYAL -> Transition.to(state, LOG_LOYAL);
            case FATAL -> Transition.to(state, LOG_FATAL);
            case CONTROL_LOST -> curse();
            case EXITED -> crashed();
            case VOLUNTARY_SHUTDOWN -> idleStop();
            case BACK_TO_ON_DEMAND -> backToOnDemand();
            case MERCY_TIMEOUT, BACKOFF_ELAPSED, STABLE_ELAPSED, ON_DEMAND_ARMED, CONNECTION -> same(state);
        };
    }

    private static Transition fromAborting(VassalEvent event) {
        return switch (event) {
            // Remember the change: the backoff after this exit will be zero.
            case FILE_CHANGED -> Transition.to(ABORTING, RESET_BACKOFF);
            // Keep the running mercy timer: the process is already on its way out.
            case STOP_REQUESTED -> Transition.to(STOPPING, LOG_STOP, SEND_STOP_GRACEFUL);
            case FATAL -> Transition.to(ABORTING, LOG_FATAL);
            case EXITED -> Transition.to(BACKOFF, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF);
            case MERCY_TIMEOUT -> Transition.to(ABORTING, KILL_GROUP, ARM_MERCY_TIMER);
            case RELOAD_REQUESTED, SPAWNED, ACCEPTING, RELOAD_FAILED, LOYAL, CONTROL_LOST, READY_TIMEOUT,
                 BACKOFF_ELAPSED, STABLE_ELAPSED, VOLUNTARY_SHUTDOWN, ON_DEMAND_ARMED, CONNECTION,
                 BACK_TO_ON_DEMAND -> same(ABORTING);
        };
    }

    private static Transition fromBackoff(VassalEvent event) {
        return switch (event) {
            case FILE_CHANGED, RELOAD_REQUESTED ->
                    Transition.to(STARTING, RESET_BACKOFF, LOG_RETRY_NOW, SPAWN, ARM_READY_TIMER);
            case STOP_REQUESTED -> Transition.to(GONE, LOG_STOP, LOG_REMOVED);
            case BACKOFF_ELAPSED -> SPAWN_NOW;
            // an on-demand vassal's backoff ends with its socket watched again, not with a spawn
            case ON_DEMAND_ARMED -> Transition.to(ON_DEMAND, LOG_ON_DEMAND_AGAIN);
            case SPAWNED, ACCEPTING, RELOAD_FAILED, LOYAL, FATAL, CONTROL_LOST, EXITED, READY_TIMEOUT,
                 MERCY_TIMEOUT, STABLE_ELAPSED, VOLUNTARY_SHUTDOWN, CONNECTION, BACK_TO_ON_DEMAND -> same(BACKOFF);
        };
    }

    private static Transition fromStopping(VassalState state, VassalEvent event) {
        boolean killed = state == KILLING || state == KILLING_THEN_START;
        boolean restart = state == STOPPING_THEN_START || state == KILLING_THEN_START;
        return switch (event) {
            case FILE_CHANGED -> restart ? same(state)
                    : Transition.to(killed ? KILLING_THEN_START : STOPPING_THEN_START, RESET_BACKOFF, LOG_RESTART_QUEUED);
            case STOP_REQUESTED -> restart ? Transition.to(killed ? KILLING : STOPPING) : same(state);
            case FATAL -> Transition.to(state, LOG_FATAL);
            case EXITED -> restart
                    ? Transition.to(STARTING, LOG_EXIT, SWEEP_GROUP, SPAWN, ARM_READY_TIMER)
                    : Transition.to(GONE, LOG_EXIT, SWEEP_GROUP, LOG_REMOVED);
            case MERCY_TIMEOUT -> killed
                    ? Transition.to(state, KILL_GROUP, ARM_MERCY_TIMER)
                    : Transition.to(restart ? KILLING_THEN_START : KILLING, LOG_NO_MERCY, KILL_GROUP, ARM_MERCY_TIMER);
            case RELOAD_REQUESTED, SPAWNED, ACCEPTING, RELOAD_FAILED, LOYAL, CONTROL_LOST, READY_TIMEOUT,
                 BACKOFF_ELAPSED, STABLE_ELAPSED, VOLUNTARY_SHUTDOWN, ON_DEMAND_ARMED, CONNECTION,
                 BACK_TO_ON_DEMAND -> same(state);
        };
    }

    /**
     * Issue 7: on-demand vassals. Asleep, the emperor holding its socket: the first connection spawns it (the
     * socket is its fd 0); a touch only records the new file (uWSGI's emperor_respawn for a vassal with pid -1);
     * the removal of its file closes the socket.
     */
    private static Transition fromOnDemand(VassalEvent event) {
        return switch (event) {
            case CONNECTION -> Transition.to(STARTING, SPAWN, ARM_READY_TIMER);
            case FILE_CHANGED -> Transition.to(ON_DEMAND, RESET_BACKOFF, LOG_ON_DEMAND_UPDATED);
            case STOP_REQUESTED -> Transition.to(GONE, LOG_STOP, LOG_REMOVED);
            case RELOAD_REQUESTED, SPAWNED, ACCEPTING, RELOAD_FAILED, LOYAL, FATAL, CONTROL_LOST, EXITED,
                 READY_TIMEOUT, MERCY_TIMEOUT, BACKOFF_ELAPSED, STABLE_ELAPSED, VOLUNTARY_SHUTDOWN, ON_DEMAND_ARMED,
                 BACK_TO_ON_DEMAND -> same(ON_DEMAND);
        };
    }

    /**
     * Issue 7: on-demand vassals. Idle, told to stop gracefully (uWSGI's emperor_back_to_ondemand): once it exits,
     * its socket is watched again; SIGKILL after the reload mercy, as any stop.
     */
    private static Transition fromGoingOnDemand(VassalEvent event) {
        return switch (event) {
            case EXITED -> Transition.to(ON_DEMAND, LOG_EXIT, SWEEP_GROUP, LOG_ON_DEMAND_AGAIN);
            case MERCY_TIMEOUT -> Transition.to(GOING_ON_DEMAND, LOG_NO_MERCY, KILL_GROUP, ARM_MERCY_TIMER);
            // keep the mercy timer running: the process is already on its way out
            case STOP_REQUESTED -> Transition.to(STOPPING);
            case FATAL -> Transition.to(GOING_ON_DEMAND, LOG_FATAL);
            // the next wake-up reads the file anyway
            case FILE_CHANGED -> Transition.to(GOING_ON_DEMAND, RESET_BACKOFF);
            case RELOAD_REQUESTED, SPAWNED, ACCEPTING, RELOAD_FAILED, LOYAL, CONTROL_LOST, READY_TIMEOUT,
                 BACKOFF_ELAPSED, STABLE_ELAPSED, VOLUNTARY_SHUTDOWN, ON_DEMAND_ARMED, CONNECTION,
                 BACK_TO_ON_DEMAND -> same(GOING_ON_DEMAND);
        };
    }

    /**
     * Message 22 from a vassal that is not on demand: stopped gracefully, as uWSGI's emperor_stop; its file is still
     * there, so it starts again once gone (uWSGI's next scan adds the file back).
     */
    private static Transition idleStop() {
        return Transition.to(STOPPING_THEN_START, LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER);
    }

    /** Issue 7: on-demand vassals. Message 22 from an on-demand vassal: stop gracefully, then sleep. */
    private static Transition backToOnDemand() {
        return Transition.to(GOING_ON_DEMAND, LOG_BACK_TO_ON_DEMAND, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER);
    }

    /** A live vassal is asked to stop: graceful first, SIGKILL after the mercy (uWSGI's emperor_stop + curse). */
    private static Transition stop() {
        return Transition.to(STOPPING, LOG_STOP, SEND_STOP_GRACEFUL, ARM_MERCY_TIMER);
    }

    /** A live vassal hung up its control link: it is dying (or broken); give it the mercy, then kill it. */
    private static Transition curse() {
        return Transition.to(ABORTING, LOG_CURSE, ARM_MERCY_TIMER);
    }

    /** A live vassal died on its own: respawn after the backoff (zero for the first failure). */
    private static Transition crashed() {
        return Transition.to(BACKOFF, LOG_CURSE, LOG_EXIT, SWEEP_GROUP, SCHEDULE_BACKOFF);
    }

    private static Transition same(VassalState state) {
        return Transition.to(state);
    }

    private static Transition prepend(Transition t, VassalAction first) {
        VassalAction[] actions = new VassalAction[t.actions().size() + 1];
        actions[0] = first;
        for (int i = 0; i < t.actions().size(); i++) {
            actions[i + 1] = t.actions().get(i);
        }
        return Transition.to(t.next(), actions);
    }
}
