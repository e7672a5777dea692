package dev.imperium.emperor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emperor's control socket: an AF_UNIX stream server in a private runtime directory that vassals connect to
 * (their {@code IMPERIUM_EMPEROR_SOCKET}). It plays the part of uWSGI's per-vassal socketpair
 * (uwsgi-features.md §1.5–1.6): a JVM cannot hand a socketpair end to a child, so each vassal connects and
 * proves who it is with the token from its environment.
 *
 * <p>The directory is {@code imperium-emperor-<pid>-<random>} under {@code $XDG_RUNTIME_DIR} (or
 * {@code java.io.tmpdir}), mode 0700, so only the emperor's user can connect; {@link #close()} removes it.
 * Directories left by emperors that died are removed at the next start.
 */
final class ControlServer implements AutoCloseable {
    static final String SOCKET_NAME = "control.sock";
    private static final String PREFIX = "imperium-emperor-";
    private static final Pattern STALE = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Path runtimeDir;
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final ControlListener listener;
    private final Set<ControlConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    /** Issue 8: resource limits. Paces and logs a failing accept (EMFILE) instead of spinning. */
    private final dev.imperium.server.net.AcceptPacer acceptPacer;

    private ControlServer(Path runtimeDir, ServerSocketChannel server, ControlListener listener,
            java.util.function.Consumer<String> log) {
        this.acceptPacer = new dev.imperium.server.net.AcceptPacer("control socket", log);
        this.runtimeDir = runtimeDir;
        this.socketPath = runtimeDir.resolve(SOCKET_NAME);
        this.server = server;
        this.listener = listener;
        this.acceptor = new Thread(this::acceptLoop, "imperium-control");
        this.acceptor.setDaemon(true);
    }

    /**
     * Creates the runtime directory and binds the socket, then accepts connections on a background thread.
     *
     * @param baseDir where to create the runtime directory, or null for {@code $XDG_RUNTIME_DIR}, else
     *     {@code java.io.tmpdir}
     * @param listener receives HELLOs, frames and hang-ups
     * @param log receives the lines about a failing accept (paced: see {@code AcceptPacer})
     * @return the running server
     * @throws IOException if the directory or the socket cannot be created
     */
    static ControlServer open(Path baseDir, ControlListener listener, java.util.function.Consumer<String> log)
            throws IOException {
        Path base = baseDir != null ? baseDir : defaultBase();
        long pid = ProcessHandle.current().pid();
        removeStale(base);
        Path dir = Files.createTempDirectory(base, PREFIX + pid + "-"); // POSIX: rwx------
        Path socket = dir.resolve(SOCKET_NAME);
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            Files.deleteIfExists(dir);
            throw new IOException("control socket path too long for AF_UNIX (" + socket + ")");
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(dir);
            throw e;
        }
        ControlServer cs = new ControlServer(dir, server, listener, log);
        cs.acceptor.start();
        return cs;
    }

    private static Path defaultBase() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            Path p = Paths.get(xdg);
            if (Files.isDirectory(p) && Files.isWritable(p)) {
                return p;
            }
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** Removes runtime directories of emperors that are no longer running. */
    private static void removeStale(Path base) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher m = STALE.matcher(entry.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(entry) || !Files.isWritable(entry)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(entry.resolve(SOCKET_NAME));
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** Returns the socket path vassals connect to. */
    Path socketPath() {
        return socketPath;
    }

    /**
     * Lets vassals running as other users connect (tyrant mode): the directory becomes searchable by all (0711, still
     * not listable) and the socket writable by all (0666). A connection still proves who it is with the secret token
     * of its vassal's environment, which only that vassal's user (and root) can read.
     *
     * @throws IOException if the permissions cannot be set
     */
    void allowOtherUsers() throws IOException {
        Files.setPosixFilePermissions(runtimeDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(socketPath, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    /** Returns the private runtime directory holding the socket. */
    Path runtimeDir() {
        return runtimeDir;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
                acceptPacer.succeeded();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                try {
                    acceptPacer.pauseAfter(e); // Issue 8: resource limits: EMFILE must not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            ControlConnection connection = new ControlConnection(channel, ids.incrementAndGet());
            connections.add(connection);
            Thread.ofVirtual().name("imperium-control-" + connection.id()).start(() -> {
                try {
                    connection.readLoop(listener);
                } finally {
                    connections.remove(connection);
                }
            });
        }
    }

    /** Stops accepting, closes every connection, removes the socket and the runtime directory. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        for (ControlConnection c : connections) {
            c.close();
        }
        try {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(runtimeDir);
        } catch (IOException e) {
            // best effort
        }
    }
}
