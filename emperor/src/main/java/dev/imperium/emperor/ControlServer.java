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
 *
 * <p>Issue 8: resource limits. In tyrant mode the vassals of another user each get a socket of their own user
 * ({@link #socketFor}): {@code uid-<uid>/control.sock} in the runtime directory, the subdirectory mode 0700 and the
 * socket 0600, both owned by that user, so that no other user can even reach it; the runtime directory is then
 * 0711 (searchable, not listable). The token check stays.
 */
final class ControlServer implements AutoCloseable {
    static final String SOCKET_NAME = "control.sock";
    private static final String PREFIX = "imperium-emperor-";
    private static final Pattern STALE = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    /** Issue 8: resource limits. A tyrant-mode user's subdirectory of the runtime directory. */
    private static final String USER_DIR_PREFIX = "uid-";
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
    /** Issue 8: resource limits. Tyrant mode: the socket of each other user's vassals, by uid. */
    private final java.util.Map<Integer, UserSocket> userSockets = new ConcurrentHashMap<>();

    /** A user's own control socket (tyrant mode), in its own 0700 directory. */
    private record UserSocket(Path dir, Path socket, ServerSocketChannel server) {
    }

    /** Issue 8: resource limits. Paces and logs a failing accept (EMFILE) instead of spinning. */
    private final dev.imperium.server.net.AcceptPacer acceptPacer;
    private final java.util.function.Consumer<String> acceptPacerLog;

    private ControlServer(Path runtimeDir, ServerSocketChannel server, ControlListener listener,
            java.util.function.Consumer<String> log) {
        this.acceptPacer = new dev.imperium.server.net.AcceptPacer("control socket", log);
        this.acceptPacerLog = log;
        this.runtimeDir = runtimeDir;
        this.socketPath = runtimeDir.resolve(SOCKET_NAME);
        this.server = server;
        this.listener = listener;
        this.acceptor = new Thread(() -> acceptLoop(server, acceptPacer), "imperium-control");
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

    static Path defaultBase() {
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
                    try (DirectoryStream<Path> users = Files.newDirectoryStream(entry, USER_DIR_PREFIX + "*")) {
                        for (Path user : users) { // issue 8: tyrant mode's per-user sockets
                            Files.deleteIfExists(user.resolve(SOCKET_NAME));
                            Files.deleteIfExists(user);
                        }
                    }
                    Files.deleteIfExists(entry.resolve(SOCKET_NAME));
                    Files.deleteIfExists(entry.resolve(SocketKeeper.SOCKET_NAME)); // Issue 8: chaos
                    try (DirectoryStream<Path> left = Files.newDirectoryStream(entry, "orphan-*.sock")) {
                        for (Path orphan : left) {
                            Files.deleteIfExists(orphan); // an orphan's offer no emperor took: it stops on its own
                        }
                    }
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
     * Lets vassals running as other users reach their own sockets ({@link #socketFor}, tyrant mode): the runtime
     * directory becomes searchable by all (0711, still not listable). The emperor's own socket stays 0600.
     *
     * @throws IOException if the permissions cannot be set
     */
    void allowOtherUsers() throws IOException {
        Files.setPosixFilePermissions(runtimeDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    }

    /**
     * Issue 8: resource limits. Returns the socket the vassals running as {@code uid} connect to (tyrant mode),
     * creating it on first use: {@code uid-<uid>/control.sock} in the runtime directory, the directory 0700 and the
     * socket 0600, both owned by {@code uid}:{@code gid}. A connection still proves which vassal it is with its token.
     * For the emperor's own user, the main socket.
     *
     * @param uid the vassal's user
     * @param gid the vassal's group
     * @return the socket path to give the vassal
     * @throws IOException if the directory or the socket cannot be made or given to the user
     */
    synchronized Path socketFor(int uid, int gid) throws IOException {
        if (uid == dev.imperium.os.Posix.getuid()) {
            return socketPath;
        }
        UserSocket existing = userSockets.get(uid);
        if (existing != null) {
            return existing.socket();
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        Path dir = runtimeDir.resolve(USER_DIR_PREFIX + uid);
        Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path socket = dir.resolve(SOCKET_NAME);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            for (Path p : new Path[] {socket, dir}) {
                Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
            throw e;
        }
        userSockets.put(uid, new UserSocket(dir, socket, channel));
        dev.imperium.server.net.AcceptPacer pacer = new dev.imperium.server.net.AcceptPacer(
                "control socket of uid " + uid, acceptPacerLog);
        Thread t = new Thread(() -> acceptLoop(channel, pacer), "imperium-control-uid-" + uid);
        t.setDaemon(true);
        t.start();
        return socket;
    }

    /** Returns the private runtime directory holding the socket. */
    Path runtimeDir() {
        return runtimeDir;
    }

    private void acceptLoop(ServerSocketChannel server, dev.imperium.server.net.AcceptPacer acceptPacer) {
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
        for (UserSocket u : userSockets.values()) { // issue 8: tyrant mode's per-user sockets
            try {
                u.server().close();
                Files.deleteIfExists(u.socket());
                Files.deleteIfExists(u.dir());
            } catch (IOException e) {
                // best effort
            }
        }
        try {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(runtimeDir);
        } catch (IOException e) {
            // best effort
        }
    }
}
