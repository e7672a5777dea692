package dev.imperium.emperor.foreign;

import dev.imperium.os.Posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The {@code NOTIFY_SOCKET} of one command vassal process: an AF_UNIX datagram socket in the emperor's private
 * runtime directory, read on a thread of its own; each datagram is handed on as a {@link NotifyMessage}.
 */
final class NotifySocket implements AutoCloseable {
    private static final int POLL_MILLIS = 200;
    private static final int MAX_DATAGRAM = 4096;

    private final Path path;
    private final int fd;
    private volatile boolean closed;

    private NotifySocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Binds the socket and starts reading.
     *
     * @param path where
     * @param name the reader thread's name
     * @param onMessage receives each datagram, on the reader thread
     * @return the socket
     * @throws IOException if it cannot be bound
     */
    static NotifySocket open(Path path, String name, Consumer<NotifyMessage> onMessage) throws IOException {
        Files.deleteIfExists(path);
        int fd = Native.bindDatagram(path.toString());
        if (fd < 0) {
            throw new IOException("cannot bind " + path + " (errno " + -fd + ")");
        }
        NotifySocket socket = new NotifySocket(path, fd);
        Thread.ofPlatform().daemon().name(name).stackSize(256 * 1024).start(() -> socket.read(onMessage));
        return socket;
    }

    /** Returns the path for {@code NOTIFY_SOCKET}. */
    Path path() {
        return path;
    }

    private void read(Consumer<NotifyMessage> onMessage) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        try {
            while (!closed) {
                if (Native.pollIn(fd, POLL_MILLIS) <= 0) {
                    continue;
                }
                int n = Native.read(fd, buffer);
                if (n > 0 && !closed) {
                    onMessage.accept(NotifyMessage.parse(new String(Arrays.copyOf(buffer, n), StandardCharsets.UTF_8)));
                }
            }
        } finally {
            Posix.close(fd);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the runtime directory goes at exit
            }
        }
    }

    /** Stops reading; the reader closes the socket and removes its file within {@value #POLL_MILLIS} ms. */
    @Override
    public void close() {
        closed = true;
    }
}
