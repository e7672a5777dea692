package dev.imperium.emperor;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * What systemd told the emperor through its environment when it started it as a {@code Type=notify} service: where
 * to send notifications ({@code NOTIFY_SOCKET}, sd_notify(3)) and how often to ping the watchdog
 * ({@code WATCHDOG_USEC} and {@code WATCHDOG_PID}, sd_watchdog_enabled(3)). Pure: parses strings, does no I/O.
 *
 * @param socket the notification socket: an absolute path, or {@code @name} for an abstract socket
 * @param watchdog the watchdog timeout ({@code WATCHDOG_USEC}), or null when the watchdog is off or meant for
 *     another process
 * @param warning a one-line note about an ignored setting (e.g. a malformed {@code WATCHDOG_USEC}), or null
 */
record NotifyEnvironment(String socket, Duration watchdog, String warning) {
    /** The variable naming the notification socket. */
    static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    /** The watchdog timeout in microseconds. */
    static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    /** The process the watchdog is meant for; unset means the one that reads it. */
    static final String WATCHDOG_PID = "WATCHDOG_PID";
    /** The longest UNIX socket address Linux takes ({@code sun_path} is 108 bytes). */
    private static final int SUN_PATH_MAX = 108;

    /**
     * Reads the environment the way sd_notify(3) and sd_watchdog_enabled(3) do.
     *
     * @param env the process environment
     * @param pid this process's id, compared with {@code WATCHDOG_PID}
     * @return the settings, or null when {@code NOTIFY_SOCKET} is unset or empty (not run by systemd with
     *     {@code Type=notify}: the emperor sends nothing)
     * @throws IllegalArgumentException if {@code NOTIFY_SOCKET} is neither an absolute path nor {@code @name}
     *     (e.g. systemd 254's {@code vsock:} addresses, which the emperor cannot reach)
     */
    static NotifyEnvironment of(Map<String, String> env, long pid) {
        String socket = env.get(NOTIFY_SOCKET);
        if (socket == null || socket.isEmpty()) {
            return null;
        }
        if (!(socket.startsWith("/") || socket.startsWith("@") && socket.length() > 1)) {
            throw new IllegalArgumentException(NOTIFY_SOCKET + "=" + socket
                    + " is not a UNIX socket path or @abstract name: not notifying systemd");
        }
        if (socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException(NOTIFY_SOCKET + "=" + socket + " is too long for a UNIX socket "
                    + "address: not notifying systemd");
        }
        String usec = env.get(WATCHDOG_USEC);
        if (usec == null || usec.isEmpty()) {
            return new NotifyEnvironment(socket, null, null);
        }
        String forPid = env.get(WATCHDOG_PID);
        if (forPid != null && !forPid.isEmpty() && !forPid.equals(Long.toString(pid))) {
            return new NotifyEnvironment(socket, null, null); // another process's watchdog (sd_watchdog_enabled: 0)
        }
        long micros;
        try {
            micros = Long.parseLong(usec);
        } catch (NumberFormatException e) {
            micros = 0;
        }
        if (micros <= 0) {
            return new NotifyEnvironment(socket, null, "ignoring " + WATCHDOG_USEC + "=" + usec
                    + ": not a positive number of microseconds");
        }
        return new NotifyEnvironment(socket, Duration.of(micros, ChronoUnit.MICROS), null);
    }

    /**
     * Returns how often to send {@code WATCHDOG=1}: half the watchdog timeout, as sd_watchdog_enabled(3) advises,
     * so that one late ping does not trip it.
     *
     * @return the ping period, or null without a watchdog
     */
    Duration pingPeriod() {
        return watchdog == null ? null : watchdog.dividedBy(2);
    }
}
