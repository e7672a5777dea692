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

    /**
     * Reads, without waiting, what the peer has already sent, and says whether this connection can be served at
     * once on the accepting thread: it carries one request only and its whole head has arrived, so serving it there
     * waits for no client (only for the app, which holds a request slot anyway). Called once, before {@link #run()},
     * on the accepting thread. The default, for protocols that keep connections open: false, reading nothing.
     *
     * @return true to run {@link #run()} on the accepting thread
     */
    default boolean readyToServeInline() {
        return false;
    }
}
