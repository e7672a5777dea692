package dev.imperium.server.http;

import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;

/**
 * What a connection layer (HTTP/1.1, uwsgi, FastCGI, SCGI) reports; the vassal decides what to log. Every method
 * has an empty default.
 *
 * <p>Called on connection threads (virtual threads) and on the accept thread, possibly at the same time: must be
 * thread-safe and quick, and should not throw (anything thrown is ignored).
 */
public interface Http1Log {
    /** Reports nothing. */
    Http1Log NONE = new Http1Log() {
    };

    /**
     * The protocol layer refused a request before or instead of the handler, answered {@code status} and closed the
     * connection.
     *
     * @param remoteAddress the client's IP address, "" on a UNIX socket
     * @param status 400, 413, 414, 417, 431, 501 or 505
     * @param reason a short fixed description of the broken rule
     */
    default void requestRejected(String remoteAddress, int status, String reason) {
    }

    /**
     * The handler threw, answered nothing, or broke the response framing (a body shorter than its Content-Length).
     * The client got a 500 if no response had started, else the connection was closed.
     *
     * @param request the request, or null for an unexpected error inside the connection itself (a bug)
     * @param failure what went wrong
     */
    default void handlerFailed(RequestHead request, Throwable failure) {
    }

    /**
     * An exchange ended: its response was sent in full or its connection closed. Use {@link Exchange#status()} and
     * the byte counts for a request log.
     *
     * @param durationNanos from the end of the request head to the end of the response
     */
    default void exchangeCompleted(Exchange exchange, long durationNanos) {
    }

    /**
     * A connection was closed because a client was too slow.
     *
     * @param phase "read" (a request head or body) or "write" (a response)
     */
    default void timedOut(String remoteAddress, String phase) {
    }

    /**
     * A request body could not be read to its end: the client was too slow (a read waited longer than the read
     * timeout) or went away. Reported once per request, after the handler returned; the timeout behind it is not
     * also reported to {@link #timedOut}.
     *
     * @param remoteAddress the client's IP address, "" on a UNIX socket
     * @param failure its message is uWSGI's {@code [uwsgi-body-read] ...} line
     */
    default void bodyReadFailed(String remoteAddress, dev.imperium.server.net.BodyReadException failure) {
    }

    /**
     * A request was refused before the handler in a way the protocol cannot answer (a uwsgi packet over
     * {@code buffer-size}, a broken vars block, an unknown modifier1), and the connection was closed.
     *
     * @param line the log line, in uWSGI's words where uWSGI logs the same event
     */
    default void protocolError(String line) {
    }

    /**
     * A line about {@code accept} failing (for example out of file descriptors: the listener pauses and retries) or
     * working again; at most one per {@link dev.imperium.server.net.AcceptPacer#LOG_INTERVAL} while it fails.
     *
     * @param line the log line, e.g. {@code accept(): Too many open files (...)}
     */
    default void acceptLog(String line) {
    }
}
