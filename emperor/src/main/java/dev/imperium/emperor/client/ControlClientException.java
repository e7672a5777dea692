package dev.imperium.emperor.client;

import java.util.Objects;

/** Talking to the emperor failed; {@link #kind()} says how, the message says it for people. */
public final class ControlClientException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How it failed. */
    public enum Kind {
        /** No emperor listens on the socket (no file, or a stale one). */
        NOT_RUNNING,
        /** This user may not drive the emperor. */
        PERMISSION,
        /** The emperor hung up before answering. */
        CLOSED,
        /** No answer within the timeout. */
        TIMEOUT,
        /** An answer that cannot be read. */
        PROTOCOL,
        /** Another I/O error. */
        IO
    }

    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param kind how it failed
     * @param message what happened, in one line
     */
    public ControlClientException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Returns how it failed. */
    public Kind kind() {
        return kind;
    }
}
