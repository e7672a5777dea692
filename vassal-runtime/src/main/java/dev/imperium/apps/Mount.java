package dev.imperium.apps;

import java.util.Objects;

/**
 * One {@code mount = MOUNTPOINT=APP} value (uwsgi-docs "Options": {@code mount}, "load application under
 * mountpoint"). For the JVM, APP is a JWSGI entry point {@code Class[:method]} or the class of a typed-API app
 * ({@code dev.imperium.app.HttpApp}), loaded from the vassal's {@code jvm-classpath}.
 *
 * @param mountpoint the URL prefix, e.g. {@code /api}; {@code ""} or {@code /} for the root
 * @param app the app
 */
public record Mount(String mountpoint, String app) {

    /** Requires both parts. */
    public Mount {
        Objects.requireNonNull(mountpoint, "mountpoint");
        Objects.requireNonNull(app, "app");
    }

    /**
     * Reads a value, split at its first {@code =} as uWSGI splits it.
     *
     * @throws IllegalArgumentException without {@code =} or without an app, in uWSGI's words
     *     ({@code invalid mountpoint: VALUE})
     */
    public static Mount parse(String value) {
        int eq = value.indexOf('=');
        if (eq < 0 || value.substring(eq + 1).isBlank()) {
            throw new IllegalArgumentException("invalid mountpoint: " + value);
        }
        return new Mount(value.substring(0, eq).strip(), value.substring(eq + 1).strip());
    }
}
