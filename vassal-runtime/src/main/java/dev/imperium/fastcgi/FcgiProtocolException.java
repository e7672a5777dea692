package dev.imperium.fastcgi;

import java.io.IOException;

/**
 * A FastCGI record or PARAMS stream broke a rule of the protocol or a configured limit; the connection is closed
 * without an answer, as uWSGI 2.0 ({@code proto/fastcgi.c}) does. The message fits on one log line (e.g.
 * {@code FastCGI params stream over buffer-size: 5000 bytes (max 4096)}) and never echoes the input's bytes. Cheap
 * to throw: no stack trace.
 */
public final class FcgiProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, without input bytes
     */
    public FcgiProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
