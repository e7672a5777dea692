package dev.imperium.logging;

/**
 * One destination of the vassal's log lines, written by the master only: a file, the master's standard error, or
 * datagrams. Callers hand over whole lines (every piece ends with a line break) and serialise their calls.
 */
public interface LogTarget extends AutoCloseable {
    /**
     * Writes whole lines.
     *
     * @param pid the process that wrote them (the master's own, a worker's, a router's)
     * @param bytes the buffer
     * @param offset where the lines start
     * @param length their length; the last byte is a line break
     */
    void write(long pid, byte[] bytes, int offset, int length);

    /** Reopens the destination by name (uWSGI's log reopen); no effect unless it is a file. */
    default void reopen() {
    }

    /** Moves the file aside and starts a new one (uWSGI's log rotation); no effect unless it is a file. */
    default void rotate() {
    }

    /** Releases the destination. */
    @Override
    default void close() {
    }
}
