package dev.imperium.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's file descriptor limit ({@code RLIMIT_NOFILE}) and how many client connections fit under it.
 *
 * <p>Every JVM raises its soft limit to the hard limit when it starts ({@code -XX:+MaxFDLimit}, on by default), and
 * its children inherit the raised limit: a vassal's master, workers and routers all run with the hard limit, the
 * figure uWSGI logs as {@code detected max file descriptor number: N}. A connection held by a worker costs one
 * descriptor; one held by the {@code http} router two (the client's and, while forwarding, the node's). A process
 * also needs descriptors for its jars, logs, pipes and listening sockets: {@link #RESERVE}, or half a lower limit.
 */
public final class FileLimits {
    /** Descriptors kept for everything but client connections (jars, logs, pipes, sockets, files served). */
    public static final int RESERVE = 128;

    private FileLimits() {
    }

    /**
     * Returns this process's soft limit on open files, or -1 if it cannot be read (not Linux).
     */
    public static long softLimit() {
        try {
            return parseSoftLimit(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Reads the soft limit from the text of {@code /proc/PID/limits}: the {@code Max open files} line's first
     * number ({@code unlimited} gives {@link Long#MAX_VALUE}).
     *
     * @return the soft limit, or -1 if the text has no such line
     */
    public static long parseSoftLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                if (fields.length == 0) {
                    return -1;
                }
                if (fields[0].equals("unlimited")) {
                    return Long.MAX_VALUE;
                }
                try {
                    return Long.parseLong(fields[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * Returns how many connections a process may hold: {@code wanted}, or fewer if that many would not fit under the
     * descriptor limit once {@link #RESERVE} (at most half the limit, so that a low limit still leaves room for
     * connections) is kept aside.
     *
     * @param wanted the configured maximum ({@code imperium-max-connections}), at least 1
     * @param softLimit the process's soft limit, or -1 if unknown (then {@code wanted})
     * @param descriptorsPerConnection 1 for a worker, 2 for the {@code http} router
     * @return at least 1
     */
    public static int connectionsWithin(int wanted, long softLimit, int descriptorsPerConnection) {
        if (softLimit < 0) {
            return wanted;
        }
        long fit = (softLimit - Math.min(RESERVE, softLimit / 2)) / descriptorsPerConnection;
        return (int) Math.max(1, Math.min(wanted, fit));
    }
}
