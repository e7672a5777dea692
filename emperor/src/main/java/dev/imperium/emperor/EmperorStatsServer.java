package dev.imperium.emperor;

import dev.imperium.os.SocketAdoption;
import dev.imperium.vassal.ListenSocket;
import dev.imperium.vassal.SocketSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The emperor stats server ({@code --emperor-stats ADDR}, alias {@code --emperor-stats-server}), as uWSGI's
 * ({@code core/emperor.c} {@code emperor_send_stats}, uwsgi-features.md §1.15): each client that connects gets
 * one JSON document ({@link EmperorStatsJson}) and the connection is closed. ADDR is {@code host:port},
 * {@code :port}, a UNIX socket path or an abstract name {@code @name}, as uWSGI's {@code stats}. With
 * {@code --stats-http} the server first reads the client's request and answers with uWSGI's HTTP/1.0 headers.
 *
 * <p>Each client is served on its own virtual thread and dropped after {@link #CLIENT_TIMEOUT}, so a client that
 * does not read cannot hold the server. The snapshot is taken on the emperor's event loop.
 */
final class EmperorStatsServer implements AutoCloseable {
    /** Longest time one client may take (uWSGI waits up to its socket timeout, 4 s, per write). */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    /** uWSGI's {@code listen} default, the backlog uWSGI gives this socket. */
    private static final int BACKLOG = 100;
    private static final byte[] HTTP_HEAD = ("HTTP/1.0 200 OK\r\nConnection: close\r\n"
            + "Access-Control-Allow-Origin: *\r\nContent-Type: application/json\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final Path unixPath;
    private final boolean http;
    private final boolean minified;
    private final Supplier<CompletableFuture<EmperorSnapshot>> snapshots;
    private final EmperorLog log;
    /** Issue 8: resource limits. Paces and logs a failing accept (EMFILE). */
    private final dev.imperium.server.net.AcceptPacer acceptPacer;
    private final Thread acceptor;
    private volatile boolean closed;

    private EmperorStatsServer(ServerSocketChannel server, Path unixPath, boolean http, boolean minified,
                               Supplier<CompletableFuture<EmperorSnapshot>> snapshots, EmperorLog log) {
        this.server = server;
        this.unixPath = unixPath;
        this.http = http;
        this.minified = minified;
        this.snapshots = snapshots;
        this.log = log;
        this.acceptPacer = new dev.imperium.server.net.AcceptPacer("emperor stats server", log::emperor);
        this.acceptor = new Thread(this::acceptLoop, "imperium-emperor-stats");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds ADDR and serves on a background thread; logs uWSGI's
     * {@code *** Emperor stats server enabled on ADDR fd: N ***}.
     *
     * @param address the address as given
     * @param http answer with HTTP headers ({@code --stats-http})
     * @param minified no indentation ({@code --stats-minified})
     * @param snapshots takes a snapshot of the emperor (on its event loop)
     * @param log the emperor log
     * @return the running server
     * @throws IOException if the address is malformed or cannot be bound, naming it
     */
    static EmperorStatsServer open(String address, boolean http, boolean minified,
                                   Supplier<CompletableFuture<EmperorSnapshot>> snapshots, EmperorLog log)
            throws IOException {
        SocketSpec spec;
        try {
            spec = SocketSpec.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IOException("--emperor-stats: " + e.getMessage(), e);
        }
        if (spec.isShared()) {
            throw new IOException("--emperor-stats: shared sockets (=N) are for vassals: '" + address + "'");
        }
        ListenSocket socket = ListenSocket.bind(spec, Path.of("").toAbsolutePath(), BACKLOG);
        log.line("*** Emperor stats server enabled on " + address.trim() + " fd: " + socket.fd() + " ***");
        ServerSocketChannel channel;
        try {
            channel = SocketAdoption.adopt(socket.fd());
        } catch (IOException e) {
            socket.close();
            throw new IOException("--emperor-stats " + address + ": " + e.getMessage(), e);
        }
        EmperorStatsServer s = new EmperorStatsServer(channel, socket.unixPath(), http, minified, snapshots, log);
        s.acceptor.start();
        return s;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
                acceptPacer.succeeded();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                try {
                    acceptPacer.pauseAfter(e); // Issue 8: resource limits: EMFILE must not spin nor flood
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            Thread.ofVirtual().name("imperium-emperor-stats-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        CompletableFuture.delayedExecutor(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> closeQuietly(client));
        try (client) {
            if (http && client.read(ByteBuffer.allocate(4096)) <= 0) {
                return; // as uWSGI: no request, no answer
            }
            EmperorSnapshot snapshot = snapshots.get().get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            byte[] json = EmperorStatsJson.render(snapshot, minified);
            if (http) {
                writeFully(client, ByteBuffer.wrap(HTTP_HEAD));
            }
            writeFully(client, ByteBuffer.wrap(json));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client went away or timed out, or the emperor is stopping: nothing to tell anyone
        }
    }

    private static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Stops serving and removes a UNIX socket file. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
