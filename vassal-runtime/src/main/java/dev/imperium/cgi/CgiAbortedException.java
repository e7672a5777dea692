package dev.imperium.cgi;

import java.io.IOException;

/**
 * A CGI response that had begun could not be completed (the script timed out, or its output could not be read):
 * thrown to the protocol layer, which closes the connection so the client sees the answer cut short. Carries no
 * stack trace: the cause is the script, already logged, not the server.
 */
final class CgiAbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    CgiAbortedException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
