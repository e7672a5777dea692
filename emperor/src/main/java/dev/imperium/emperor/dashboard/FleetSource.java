package dev.imperium.emperor.dashboard;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Where the fleet page gets the emperor's state from: the only way it reads it. The emperor's implementation takes
 * the snapshot on its event loop (the thread that owns every vassal's state), so no lock guards that state.
 */
public interface FleetSource {
    /**
     * Takes a snapshot of every vassal the emperor knows now.
     *
     * @param timeout how long to wait for the emperor to answer
     * @return an immutable snapshot
     * @throws TimeoutException if the emperor did not answer in time (busy, or stopping)
     * @throws InterruptedException if interrupted while waiting
     */
    FleetSnapshot snapshot(Duration timeout) throws TimeoutException, InterruptedException;
}
