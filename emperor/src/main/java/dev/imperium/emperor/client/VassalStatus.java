package dev.imperium.emperor.client;

import java.util.Locale;
import java.util.Objects;

/**
 * One vassal as the emperor sees it, for {@code imperium status} and {@code top}.
 *
 * @param name the vassal file name
 * @param state the state in one word (see {@link State})
 * @param detail the emperor's precise state (its state machine's name, e.g. {@code RELOADING_RELOAD_QUEUED}, or
 *     {@code STOPPED} for a vassal stopped by {@code imperium stop})
 * @param pid the vassal master's pid, or -1 when it has no process
 * @param generation the generation of workers that accepts requests (1 after the start, +1 per reload), or 0
 * @param uptimeSeconds seconds since the current process was launched, or -1 when it has none
 * @param restarts how many times the emperor started it again since the file appeared (crashes, failed starts)
 * @param failures consecutive failures (0 once it has run stably)
 * @param backoffSeconds seconds until the next attempt while it waits in its backoff, or -1
 * @param lastError the last failure the emperor saw (exit, refused reload, fatal error), or null
 * @param lastErrorEpochSeconds when that was (Unix time), or 0
 * @param workersBusy busy workers in the latest stats report, or -1 without one
 * @param workersTotal workers in the latest stats report, or -1 without one
 * @param statsJson the latest stats report the vassal sent (uWSGI's stats document plus {@code "imperium"}), as
 *     minified JSON, or null when it has not reported yet
 */
public record VassalStatus(String name, State state, String detail, long pid, int generation, double uptimeSeconds,
                           int restarts, int failures, double backoffSeconds, String lastError,
                           long lastErrorEpochSeconds, int workersBusy, int workersTotal, String statsJson) {
    /** The state in one word, like supervisord's. */
    public enum State {
        /** Launched, not accepting requests yet (or waiting for a start slot). */
        STARTING,
        /** Accepting requests. */
        RUNNING,
        /** A reload is under way; the old generation serves. */
        RELOADING,
        /** It failed (start timeout, lost control link) and is being killed; it will be restarted. */
        FAILING,
        /** It failed and waits before the next attempt ({@link VassalStatus#backoffSeconds}). */
        BACKOFF,
        /** It is stopping (file removed, {@code imperium stop}, emperor stopping). */
        STOPPING,
        /** Stopped by {@code imperium stop}; its file is still there. */
        STOPPED,
        /** Issue 7: on-demand vassals. Asleep: the emperor holds its socket and starts it at the next connection. */
        ON_DEMAND;

        /** Returns the name on the wire, e.g. {@code running}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Returns the state named {@code name} on the wire.
         *
         * @throws IllegalArgumentException if there is none
         */
        public static State fromWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Checks the required fields. */
    public VassalStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    /** Returns whether it accepts requests ({@link State#RUNNING} or {@link State#RELOADING}). */
    public boolean serving() {
        return state == State.RUNNING || state == State.RELOADING;
    }
}
