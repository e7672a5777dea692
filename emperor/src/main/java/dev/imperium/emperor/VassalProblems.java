package dev.imperium.emperor;

import dev.imperium.emperor.Vassal.Incarnation;

import java.time.Duration;

/**
 * Remembers each vassal's last error for the fleet page: a fatal error it reported, a refused or timed-out reload,
 * a start timeout, an exit the emperor did not ask for. Worded as the emperor's log words them. An error outlives
 * the process it came from (a vassal in backoff shows why it is there) and stays until a newer one.
 */
final class VassalProblems {
    private VassalProblems() {
    }

    /**
     * Records the error that {@code event} means for {@code v}, if any; call on the loop thread before the event
     * is applied (so {@code v.state} is the state the event arrives in).
     *
     * @param v the vassal
     * @param event what happened
     * @param startTimeout the start timeout, for its message
     * @param nowMillis the wall-clock time, in milliseconds since the epoch
     */
    static void note(Vassal v, VassalEvent event, Duration startTimeout, long nowMillis) {
        String message = describe(v.state, event, v.current, startTimeout);
        if (message != null) {
            v.lastError = message;
            v.lastErrorMillis = nowMillis;
        }
    }

    /**
     * Returns the error {@code event} means in {@code state}, or null if it is none.
     *
     * @param state the state the event arrives in
     * @param event what happened
     * @param inc the vassal's current process, or null
     * @param startTimeout the start timeout, for its message
     * @return one line, or null
     */
    static String describe(VassalState state, VassalEvent event, Incarnation inc, Duration startTimeout) {
        if (inc == null || !state.hasProcess()) {
            return null;
        }
        boolean stopping = switch (state) {
            case STOPPING, STOPPING_THEN_START, KILLING, KILLING_THEN_START -> true;
            default -> false;
        };
        boolean reloading = state == VassalState.RELOADING || state == VassalState.RELOADING_RELOAD_QUEUED;
        return switch (event) {
            case FATAL -> inc.lastFatal == null ? null : "fatal error: " + inc.lastFatal;
            case RELOAD_FAILED -> stopping ? null : "refused the reload: "
                    + (inc.lastReloadFailure == null ? "no reason given" : inc.lastReloadFailure)
                    + "; generation " + inc.generation + " keeps serving";
            case READY_TIMEOUT -> {
                if (reloading) {
                    yield "did not finish its reload within " + Supervisor.seconds(startTimeout) + "; generation "
                            + inc.generation + " keeps serving";
                }
                yield state == VassalState.STARTING || state == VassalState.STARTING_RELOAD_QUEUED
                        ? "not ready within " + Supervisor.seconds(startTimeout) : null;
            }
            case EXITED -> {
                if (stopping || inc.exit == null) {
                    yield null;
                }
                String reason = inc.exit.describe();
                if (inc.abortReason != null) {
                    reason = inc.abortReason + ", then " + reason;
                }
                yield inc.lastFatal == null ? reason : reason + "; last FATAL: " + inc.lastFatal;
            }
            default -> null;
        };
    }
}
