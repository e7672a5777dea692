package dev.imperium.emperor.foreign;

import dev.imperium.vassal.ListenSocket;
import dev.imperium.vassal.SocketSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets of command vassals whose program crashed, kept open by the emperor until the vassal starts
 * again: its next start takes them instead of binding new ones, so a connection that arrives meanwhile (during the
 * backoff too) waits in the socket's queue instead of being refused, as systemd keeps a socket unit's sockets across
 * its service's restarts. The sockets are closed when the vassal is gone (its file removed, {@code imperium stop},
 * the emperor stopping), or when it starts again with other sockets.
 *
 * <p>Thread-safe.
 */
final class HeldSockets {
    /** The sockets kept for one vassal, and what they were bound from. */
    private record Held(String key, List<ListenSocket> sockets) {
    }

    private final Map<String, Held> byVassal = new HashMap<>();

    /**
     * Keeps a crashed vassal's sockets for its next start; closes any kept before.
     *
     * @param vassal the vassal's name
     * @param specs what the sockets were bound from
     * @param listen their accept-queue length
     * @param dir the directory relative UNIX socket paths were bound in
     * @param sockets the open sockets, now this object's
     */
    void keep(String vassal, List<SocketSpec> specs, int listen, Path dir, List<ListenSocket> sockets) {
        if (sockets.isEmpty()) {
            return;
        }
        Held old;
        synchronized (this) {
            old = byVassal.put(vassal, new Held(key(specs, listen, dir), List.copyOf(sockets)));
        }
        if (old != null) {
            old.sockets().forEach(ListenSocket::close);
        }
    }

    /**
     * Returns the vassal's sockets: the kept ones when they were bound from the same specs, else new ones (the kept
     * ones are closed first, so the same address can be bound again).
     *
     * @param vassal the vassal's name
     * @param specs the sockets to bind, in order
     * @param listen their accept-queue length
     * @param dir the directory for relative UNIX socket paths
     * @return the sockets, in the order of {@code specs}, and whether they were kept ones
     * @throws IOException if a socket cannot be bound (none stays open)
     */
    Taken take(String vassal, List<SocketSpec> specs, int listen, Path dir) throws IOException {
        Held held;
        synchronized (this) {
            held = byVassal.remove(vassal);
        }
        if (held != null) {
            if (held.key().equals(key(specs, listen, dir))) {
                return new Taken(held.sockets(), true);
            }
            held.sockets().forEach(ListenSocket::close);
        }
        List<ListenSocket> bound = new ArrayList<>();
        try {
            for (SocketSpec s : specs) {
                bound.add(ListenSocket.bind(s, dir, listen));
            }
        } catch (IOException | RuntimeException e) {
            bound.forEach(ListenSocket::close);
            throw e;
        }
        return new Taken(List.copyOf(bound), false);
    }

    /**
     * Closes the sockets kept for a vassal that is gone.
     *
     * @param vassal the vassal's name
     */
    void release(String vassal) {
        Held held;
        synchronized (this) {
            held = byVassal.remove(vassal);
        }
        if (held != null) {
            held.sockets().forEach(ListenSocket::close);
        }
    }

    /** Returns how many vassals have sockets kept (for tests). */
    synchronized int size() {
        return byVassal.size();
    }

    /**
     * Sockets for a vassal's start.
     *
     * @param sockets the sockets
     * @param kept whether they are the ones kept since a crash
     */
    record Taken(List<ListenSocket> sockets, boolean kept) {
    }

    /** What makes two sets of sockets the same: each address and protocol, the queue length, the directory. */
    static String key(List<SocketSpec> specs, int listen, Path dir) {
        StringBuilder key = new StringBuilder().append(listen).append('|').append(dir);
        for (SocketSpec s : specs) {
            key.append('|').append(s.protocol()).append(' ').append(s.spec().trim());
        }
        return key.toString();
    }
}
