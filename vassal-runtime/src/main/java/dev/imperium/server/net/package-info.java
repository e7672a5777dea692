/**
 * What every protocol of a vassal worker shares: blocking I/O on virtual threads under deadlines.
 *
 * <p>{@link dev.imperium.server.net.Listener} accepts on a (possibly inherited and shared) listening channel, one
 * platform thread for {@code accept}, one virtual thread per connection, a watchdog for the deadlines, and stops
 * gracefully; a {@link dev.imperium.server.net.ConnectionFactory} makes the protocol's
 * {@link dev.imperium.server.net.ServerConnection} for each channel. {@link dev.imperium.server.net.ConnectionIo}
 * is a connection's buffered, deadline-bounded I/O; {@link dev.imperium.server.net.RequestBodyStream} and
 * {@link dev.imperium.server.net.StreamResponseBody} are request and response bodies on a byte stream.
 */
package dev.imperium.server.net;
