package dev.imperium.vassal;

import dev.imperium.os.SocketAdoption;
import dev.imperium.stats.StatsHttp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * uWSGI's stats server ({@code stats = ADDR}, uwsgi-docs "The uWSGI Stats Server"; {@code core/master.c},
 * {@code core/stats.c}): the master listens on a TCP address ({@code 127.0.0.1:PORT}, {@code :PORT}), a UNIX path or
 * an abstract name, and to each client writes the whole JSON document, then closes the connection, as uWSGI does
 * ({@code nc 127.0.0.1 PORT}, {@code uwsgi --connect-and-read}, {@code uwsgitop}). Under {@code stats-http} it first
 * reads the client's request (what arrives within {@code socket-timeout}; a client that sends nothing gets nothing,
 * as from uWSGI) and sends the document as an HTTP/1.0 response ({@code curl http://127.0.0.1:PORT/}).
 *
 * <p>A daemon thread accepts; each client is served on a virtual thread of its own, so that a slow reader holds no
 * one else up; the document is built on the master's event loop ({@code document}).
 */
final class StatsServer implements AutoCloseable {
    /** How long a client may take to read the document once it is built, in seconds. */
    private static final int WRITE_SECONDS = 30;

    /** What may change at a reload: the settings of the generation serving. */
    record Options(boolean http, int socketTimeoutSeconds) {
    }

    private final String address;
    private final ServerSocketChannel channel;
    private final Path unixPath;
    private final Supplier<CompletableFuture<String>> document;
    private final ScheduledExecutorService timers;
    private volatile Options options;
    private volatile boolean closed;

    private StatsServer(String address, ServerSocketChannel channel, Path unixPath,
            Supplier<CompletableFuture<String>> document, ScheduledExecutorService timers, Options options) {
        this.address = address;
        this.channel = channel;
        this.unixPath = unixPath;
        this.document = document;
        this.timers = timers;
        this.options = options;
    }

    /**
     * Binds the address (as the vassal's sockets are bound: a relative UNIX path resolves against {@code workDir},
     * {@code chmod-socket} and {@code abstract-socket} apply), logs uWSGI's {@code *** Stats server enabled on ADDR
     * fd: N ***} and starts accepting.
     *
     * @param address the {@code stats} value, as written
     * @param workDir where a relative UNIX path resolves
     * @param backlog the {@code listen} queue length
     * @param unix the vassal's UNIX socket options
     * @param document returns the document to send, completed on the master's event loop
     * @param timers schedules the clients' timeouts
     * @param options {@code stats-http} and {@code socket-timeout}
     * @throws IOException naming the address when it cannot be bound
     */
    static StatsServer start(String address, Path workDir, int backlog, UnixSocketOptions unix,
            Supplier<CompletableFuture<String>> document, ScheduledExecutorService timers, Options options)
            throws IOException {
        SocketSpec spec;
        try {
            spec = SocketSpec.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IOException("stats: " + e.getMessage(), e);
        }
        if (spec.isShared()) {
            throw new IOException("stats: a shared socket (" + address + ") cannot serve the stats");
        }
        ListenSocket socket = ListenSocket.bind(spec, workDir, backlog, unix);
        Log.line("*** Stats server enabled on " + address + " fd: " + socket.fd() + " ***");
        ServerSocketChannel channel;
        try {
            channel = SocketAdoption.adopt(socket.fd());
        } catch (IOException e) {
            socket.close();
            throw new IOException("stats: " + e.getMessage(), e);
        }
        StatsServer server = new StatsServer(address, channel, socket.unixPath(), document, timers, options);
        Thread acceptor = new Thread(server::acceptLoop, "stats-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /** Returns the address as configured. */
    String address() {
        return address;
    }

    /** Applies a reload's {@code stats-http} and {@code socket-timeout}. */
    void options(Options next) {
        options = next;
    }

    private void acceptLoop() {
        // Issue 8: resource limits. Out of descriptors, accept fails: pause and retry (it used to give up for good)
        dev.imperium.server.net.AcceptPacer pacer = new dev.imperium.server.net.AcceptPacer("stats server", Log::line);
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
                pacer.succeeded();
            } catch (IOException e) {
                if (closed || !channel.isOpen()) {
                    return;
                }
                try {
                    pacer.pauseAfter(e);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            Thread.ofVirtual().name("stats-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        Options o = options;
        ScheduledFuture<?> deadline = timers.schedule(() -> closeQuietly(client), o.socketTimeoutSeconds(),
                TimeUnit.SECONDS);
        try (client) {
            if (o.http() && client.read(ByteBuffer.allocate(4096)) <= 0) {
                return; // uWSGI: nothing read within socket-timeout, no answer
            }
            deadline.cancel(false);
            deadline = timers.schedule(() -> closeQuietly(client), WRITE_SECONDS, TimeUnit.SECONDS);
            String json = document.get().get(WRITE_SECONDS, TimeUnit.SECONDS);
            ByteBuffer out = ByteBuffer.wrap(StatsHttp.response(json, o.http()));
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            // the client went away or was too slow: nothing to tell anyone, as uWSGI
        } catch (Exception e) {
            if (!closed) {
                Log.line("stats server: " + e);
            }
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * Stops accepting and closes the socket; under {@code vacuum} removes a UNIX socket's file with uWSGI's line
     * ({@code VACUUM: unix socket PATH (stats) removed.}).
     */
    void close(boolean vacuum) {
        close();
        if (vacuum && unixPath != null) {
            try {
                if (Files.deleteIfExists(unixPath)) {
                    Log.line("VACUUM: unix socket " + unixPath + " (stats) removed.");
                }
            } catch (IOException e) {
                Log.line("VACUUM: unable to remove " + unixPath + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
