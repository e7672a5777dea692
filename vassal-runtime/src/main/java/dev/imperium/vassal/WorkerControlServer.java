package dev.imperium.vassal;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.Frame;
import dev.imperium.os.Processes;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The AF_UNIX socket workers connect to at start, in a private directory (mode 0700) that only the master's user
 * can enter, named {@code imperium-vassal-<pid>-<random>} in the temp directory. Each connection gets a reader
 * thread; frames and closes are handed to the master as callbacks.
 *
 * <p>A master killed with SIGKILL cannot remove its directory: each master removes, at start, the directories of
 * masters that no longer run.
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
        String prefix = "imperium-vassal-";
        directory = Files.createTempDirectory(prefix + ProcessHandle.current().pid() + "-");
        sweepStale(directory.getParent(), prefix);
        socketPath = directory.resolve("master.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
    }

    /** Removes the directories of masters that no longer run (the pid in the name is not alive). */
    private static void sweepStale(Path tmp, String prefix) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().substring(prefix.length()).split("-", 2);
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (parts.length == 2 && !Processes.isRunning(pid) && Files.isDirectory(dir)) {
                    removeDirectory(dir);
                }
            }
        } catch (IOException | SecurityException e) {
            // someone else's or gone meanwhile: not ours to clean
        }
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
        // Issue 8: resource limits. Out of descriptors, accept fails: pause and retry (it used to give up, and no
        // worker could reach its master again)
        dev.imperium.server.net.AcceptPacer pacer = new dev.imperium.server.net.AcceptPacer("worker control socket",
                Log::line);
        Thread acceptor = new Thread(() -> {
            while (true) {
                SocketChannel channel;
                try {
                    channel = server.accept();
                    pacer.succeeded();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                    try {
                        pacer.pauseAfter(e);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    continue;
                }
                ControlConnection connection = new ControlConnection(channel);
                Thread.ofVirtual().name("worker-link").start(() ->
                        connection.readLoop(f -> onFrame.accept(connection, f), () -> onClose.accept(connection)));
            }
        }, "worker-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Returns the private directory (mode 0700): the master keeps its workers' scoreboard files there. */
    Path directory() {
        return directory;
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
            removeDirectory(directory);
        } catch (IOException ignored) {
            // a stale temp dir is harmless
        }
    }

    /** Removes a master's private directory: its socket, its workers' scoreboard files, then the directory. */
    private static void removeDirectory(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("master.sock"));
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, "scoreboard-*")) {
            for (Path file : left) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }
}
