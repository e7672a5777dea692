package dev.imperium.scgi;

import java.io.IOException;

/**
 * An SCGI request's header netstring broke a rule of the protocol or a configured limit; the connection is closed
 * without an answer, as uWSGI 2.0 ({@code proto/scgi.c}) does. The message fits on one log line (e.g.
 * {@code invalid SCGI request size: 5000 (max 4096)...skip}, uWSGI's words where it has some) and never echoes the
 * input's bytes. Cheap to throw: no stack trace.
 */
public final class ScgiProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, without input bytes
     */
    public ScgiProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
