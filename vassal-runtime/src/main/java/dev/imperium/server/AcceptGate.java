package dev.imperium.server;

import java.time.Duration;

/**
 * Tells a listener whether the process can serve one more request, so that it accepts a connection only then.
 *
 * <p>Workers of one vassal share one accept queue: a worker whose request slots (uWSGI's "cores", the
 * {@code threads} option) are all busy should leave new connections to a worker that is idle, as uWSGI's workers
 * only call {@code accept()} with a free core.
 */
@FunctionalInterface
public interface AcceptGate {
    /** A gate that is always open. */
    AcceptGate OPEN = timeout -> true;

    /**
     * Waits until a request slot is free, or the timeout passes.
     *
     * @param timeout the longest wait
     * @return true if a slot is free (not reserved: another request may take it first)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitCapacity(Duration timeout) throws InterruptedException;
}
