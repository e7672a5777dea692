package dev.imperium.uwsgi;

import java.io.IOException;

/**
 * A uwsgi packet broke a rule of the protocol or a configured limit; the connection is closed without an answer, as
 * uWSGI does. The message is the line uWSGI logs for the same fault where it has one (e.g. {@code invalid request
 * block size: 5000 (max 4096)...skip}), and never echoes the input's bytes. Cheap to throw: no stack trace.
 */
public final class UwsgiProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, without input bytes
     */
    public UwsgiProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
