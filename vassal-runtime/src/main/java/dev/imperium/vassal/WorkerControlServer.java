package dev.imperium.vassal;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.Frame;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The AF_UNIX socket workers connect to at start, in a private directory (mode 0700) that only the master's user
 * can enter. Each connection gets a reader thread; frames and closes are handed to the master as callbacks.
 */
final class WorkerControlServer implements AutoCloseable {
    private final Path directory;
    private final Path socketPath;
    private final ServerSocketChannel server;

    /**
     * Creates the private directory and binds the socket.
     *
     * @throws IOException if the directory or socket cannot be created
     */
    WorkerControlServer() throws IOException {
        directory = Files.createTempDirectory("imperium-vassal-");
        socketPath = directory.resolve("master.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
    }

    /** Returns the socket path workers connect to. */
    Path socketPath() {
        return socketPath;
    }

    /**
     * Starts accepting on a daemon thread.
     *
     * @param onFrame called with (connection, frame) on the connection's reader thread
     * @param onClose called with the connection when it closes, on its reader thread
     */
    void start(BiConsumer<ControlConnection, Frame> onFrame, Consumer<ControlConnection> onClose) {
        Thread acceptor = new Thread(() -> {
            while (true) {
                SocketChannel channel;
                try {
                    channel = server.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    Log.line("worker control socket accept failed: " + e.getMessage());
                    return;
                }
                ControlConnection connection = new ControlConnection(channel);
                Thread.ofVirtual().name("worker-link").start(() ->
                        connection.readLoop(f -> onFrame.accept(connection, f), () -> onClose.accept(connection)));
            }
        }, "worker-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes the socket and removes the private directory. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a stale temp dir is harmless
        }
    }
}
