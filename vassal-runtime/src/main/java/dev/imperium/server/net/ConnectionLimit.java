package dev.imperium.server.net;

import dev.imperium.server.AcceptGate;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The most client connections one process holds at once, shared by all its {@link Listener}s
 * ({@code imperium-max-connections}). A listener waits at this gate before each {@code accept}: while the process
 * holds the maximum, it accepts nothing, so further clients wait in the kernel's listen queue (the {@code listen}
 * backlog) or are taken by another process sharing the socket; none is refused by us. Each time the process reaches
 * the maximum, {@code reached} is told (the caller rate-limits its log line). Thread-safe.
 */
public final class ConnectionLimit implements AcceptGate {
    /** No limit. */
    public static final ConnectionLimit NONE = new ConnectionLimit(Integer.MAX_VALUE, n -> { });

    private final int max;
    private final IntConsumer reached;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private int open;

    /**
     * @param max the most connections held at once, at least 1
     * @param reached told, with {@code max}, each time the count reaches it
     */
    public ConnectionLimit(int max, IntConsumer reached) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
        this.reached = reached;
    }

    /** Returns the maximum. */
    public int max() {
        return max;
    }

    /** Returns how many connections are held now. */
    public int open() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the process holds fewer than the maximum, or the timeout passes; true if it does. */
    @Override
    public boolean awaitCapacity(Duration timeout) throws InterruptedException {
        if (this == NONE) {
            return true;
        }
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (open >= max) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = room.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a connection just accepted (always: it is already accepted). */
    public void opened() {
        if (this == NONE) {
            return;
        }
        boolean full;
        lock.lock();
        try {
            open++;
            full = open == max;
        } finally {
            lock.unlock();
        }
        if (full) {
            try {
                reached.accept(max);
            } catch (RuntimeException e) {
                // a broken log callback must not break the accept loop
            }
        }
    }

    /** Counts a connection closed. */
    public void closed() {
        if (this == NONE) {
            return;
        }
        lock.lock();
        try {
            if (open > 0) {
                open--;
            }
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return this == NONE ? "no connection limit" : "at most " + max + " connections";
    }
}
