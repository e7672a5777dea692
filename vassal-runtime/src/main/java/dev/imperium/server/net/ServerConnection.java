package dev.imperium.server.net;

/**
 * One accepted connection, served by its own thread with one protocol until it closes.
 *
 * <p>{@link #run()} runs on the connection's (virtual) thread, does all the I/O, never throws, and closes the channel
 * when it returns. The other methods may be called from any thread.
 */
public interface ServerConnection extends Runnable {
    /**
     * Starts a graceful close: the request in flight completes, no further request is read once the protocol allows
     * it, and a connection idle between requests waits at most the shutdown grace. Idempotent.
     */
    void beginDrain();

    /** Closes the channel at once; the connection's thread then ends. */
    void abort();

    /**
     * Closes the connection if its current deadline (read, write, idle or linger) has passed; the listener's watchdog
     * calls it a few times per shortest timeout.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     */
    void checkTimeout(long nowNanos);
}
