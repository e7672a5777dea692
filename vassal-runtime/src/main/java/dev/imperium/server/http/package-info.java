/**
 * The HTTP/1.1 protocol of a vassal worker (uWSGI's {@code http-socket}).
 *
 * <p>{@link dev.imperium.server.http.Http1Connection} serves one connection: keep-alive, pipelining, request bodies,
 * {@code 100-continue}, response framing, draining, timeouts; {@link dev.imperium.server.http.Http1Config} holds the
 * limits and timeouts; {@link dev.imperium.server.http.Http1Log} is how the layer reports to the vassal's logging.
 * Connections are accepted by {@link dev.imperium.server.net.Listener}.
 */
package dev.imperium.server.http;
