package dev.imperium.emperor;

import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.io.IOException;

/**
 * Issue 8: resource limits. Tells whether an address a vassal could not bind is free now, by binding it as the
 * vassal's master does ({@code SO_REUSEADDR}, IPv6 only for an IPv6 address) and closing it at once. No connection
 * can be accepted on it: the socket lives for the two system calls.
 */
final class PortProbe {
    private PortProbe() {
    }

    /**
     * Returns whether {@code conflict}'s address can be bound now.
     *
     * @param conflict the address a vassal found in use
     * @return true if the bind succeeded (the socket is already closed again); false if it still fails for any
     *     reason (in use, or the name no longer resolves)
     */
    static boolean isFree(BindConflict conflict) {
        int fd;
        try {
            if (conflict.spec().isUnix()) {
                fd = SocketFds.listenAbstract(conflict.spec().abstractName(), 1);
            } else {
                fd = SocketFds.listenTcp(conflict.spec().resolveHost(), conflict.spec().port(), 1);
            }
        } catch (SocketFds.SocketError | IOException | RuntimeException e) {
            return false;
        }
        Posix.close(fd);
        return true;
    }
}
