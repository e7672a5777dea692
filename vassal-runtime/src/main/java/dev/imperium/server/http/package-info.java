/**
 * The HTTP/1.1 connection layer of a vassal worker (uWSGI's {@code http-socket}): blocking I/O on virtual threads.
 *
 * <p>{@link dev.imperium.server.http.Http1Listener} accepts on a (possibly inherited and shared) listening channel,
 * one platform thread for {@code accept}, one virtual thread per connection, and stops gracefully;
 * {@link dev.imperium.server.http.Http1Connection} serves one connection: keep-alive, pipelining, request bodies,
 * {@code 100-continue}, response framing, draining, timeouts; {@link dev.imperium.server.http.Http1Config} holds the
 * limits and timeouts; {@link dev.imperium.server.http.Http1Log} is how the layer reports to the vassal's logging.
 */
package dev.imperium.server.http;
