package dev.imperium.emperor.foreign;

import java.util.Locale;

/** What runs a vassal file: the vassal file's {@code imperium-runtime} key. */
public enum VassalRuntime {
    /** Imperium's own {@code bin/vassal} (JWSGI and typed-API apps). */
    IMPERIUM,
    /** The uWSGI binary, speaking uWSGI's emperor protocol (a Python, Perl... app under uWSGI). */
    UWSGI,
    /** Any program, given the sockets the emperor binds as systemd's {@code LISTEN_FDS}. */
    COMMAND;

    /** Returns the value as written in a vassal file: {@code imperium}, {@code uwsgi} or {@code command}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an {@code imperium-runtime} value, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static VassalRuntime parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (VassalRuntime r : values()) {
            if (r.key().equals(v)) {
                return r;
            }
        }
        throw new IllegalArgumentException("imperium-runtime = " + value.trim()
                + ": expected imperium, uwsgi or command");
    }
}
