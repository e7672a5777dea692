package dev.imperium.vassal;

import dev.imperium.server.AcceptGate;

import java.time.Duration;

/**
 * A worker's accept gate that the master can close and open again (master FIFO {@code p}, SIGTSTP; uWSGI's
 * {@code suspend_resume_them_all}): while paused the worker accepts no connection, so new clients wait in the
 * socket's listen queue; requests already accepted go on. Otherwise it asks the wrapped gate (a free core).
 */
final class PauseGate implements AcceptGate {
    private final AcceptGate inner;
    private final Object lock = new Object();
    private boolean paused;

    /** Wraps {@code inner}, which decides while not paused. */
    PauseGate(AcceptGate inner) {
        this.inner = inner;
    }

    /** Closes or opens the gate. */
    void paused(boolean value) {
        synchronized (lock) {
            paused = value;
            lock.notifyAll();
        }
    }

    /** Returns true while paused. */
    boolean paused() {
        synchronized (lock) {
            return paused;
        }
    }

    @Override
    public boolean awaitCapacity(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            if (paused) {
                long millis = timeout.toMillis();
                if (millis > 0) {
                    lock.wait(millis);
                }
                if (paused) {
                    return false;
                }
            }
        }
        return inner.awaitCapacity(timeout);
    }
}
