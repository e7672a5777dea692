package dev.imperium.server.net;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Makes the connection that serves an accepted channel with one protocol. */
@FunctionalInterface
public interface ConnectionFactory {
    /**
     * Prepares to serve {@code channel}, which is in blocking mode; nothing is read yet.
     *
     * @param channel the accepted channel
     * @return the connection; the listener runs it on a thread of its own
     * @throws IOException if the channel is already unusable (the listener then closes it)
     */
    ServerConnection open(SocketChannel channel) throws IOException;
}
