package dev.imperium.vassal;

import java.time.Duration;

/** Serves connections accepted on a worker's listening socket, and stops doing so gracefully or at once. */
interface RequestServer {
    /** Starts accepting. */
    void start();

    /**
     * Stops accepting and closes this process's copy of the listening socket (other workers keep serving it); open
     * connections finish their in-flight request, idle keep-alive connections are closed after a short grace.
     */
    void stopAccepting();

    /** Waits until every connection is closed; returns false on timeout. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;
}
