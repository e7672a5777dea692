package dev.imperium.emperor;

/**
 * Why the emperor had to respawn a vassal: the {@code reason} label of {@code imperium_vassal_restarts_total} and
 * the keys of {@code restarts_by_reason} in the emperor stats.
 */
enum RestartReason {
    /** The vassal exited on its own with an exit code (a FATAL at start, a crash of the master...). */
    EXIT("exit"),
    /** The vassal was killed by a signal the emperor did not send (e.g. {@code kill -9}, the OOM killer). */
    SIGNAL("signal"),
    /** The vassal did not accept requests within the start timeout and the emperor killed it. */
    START_TIMEOUT("start_timeout"),
    /** The vassal hung up its control connection and did not exit, so the emperor killed it. */
    CONTROL_LOST("control_lost"),
    /** The vassal program could not be started at all. */
    LAUNCH_FAILED("launch_failed"),
    /** The vassal sent heartbeats, then none within {@code emperor-required-heartbeat}, and the emperor killed it. */
    HEARTBEAT("heartbeat");

    private final String label;

    RestartReason(String label) {
        this.label = label;
    }

    /** Returns the label value, e.g. {@code start_timeout}. */
    String label() {
        return label;
    }

    /**
     * Classifies the end of a failed process.
     *
     * @param exit how it ended
     * @param startTimedOut whether the emperor killed it for not accepting within the start timeout
     * @param killedByEmperor whether the emperor gave up on it for another reason (lost control link)
     * @return the reason
     */
    static RestartReason of(ExitStatus exit, boolean startTimedOut, boolean killedByEmperor) {
        if (exit.launchError() != null) {
            return LAUNCH_FAILED;
        }
        if (startTimedOut) {
            return START_TIMEOUT;
        }
        if (killedByEmperor) {
            return CONTROL_LOST;
        }
        int code = exit.code();
        return code > 128 && code < 128 + 65 ? SIGNAL : EXIT;
    }
}
