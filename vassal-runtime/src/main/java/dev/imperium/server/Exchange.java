package dev.imperium.server;

import dev.imperium.http.HttpFields;

import java.io.IOException;
import java.io.InputStream;

/**
 * One request and its response, as a handler sees it, whatever protocol carried it.
 *
 * <p>Used by one thread at a time. The protocol layer owns framing, keep-alive and draining: a handler reads as much
 * of {@link #body()} as it wants and answers once with {@link #respond}.
 */
public interface Exchange {
    /** Returns the request's method, target, fields and addresses. */
    RequestHead request();

    /**
     * Returns the request body, already de-chunked; it ends where the body ends. Whatever the handler leaves unread is
     * drained by the protocol layer so the connection stays usable. If the client sent {@code Expect: 100-continue},
     * the interim response is sent on the first read.
     */
    InputStream body();

    /**
     * Sends the status line and header fields and returns the stream for the body.
     *
     * <p>The protocol layer adds the framing fields itself ({@code Content-Length} or {@code Transfer-Encoding},
     * {@code Connection}); a {@code Content-Length} or {@code Transfer-Encoding} in {@code fields} is ignored.
     * For a {@code HEAD} request, or a status without content (1xx, 204, 304), the body stream discards what it gets.
     *
     * @param status the status code, 200..599
     * @param fields the header fields to send, in order
     * @param contentLength the exact body length in bytes, or -1 when unknown (chunked on HTTP/1.1, close-delimited on
     *     HTTP/1.0)
     * @return the body stream; closing it ends the response
     * @throws IOException if the client went away
     * @throws IllegalStateException if a response was already started
     */
    ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException;

    /**
     * Ends the exchange without an answer: once the handler returns, the connection is closed and nothing is sent
     * (uWSGI's routing {@code break} without a status closes the request so). No effect once a response was
     * started.
     */
    void abort();

    /** Returns true once {@link #respond} was called. */
    boolean committed();

    /** Returns the status sent, or 0 if no response was started. */
    int status();

    /** Returns the number of header fields sent (for the request log's "N headers in M bytes"). */
    int headerCount();

    /** Returns the size of the response head sent (status line and fields), in bytes. */
    long headerBytes();

    /** Returns the response body bytes sent so far (before any chunk framing). */
    long bodyBytes();
}
