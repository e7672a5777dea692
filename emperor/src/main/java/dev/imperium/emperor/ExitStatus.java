package dev.imperium.emperor;

/**
 * How a vassal process ended, or why it never started.
 *
 * @param code the exit value as the JDK reports it (128 + N when killed by signal N), or -1 if it never started
 * @param launchError why it could not be started, or null
 */
record ExitStatus(int code, String launchError) {
    /** Returns the status of a process that exited with {@code code}. */
    static ExitStatus exited(int code) {
        return new ExitStatus(code, null);
    }

    /** Returns the status of a process that could not be started. */
    static ExitStatus notStarted(String error) {
        return new ExitStatus(-1, error);
    }

    /**
     * Describes the status for a log line, e.g. "exited with code 3" or "was killed by signal 9 (SIGKILL)". The
     * JDK cannot tell {@code exit(137)} from death by SIGKILL; a code above 128 is read as a signal, as shells do.
     */
    String describe() {
        if (launchError != null) {
            return "could not be started: " + launchError;
        }
        if (code > 128 && code < 128 + 65) {
            int signal = code - 128;
            return "was killed by signal " + signal + signalName(signal);
        }
        return "exited with code " + code;
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
