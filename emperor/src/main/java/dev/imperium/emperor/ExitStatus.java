package dev.imperium.emperor;

/**
 * How a vassal process ended, or why it never started.
 *
 * @param code the exit value as the JDK reports it (128 + N when killed by signal N), -1 if it could not be started,
 *     {@value #NEVER_LAUNCHED} if it was stopped while waiting for a start slot
 * @param launchError why it could not be started, or null
 */
record ExitStatus(int code, String launchError) {
    /** The code of a vassal stopped before its launch (it was waiting for a start slot). */
    static final int NEVER_LAUNCHED = -2;
    /**
     * Issue 8: bad configs. The code a vassal exits with when its file cannot be used (sysexits' {@code EX_CONFIG},
     * which systemd also reads as a configuration error): it is not respawned until its file changes.
     */
    static final int BAD_CONFIG = 78;

    /** Returns the status of a process that exited with {@code code}. */
    static ExitStatus exited(int code) {
        return new ExitStatus(code, null);
    }

    /** Returns the status of a process that could not be started. */
    static ExitStatus notStarted(String error) {
        return new ExitStatus(-1, error);
    }

    /** Returns the status of a vassal stopped while it waited for a start slot: no process was ever launched. */
    static ExitStatus neverLaunched() {
        return new ExitStatus(NEVER_LAUNCHED, null);
    }

    /**
     * Describes the status for a log line, e.g. "exited with code 3" or "was killed by signal 9 (SIGKILL)". The
     * JDK cannot tell {@code exit(137)} from death by SIGKILL; a code above 128 is read as a signal, as shells do.
     */
    String describe() {
        if (launchError != null) {
            return "could not be started: " + launchError;
        }
        if (code == NEVER_LAUNCHED) {
            return "was stopped while waiting to start";
        }
        if (code > 128 && code < 128 + 65) {
            int signal = code - 128;
            return "was killed by signal " + signal + signalName(signal);
        }
        return "exited with code " + code + (badConfig() ? " (bad config)" : "");
    }

    /** Issue 8: bad configs. Whether the vassal exited because its file cannot be used. */
    boolean badConfig() {
        return launchError == null && code == BAD_CONFIG;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 3 -> " (SIGQUIT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }
}
