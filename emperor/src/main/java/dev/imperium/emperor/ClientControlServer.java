package dev.imperium.emperor;

import dev.imperium.emperor.client.ControlCodec;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import dev.imperium.emperor.client.LineFramer;
import dev.imperium.emperor.client.ProtocolException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The emperor's control socket for local clients ({@code imperium}): an AF_UNIX stream server, separate from the
 * socket vassals connect to, speaking {@link ControlCodec}'s protocol. Each connection is served on a virtual
 * thread; the request itself runs on the event loop ({@link ClientControl}).
 *
 * <p>Only the emperor's user (and root) may drive the emperor: the socket has mode 0600 from the moment it appears
 * under its name (it is bound under a temporary name, restricted, then renamed), a default directory is created
 * with mode 0700, and each client's credentials ({@code SO_PEERCRED}) are checked as well.
 */
final class ClientControlServer implements AutoCloseable {
    /** The most clients served at once; more are refused. */
    static final int MAX_CLIENTS = 64;
    /** How long a client may take to send its request, in milliseconds. */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    /** While following logs with nothing new, a ping is sent this often, in milliseconds. */
    static final long PING_MILLIS = 5_000;
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    /** The socket path is taken by a live emperor. */
    static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    private final Path path;
    private final Object socketKey;
    private final ServerSocketChannel server;
    private final ClientControl control;
    private final Consumer<String> log;
    /** Issue 8: resource limits. Paces and logs a failing accept (EMFILE) instead of spinning. */
    private final dev.imperium.server.net.AcceptPacer acceptPacer;
    private final Set<UserPrincipal> allowed;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private ClientControlServer(Path path, Object socketKey, ServerSocketChannel server, ClientControl control,
                                Consumer<String> log, Set<UserPrincipal> allowed) {
        this.path = path;
        this.socketKey = socketKey;
        this.server = server;
        this.control = control;
        this.log = log;
        this.acceptPacer = new dev.imperium.server.net.AcceptPacer("imperium control socket", log);
        this.allowed = allowed;
        this.acceptor = Thread.ofPlatform().daemon().name("imperium-client-control").unstarted(this::acceptLoop);
    }

    /**
     * Binds the socket (mode 0600) and starts accepting.
     *
     * @param path where the socket goes
     * @param createDirectory create its directory (mode 0700) if missing: for the default locations
     * @param control carries out the requests
     * @param log receives one line per notable event (a refused client)
     * @return the running server
     * @throws InUseException if a live emperor already listens there
     * @throws IOException if the socket cannot be made
     */
    static ClientControlServer open(Path path, boolean createDirectory, ClientControl control, Consumer<String> log)
            throws IOException {
        Path socket = path.toAbsolutePath().normalize();
        Path dir = socket.getParent();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IOException("control socket path too long for AF_UNIX (" + socket + ")");
        }
        if (!Files.isDirectory(dir)) {
            if (!createDirectory) {
                throw new IOException("directory " + dir + " does not exist");
            }
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } else if (createDirectory) {
            checkOwnDirectory(dir);
        }
        removeIfStale(socket);
        Path temporary = dir.resolve("." + socket.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Object key;
        try {
            server.bind(UnixDomainSocketAddress.of(temporary));
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, socket, StandardCopyOption.ATOMIC_MOVE);
            key = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
        UserPrincipal owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
        Set<UserPrincipal> allowed = Set.of(owner);
        try {
            UserPrincipal root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(
                    "root");
            if (!root.equals(owner)) {
                allowed = Set.of(owner, root);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no root user by that name: only the owner
        }
        ClientControlServer s = new ClientControlServer(socket, key, server, control, log, allowed);
        s.acceptor.start();
        return s;
    }

    /** A default directory must be ours: one another user made could let them replace our socket. */
    private static void checkOwnDirectory(Path dir) throws IOException {
        UserPrincipal owner = Files.getOwner(dir);
        Path probe = Files.createTempFile(dir, ".owner", ".tmp");
        try {
            if (!owner.equals(Files.getOwner(probe))) {
                throw new IOException("directory " + dir + " belongs to " + owner.getName()
                        + ", not to the emperor's user: remove it or pass --control-socket");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Removes a socket file nobody listens on; refuses to touch a live one or anything that is not a socket. */
    private static void removeIfStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object mode = Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (!(mode instanceof Integer m) || (m & 0170000) != 0140000) {
            throw new IOException(socket + " exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new InUseException("the control socket " + socket + " is in use by another emperor");
        } catch (InUseException e) {
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(socket); // nobody listens: left by an emperor that was killed
        }
    }

    /** Returns the socket path. */
    Path path() {
        return path;
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
            if (clients.size() >= MAX_CLIENTS) {
                refuse(channel, new ControlReply.Failure(ControlReply.Failure.BAD_REQUEST, "too many clients ("
                        + MAX_CLIENTS + ")"));
                continue;
            }
            clients.add(channel);
            Thread.ofVirtual().name("imperium-client").start(() -> {
                try {
                    serve(channel);
                } finally {
                    clients.remove(channel);
                    closeQuietly(channel);
                }
            });
        }
    }

    private void serve(SocketChannel channel) {
        UserPrincipal user = peer(channel);
        boolean permitted = user != null && allowed.contains(user);
        ControlRequest request;
        try {
            request = readRequest(channel);
        } catch (ProtocolException e) {
            write(channel, permitted ? new ControlReply.Failure(ControlReply.Failure.BAD_REQUEST, e.getMessage())
                    : denied(user));
            return;
        } catch (IOException e) {
            return;
        }
        if (!permitted) {
            write(channel, denied(user)); // after the request was read, so that the client sees the answer
            return;
        }
        if (request == null) {
            return;
        }
        ControlReply reply;
        try {
            reply = control.handle(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            reply = new ControlReply.Failure(ControlReply.Failure.BAD_REQUEST, "internal error: " + e.getCause());
        }
        if (request.op() == ControlRequest.Op.LOGS && reply instanceof ControlReply.LogsStart) {
            try {
                streamLogs(channel, request);
            } catch (IOException e) {
                // the client hung up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        write(channel, reply);
    }

    /** Logs a refused client and returns the answer it gets. */
    private ControlReply.Failure denied(UserPrincipal user) {
        String who = user == null ? "an unknown user" : "user " + user.getName();
        log.accept("refusing a client control connection from " + who + ": only "
                + String.join(" and ", allowed.stream().map(UserPrincipal::getName).sorted().toList())
                + " may drive this emperor");
        return new ControlReply.Failure(ControlReply.Failure.PERMISSION, "permission denied: only the emperor's user"
                + " (and root) may drive it");
    }

    private static UserPrincipal peer(SocketChannel channel) {
        try {
            UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return p == null ? null : p.user();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Reads the one request line, or returns null if the client hung up or took too long. */
    private ControlRequest readRequest(SocketChannel channel) throws IOException, ProtocolException {
        LineFramer framer = new LineFramer(ControlCodec.MAX_REQUEST_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(4096);
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(REQUEST_TIMEOUT_MILLIS);
                closeQuietly(channel);
            } catch (InterruptedException e) {
                // the request came in time
            }
        });
        try {
            while (true) {
                int n = channel.read(buf.clear());
                if (n < 0) {
                    return null;
                }
                List<String> lines = framer.feed(buf.array(), 0, n);
                if (!lines.isEmpty()) {
                    return ControlCodec.decodeRequest(lines.getFirst());
                }
            }
        } catch (ClosedChannelException e) {
            return null;
        } finally {
            watchdog.interrupt();
        }
    }

    private void streamLogs(SocketChannel channel, ControlRequest request) throws IOException, InterruptedException {
        String name = request.vassal();
        VassalLogs logs = control.logs();
        VassalLogBuffer buffer = logs.find(name);
        VassalLogBuffer.Slice first = buffer == null ? new VassalLogBuffer.Slice(List.of(), 0)
                : buffer.tail(request.lines());
        send(channel, new ControlReply.LogsStart(name, first.skipped()));
        long cursor = first.skipped();
        for (VassalLogBuffer.Line line : first.lines()) {
            send(channel, logLine(line));
            cursor = line.seq();
        }
        if (!request.follow()) {
            send(channel, new ControlReply.LogsEnd());
            return;
        }
        long lastSent = System.nanoTime();
        while (!closed) {
            if (buffer == null || buffer.retired()) {
                VassalLogBuffer next = logs.find(name);
                if (next != buffer && next != null) {
                    buffer = next; // the vassal came back: a new buffer, numbered from 1
                    cursor = 0;
                }
            }
            VassalLogBuffer.Slice slice;
            if (buffer == null || buffer.retired()) {
                Thread.sleep(250);
                slice = new VassalLogBuffer.Slice(List.of(), 0);
            } else {
                slice = buffer.after(cursor, 1000);
            }
            if (slice.skipped() > 0) {
                send(channel, new ControlReply.LogsSkipped(slice.skipped()));
            }
            for (VassalLogBuffer.Line line : slice.lines()) {
                send(channel, logLine(line));
                cursor = line.seq();
            }
            if (!slice.lines().isEmpty() || slice.skipped() > 0) {
                lastSent = System.nanoTime();
            } else if (System.nanoTime() - lastSent > PING_MILLIS * 1_000_000) {
                send(channel, new ControlReply.Ping());
                lastSent = System.nanoTime();
            }
        }
    }

    private static ControlReply.LogLine logLine(VassalLogBuffer.Line line) {
        return new ControlReply.LogLine(line.seq(), line.stderr(), new String(line.bytes(), StandardCharsets.UTF_8));
    }

    private static void send(SocketChannel channel, ControlReply reply) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((ControlCodec.encode(reply) + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static void write(SocketChannel channel, ControlReply reply) {
        try {
            send(channel, reply);
        } catch (IOException e) {
            // the client hung up
        }
    }

    private static void refuse(SocketChannel channel, ControlReply reply) {
        write(channel, reply);
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Stops accepting, hangs up every client, removes the socket file if it is still ours. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        for (SocketChannel c : clients) {
            closeQuietly(c);
        }
        try {
            Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, socketKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // gone already
        }
    }
}
