package dev.imperium.os;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets a vassal master hands to a child JVM (a worker or an {@code http} router): one socket is the
 * child's fd 0 ({@link System#inheritedChannel()}); several arrive as {@code SCM_RIGHTS} over a socket pair whose
 * end is fd 0 ({@link FdPassing}); the first then becomes fd 0 and the others are adopted
 * ({@link SocketAdoption}).
 */
public final class InheritedSockets {
    private InheritedSockets() {
    }

    /**
     * Returns the child's listening sockets as JDK channels, in the master's order.
     *
     * @param count how many the master sends (at least 1)
     * @throws IOException if fd 0 is no listening socket, or the sockets cannot be received or adopted
     */
    public static List<ServerSocketChannel> channels(int count) throws IOException {
        if (count <= 1) {
            return List.of(inherited());
        }
        int[] fds;
        try {
            fds = FdPassing.receive(0, count);
        } catch (SocketFds.SocketError e) {
            throw new IOException("cannot receive the sockets from the master: " + e.getMessage(), e);
        }
        if (fds.length != count) {
            throw new IOException("the master sent " + fds.length + " sockets, not " + count);
        }
        if (Posix.dup2(fds[0], 0) < 0) {
            throw new IOException("dup2 of the first socket to fd 0 failed");
        }
        Posix.close(fds[0]);
        List<ServerSocketChannel> channels = new ArrayList<>();
        channels.add(inherited());
        for (int i = 1; i < count; i++) {
            channels.add(SocketAdoption.adopt(fds[i]));
        }
        return channels;
    }

    private static ServerSocketChannel inherited() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel ssc)) {
            throw new IOException("fd 0 is not a listening socket (" + inherited + ")");
        }
        return ssc;
    }
}
