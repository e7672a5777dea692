package dev.imperium.server.net;

import java.io.IOException;

/**
 * A request body that could not be read to its end because the client was too slow (a read waited longer than
 * {@code socket-timeout}) or went away. Its message is uWSGI's line for the event ({@code core/reader.c}):
 * {@code [uwsgi-body-read] Timeout reading 4096 bytes. Content-Length: 100000 consumed: 12 left: 99988}, or
 * {@code [uwsgi-body-read] Error reading ... message: ...}. The connection layer logs it once, rate-limited, without a
 * stack trace: it is the client's failure, not the app's.
 */
public final class BodyReadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    private BodyReadException(String message, boolean timedOut, IOException cause) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /**
     * Describes a failed body read in uWSGI's words.
     *
     * @param timedOut true if the read waited longer than the read timeout, false if it failed otherwise
     * @param requested how many bytes the read asked for
     * @param contentLength the body's Content-Length, or -1 for a chunked body
     * @param consumed the body bytes read before
     * @param cause the read's own failure
     */
    public static BodyReadException of(boolean timedOut, long requested, long contentLength, long consumed,
            IOException cause) {
        StringBuilder text = new StringBuilder("[uwsgi-body-read] ").append(timedOut ? "Timeout" : "Error")
                .append(" reading ").append(requested).append(" bytes. ");
        if (contentLength >= 0) {
            text.append("Content-Length: ").append(contentLength).append(" consumed: ").append(consumed)
                    .append(" left: ").append(contentLength - consumed);
        } else {
            text.append("Chunked body, consumed: ").append(consumed);
        }
        if (!timedOut) {
            text.append(" message: ").append(cause.getMessage());
        }
        return new BodyReadException(text.toString(), timedOut, cause);
    }

    /** Returns true if the client was too slow, false if it went away or the read failed otherwise. */
    public boolean timedOut() {
        return timedOut;
    }

    /** Returns the first {@link BodyReadException} in {@code t}'s cause chain, or null. */
    public static BodyReadException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BodyReadException b) {
                return b;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
