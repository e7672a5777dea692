package dev.imperium.http;

import java.io.IOException;

/**
 * A request broke a rule of HTTP/1.1 or a configured limit; the protocol layer answers {@link #status()} and closes
 * the connection.
 *
 * <p>The statuses used: 400 (malformed), 413 (body over the limit), 414 (request-line too long), 417 (unsupported
 * expectation), 431 (head too large), 501 (unsupported transfer coding or method), 505 (unsupported HTTP-version). {@link #reason()} is a short fixed text that never echoes the input, so it is safe to send to the
 * client. It extends {@link IOException} so the request body stream can throw it from {@code read}. Cheap to throw:
 * no stack trace is filled in.
 */
public final class HttpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param status the response status to send, 400..599
     * @param reason a short description of the broken rule, without any input bytes
     */
    public HttpProtocolException(int status, String reason) {
        super(status + " " + reason);
        this.status = status;
        this.reason = reason;
    }

    /** Returns the response status to send. */
    public int status() {
        return status;
    }

    /** Returns the short description of the broken rule. */
    public String reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
