package dev.imperium.emperor.ondemand;

import dev.imperium.os.Descriptors;
import dev.imperium.os.Posix;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Waits for the first connection on the listening sockets of sleeping on-demand vassals without accepting it: one
 * platform thread blocks in {@code poll(2)} on every armed socket and a wake-up pipe. When a socket becomes readable
 * (a client is in its accept queue) it is disarmed and its callback runs on this thread, once: the socket is watched
 * again only after the next {@link #arm}, as uWSGI's emperor removes the socket from its event queue when it spawns
 * the vassal and adds it back when the vassal is gone ({@code core/emperor.c}).
 *
 * <p>{@code poll} rather than a JDK {@link java.nio.channels.Selector}: a selector needs the socket in non-blocking
 * mode, a flag its open file description shares with the vassal that gets it as fd 0.
 */
final class ConnectionWatch implements AutoCloseable {
    private final Map<Integer, Runnable> armed = new LinkedHashMap<>();
    private final int[] wakeup;
    private final Thread thread;
    private volatile boolean closed;
    /** How many times the thread took the armed set for a {@code poll}; guarded by {@link #armed}. */
    private long rounds;

    ConnectionWatch() {
        wakeup = Descriptors.pipe();
        thread = Thread.ofPlatform().daemon().name("on-demand-sockets").unstarted(this::run);
        thread.start();
    }

    /**
     * Watches {@code fd} until it is readable, then runs {@code onConnection} once (on the watch thread).
     * Arming an armed descriptor replaces its callback.
     */
    void arm(int fd, Runnable onConnection) {
        synchronized (armed) {
            armed.put(fd, onConnection);
        }
        Descriptors.writeByte(wakeup[1]);
    }

    /**
     * Stops watching {@code fd}; its callback will not run. Returns once the thread's {@code poll} no longer holds
     * {@code fd} (at most 1 s): a socket closed while another thread polls it stays open in the kernel, still queueing
     * connections, until that {@code poll} returns.
     */
    void disarm(int fd) {
        long round;
        synchronized (armed) {
            if (armed.remove(fd) == null) {
                return;
            }
            round = rounds;
        }
        Descriptors.writeByte(wakeup[1]);
        if (Thread.currentThread() == thread) {
            return; // a callback: the poll has returned
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        synchronized (armed) {
            while (rounds == round && !closed && System.nanoTime() < deadline) {
                try {
                    armed.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Returns whether {@code fd} is watched. */
    boolean isArmed(int fd) {
        synchronized (armed) {
            return armed.containsKey(fd);
        }
    }

    private void run() {
        while (!closed) {
            int[] fds;
            synchronized (armed) {
                rounds++;
                armed.notifyAll();
                fds = new int[armed.size() + 1];
                fds[0] = wakeup[0];
                int i = 1;
                for (int fd : armed.keySet()) {
                    fds[i++] = fd;
                }
            }
            boolean[] ready = new boolean[fds.length];
            int n = Descriptors.pollReadable(fds, ready, -1);
            if (n <= 0) {
                continue; // EINTR
            }
            if (ready[0]) {
                Descriptors.drain(wakeup[0]);
            }
            for (int i = 1; i < fds.length; i++) {
                if (!ready[i]) {
                    continue;
                }
                Runnable callback;
                synchronized (armed) {
                    callback = armed.remove(fds[i]);
                }
                if (callback != null) {
                    callback.run();
                }
            }
        }
    }

    /** Stops the thread; the sockets are not closed here. */
    @Override
    public void close() {
        closed = true;
        synchronized (armed) {
            armed.clear();
        }
        Descriptors.writeByte(wakeup[1]);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Posix.close(wakeup[0]);
        Posix.close(wakeup[1]);
    }
}
