package dev.imperium.vassal;

import dev.imperium.config.VassalConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limits that retire a worker besides {@code max-requests} (uwsgi-docs "Options"; uWSGI 2.0
 * {@code core/master_checks.c}, {@code core/utils.c}):
 *
 * @param maxLifetimeSeconds {@code max-worker-lifetime}: the master recycles a worker gracefully once it has run this
 *     long (0 = never)
 * @param maxLifetimeDeltaSeconds {@code max-worker-lifetime-delta}: worker N's lifetime is
 *     {@code max + (N - 1) * delta}, so the workers do not all restart at once
 * @param reloadOnRssBytes {@code reload-on-rss} (given in megabytes): after a request, a worker whose resident memory
 *     reached this recycles itself gracefully, once it has lived {@code min-worker-lifetime} (0 = never)
 * @param evilReloadOnRssBytes {@code evil-reload-on-rss} (megabytes): the master kills a worker whose resident memory
 *     reached this with SIGKILL, whatever it is doing (0 = never)
 */
public record WorkerLimits(long maxLifetimeSeconds, long maxLifetimeDeltaSeconds, long reloadOnRssBytes,
        long evilReloadOnRssBytes) {

    /** No limit. */
    public static final WorkerLimits NONE = new WorkerLimits(0, 0, 0, 0);

    /**
     * Reads the limits.
     *
     * @throws IllegalArgumentException if a value is negative
     */
    public static WorkerLimits from(VassalConfig config) {
        return new WorkerLimits(notNegative(config, "max-worker-lifetime"),
                notNegative(config, "max-worker-lifetime-delta"),
                notNegative(config, "reload-on-rss") << 20, notNegative(config, "evil-reload-on-rss") << 20);
    }

    private static long notNegative(VassalConfig config, String name) {
        int value = config.intValue(name, 0);
        if (value < 0) {
            throw new IllegalArgumentException("option '" + name + "' must not be negative, got " + value);
        }
        return value;
    }

    /** Returns true if the master has a limit to check once a second. */
    public boolean masterChecks() {
        return maxLifetimeSeconds > 0 || evilReloadOnRssBytes > 0;
    }

    /** Returns how long worker {@code id} may live, in seconds, or 0 for ever. */
    public long lifetimeSeconds(int id) {
        return maxLifetimeSeconds == 0 ? 0 : maxLifetimeSeconds + (id - 1L) * maxLifetimeDeltaSeconds;
    }

    /**
     * Returns a process's resident memory ({@code VmRSS} of {@code /proc/PID/status}), in bytes, or -1 if it cannot be
     * read (the process is gone).
     *
     * @param pid a process id, or "self"
     */
    public static long residentBytes(String pid) {
        // a stream, not Files.readString: /proc files report size 0
        try (InputStream in = Files.newInputStream(Path.of("/proc", pid, "status"))) {
            String status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int at = status.indexOf("VmRSS:");
            if (at < 0) {
                return -1;
            }
            int end = status.indexOf('\n', at);
            String value = status.substring(at + 6, end < 0 ? status.length() : end).trim();
            return Long.parseLong(value.substring(0, value.indexOf(' ')).trim()) * 1024;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
