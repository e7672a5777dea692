package dev.imperium.emperor;

/**
 * Where one vassal stands in its life, as seen by the emperor. Each vassal file has exactly one state.
 *
 * <p>Derived from uWSGI's per-instance status (uwsgi-features.md Appendix A: running, dying, on-demand), split
 * further so that readiness, reload, stop escalation and backoff are explicit. A state tells which timer may be
 * armed and whether a process exists; see {@link VassalStateMachine} for every transition.
 */
public enum VassalState {
    /** Just discovered: no process yet. Left on the first {@link VassalEvent#FILE_CHANGED}. */
    NEW(false),
    /** Process launched, not accepting requests yet; the ready timer runs. */
    STARTING(true),
    /** As {@link #STARTING}, and the file changed meanwhile: one reload is due once it accepts. */
    STARTING_RELOAD_QUEUED(true),
    /** Accepting requests; the stability timer runs until the backoff is forgiven. */
    RUNNING(true),
    /** RELOAD sent; the old generation serves until the vassal reports the new one or a refusal. */
    RELOADING(true),
    /** As {@link #RELOADING}, and the file changed again: one more reload is due when this one ends. */
    RELOADING_RELOAD_QUEUED(true),
    /** Failed (start timeout, lost control link): killed or waiting to die, then {@link #BACKOFF}. */
    ABORTING(true),
    /** No process; the backoff timer runs before the next attempt. A file change retries at once. */
    BACKOFF(false),
    /** STOP_GRACEFUL sent (file removed or emperor stopping); SIGKILL after the reload mercy. */
    STOPPING(true),
    /** As {@link #STOPPING}, but the file came back: start a fresh vassal once this one is gone. */
    STOPPING_THEN_START(true),
    /** The mercy ran out and the process group got SIGKILL; waiting for the exit. */
    KILLING(true),
    /** As {@link #KILLING}, but the file came back: start a fresh vassal once this one is gone. */
    KILLING_THEN_START(true),
    /**
     * Issue 7: on-demand vassals. No process: the emperor holds the vassal's socket and spawns it at the first
     * connection (uWSGI's on-demand mode, pid -1).
     */
    ON_DEMAND(false),
    /** Issue 7: on-demand vassals. Idle ({@code die-on-idle}), stopping gracefully; then {@link #ON_DEMAND} again. */
    GOING_ON_DEMAND(true),
    /** Stopped for good; the emperor forgets the vassal. Terminal. */
    GONE(false);

    private final boolean hasProcess;

    VassalState(boolean hasProcess) {
        this.hasProcess = hasProcess;
    }

    /** Returns whether a vassal process exists (or is being launched) in this state. */
    public boolean hasProcess() {
        return hasProcess;
    }
}
