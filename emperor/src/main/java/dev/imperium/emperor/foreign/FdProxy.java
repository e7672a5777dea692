package dev.imperium.emperor.foreign;

import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Hands open descriptors to the one process that connects to a UNIX socket path: how a child of the emperor gets
 * descriptors that {@code ProcessBuilder} cannot pass (it closes every descriptor above 2 in the child,
 * java-platform-notes.md §1). uWSGI has this mechanism for its vassals ({@code UWSGI_EMPEROR_PROXY},
 * {@code core/emperor.c} {@code uwsgi_check_emperor}: the vassal connects, receives its emperor descriptor with
 * {@code SCM_RIGHTS}); {@link ListenFdsExec} uses the same for a command's sockets.
 *
 * <p>The socket lives in the emperor's private runtime directory (mode 0700), so only the emperor's user can
 * connect. One connection is served, on a thread of its own; then the socket file is removed.
 */
final class FdProxy implements AutoCloseable {
    private static final int POLL_MILLIS = 200;

    private final Path path;
    private final int listenFd;
    private volatile boolean closed;
    private boolean started;

    private FdProxy(Path path, int listenFd) {
        this.path = path;
        this.listenFd = listenFd;
    }

    /**
     * Binds the socket.
     *
     * @param path where, in the emperor's private runtime directory
     * @return the proxy, not serving yet
     * @throws IOException if the socket cannot be bound
     */
    static FdProxy open(Path path) throws IOException {
        Files.deleteIfExists(path);
        try {
            return new FdProxy(path, SocketFds.listenUnix(path.toString(), 1));
        } catch (SocketFds.SocketError | IllegalArgumentException e) {
            throw new IOException("cannot bind " + path + ": " + e.getMessage(), e);
        }
    }

    /** Returns the socket path the child is told about. */
    Path path() {
        return path;
    }

    /**
     * Serves one connection on a new thread: sends {@code fds} with {@code data} (only the data when there are no
     * descriptors), then gives the connected descriptor
     * to {@code connected} (which closes it). The descriptors stay the caller's. Gives up silently after
     * {@code timeout} or {@link #close()}.
     *
     * @param name the thread's name
     * @param fds the descriptors to send
     * @param data the message's data bytes
     * @param timeout how long to wait for the connection
     * @param connected receives the connected descriptor after the descriptors were sent
     * @param failed receives a description when sending failed
     * @param finished runs last on that thread, whatever happened (the caller may close the descriptors then)
     */
    synchronized void serve(String name, int[] fds, byte[] data, Duration timeout, IntConsumer connected,
                            java.util.function.Consumer<String> failed, Runnable finished) {
        started = true;
        Thread.ofPlatform().daemon().name(name).stackSize(256 * 1024).start(() -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (!closed && System.nanoTime() < deadline) {
                    if (Native.pollIn(listenFd, POLL_MILLIS) <= 0) {
                        continue;
                    }
                    int conn = Native.accept(listenFd);
                    if (conn < 0) {
                        continue;
                    }
                    String error = null;
                    try {
                        if (fds.length > 0) {
                            FdPassing.send(conn, fds, data);
                        } else if (Native.write(conn, data) < 0) {
                            error = "the program hung up";
                        }
                    } catch (SocketFds.SocketError e) {
                        error = e.getMessage();
                    }
                    if (error != null) {
                        Posix.close(conn);
                        failed.accept("cannot pass the descriptors: " + error);
                        return;
                    }
                    connected.accept(conn);
                    return;
                }
            } finally {
                release();
                finished.run();
            }
        });
    }

    private void release() {
        Posix.close(listenFd);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: the runtime directory goes at exit
        }
    }

    /** Stops waiting; the socket is closed and its file removed (at once when no connection was awaited). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!started) {
            release();
        }
    }
}
