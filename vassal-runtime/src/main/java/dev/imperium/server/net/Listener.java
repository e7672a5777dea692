package dev.imperium.server.net;

import dev.imperium.server.AcceptGate;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Accepts connections on a listening channel and serves each on its own virtual thread, with whatever protocol its
 * {@link ConnectionFactory} speaks (HTTP/1.1, uwsgi, FastCGI, SCGI).
 *
 * <p>The channel is a blocking {@link ServerSocketChannel}, TCP or UNIX, possibly inherited from the vassal master
 * ({@link System#inheritedChannel()}) and shared with other worker processes: whichever process is waiting in
 * {@code accept} gets the next connection. One platform thread runs the accept loop; one platform daemon thread, the
 * watchdog, enforces the connections' timeouts a few times per shortest timeout.
 *
 * <p>Lifecycle: {@link #start()}; then either a graceful {@link #stopAccepting()} followed by
 * {@link #awaitTermination}, or {@link #shutdown(Duration)} which does both and closes what is left; or a brutal
 * {@link #closeAll()}. Graceful stop closes this process's copy of the listening channel (other processes sharing it
 * keep accepting, so queued clients are served by them), lets every in-flight request finish, answers at most one
 * more request per idle persistent connection within the shutdown grace, with {@code Connection: close}, and closes
 * the rest. Thread-safe.
 *
 * <p>A listener made with {@link #forSharedSocket} serves a socket that other processes accept on too (a worker's
 * inherited socket): it waits for connections with a selector and, on {@link #stopAccepting()}, only deregisters,
 * leaving the channel open until the process exits. Closing would gain nothing (the other processes keep the socket
 * open) and, for the channel of {@link System#inheritedChannel()}, would make the JDK point file descriptors 0, 1 and
 * 2 at {@code /dev/null} ({@code sun.nio.ch.InheritedChannel}), silencing the worker's logs. Only {@link #closeAll()}
 * closes it.
 */
public final class Listener implements AutoCloseable {
    private static final Duration MAX_TICK = Duration.ofMillis(200);
    private static final Duration MIN_TICK = Duration.ofMillis(5);
    /** A thread blocked in accept leaves it within microseconds of the close; this only bounds a stuck case. */
    private static final Duration ACCEPT_EXIT_WAIT = Duration.ofSeconds(1);
    /** How often a shared-socket accept loop waiting at its gate checks whether it must stop. */
    private static final Duration GATE_POLL = Duration.ofMillis(50);

    private final ServerSocketChannel server;
    private final boolean shared;
    /** Serve a connection that is {@link ServerConnection#readyToServeInline ready} on the accept thread itself. */
    private final boolean inline;
    private final AcceptGate gate;
    private final ConnectionFactory factory;
    /** Issue 8: resource limits. Paces and logs a failing accept (EMFILE). */
    private final AcceptPacer acceptPacer;
    private final Duration closeWait;
    private final long tickMillis;
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final ThreadFactory connectionThreads = Thread.ofVirtual().name("imperium-conn-", 0).factory();
    private final Object lock = new Object();

    private boolean started;
    private boolean stopping;
    private boolean closed;
    private boolean acceptLoopDone = true;
    private Thread acceptThread;
    private Thread watchdogThread;
    private Selector selector;
    private volatile ConnectionLimit limit = ConnectionLimit.NONE;

    /**
     * Creates a listener; nothing happens until {@link #start()}.
     *
     * @param server a bound, blocking listening channel; this listener closes it when it stops
     * @param factory makes the connection that serves each accepted channel
     * @param timing the connections' shortest timeout and the wait for them on {@link #close()}
     * @param acceptLog told the lines to log when {@code accept} fails (e.g. out of file descriptors): the loop then
     *     pauses, and logs at most one line per {@link AcceptPacer#LOG_INTERVAL}
     */
    public Listener(ServerSocketChannel server, ConnectionFactory factory, Timing timing,
            Consumer<String> acceptLog) {
        this(server, false, false, AcceptGate.OPEN, factory, timing, acceptLog);
    }

    /**
     * How often the watchdog checks the connections' deadlines, and how long {@link #close()} waits for them.
     *
     * @param shortestTimeout the shortest timeout a connection arms; the watchdog ticks about ten times within it
     *     (at least every 5 ms, at most every 200 ms)
     * @param closeWait how long {@link #close()} waits for the connections' threads to end
     */
    public record Timing(Duration shortestTimeout, Duration closeWait) {
    }

    private Listener(ServerSocketChannel server, boolean shared, boolean inline, AcceptGate gate,
            ConnectionFactory factory, Timing timing, Consumer<String> acceptLog) {
        if (!shared && !server.isBlocking()) {
            throw new IllegalArgumentException("the listening channel must be in blocking mode");
        }
        this.server = server;
        this.shared = shared;
        this.inline = inline;
        this.gate = gate;
        this.factory = factory;
        this.acceptPacer = new AcceptPacer("", acceptLog);
        this.closeWait = timing.closeWait();
        long tick = timing.shortestTimeout().toMillis() / 10;
        this.tickMillis = Math.clamp(tick, MIN_TICK.toMillis(), MAX_TICK.toMillis());
    }

    /**
     * Creates a listener for a socket shared with other processes (see the class comment): {@link #stopAccepting()}
     * leaves the channel open; nothing happens until {@link #start()}.
     *
     * <p>Before each accept the listener waits at {@code gate} until the process can serve one more request, so a
     * busy worker leaves new connections to its idle siblings.
     *
     * @param server a bound listening channel, e.g. from {@link System#inheritedChannel()}; switched to non-blocking
     * @param gate says when the process has room for one more request
     * @param factory makes the connection that serves each accepted channel
     * @param timing the connections' shortest timeout and the wait for them on {@link #close()}
     * @param acceptLog told the lines to log when {@code accept} fails; the loop then pauses
     */
    public static Listener forSharedSocket(ServerSocketChannel server, AcceptGate gate, ConnectionFactory factory,
            Timing timing, Consumer<String> acceptLog) {
        return new Listener(server, true, false, gate, factory, timing, acceptLog);
    }

    /**
     * As {@link #forSharedSocket}, and a connection that carries one request whose head has already arrived
     * ({@link ServerConnection#readyToServeInline()}: nginx's {@code uwsgi_pass} sends it with the connect) is served
     * on the accept thread itself rather than on a thread of its own: no hand-over between threads per request. For
     * a gate of one request at a time (one core), where the accept loop would wait for that request anyway; with
     * more cores, or when bodies must be read before a request takes its core ({@code post-buffering}), use
     * {@link #forSharedSocket}.
     */
    public static Listener forSharedSocketServingInline(ServerSocketChannel server, AcceptGate gate,
            ConnectionFactory factory, Timing timing, Consumer<String> acceptLog) {
        return new Listener(server, true, true, gate, factory, timing, acceptLog);
    }

    /**
     * Makes this listener count its connections in {@code limit}, which the process's other listeners may share, and
     * accept none while the process holds its maximum (see {@link ConnectionLimit}). Call before {@link #start()}.
     *
     * @return this listener
     */
    public Listener limitConnections(ConnectionLimit limit) {
        this.limit = java.util.Objects.requireNonNull(limit);
        return this;
    }

    /**
     * Starts the accept thread and the watchdog.
     *
     * @throws IllegalStateException if already started
     * @throws java.io.UncheckedIOException if a shared socket cannot be watched with a selector
     */
    public void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("already started");
            }
            if (stopping) {
                started = true;
                return;
            }
            if (shared) {
                try {
                    server.configureBlocking(false);
                    selector = Selector.open();
                    server.register(selector, SelectionKey.OP_ACCEPT);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot watch the listening socket", e);
                }
            }
            started = true;
            acceptLoopDone = false;
            acceptThread = Thread.ofPlatform().name("imperium-accept").daemon(true).start(this::acceptLoop);
            watchdogThread = Thread.ofPlatform().name("imperium-watchdog").daemon(true).start(this::watchdog);
        }
    }

    /** Returns the listening address, or null once the channel is closed. */
    public SocketAddress localAddress() {
        try {
            return server.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Returns the number of open connections. */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Stops accepting: closes this process's copy of the listening channel (a shared socket is only deregistered),
     * waits (briefly) until the accept thread has left {@code accept}, so this process takes no further connection
     * once this returns, and starts a graceful close of every connection (see {@link ServerConnection#beginDrain()}).
     * Does not wait for the connections; see {@link #awaitTermination}. Idempotent.
     */
    public void stopAccepting() {
        Thread accepter;
        synchronized (lock) {
            accepter = acceptThread;
            if (stopping) {
                return;
            }
            stopping = true;
            for (ServerConnection connection : connections) {
                connection.beginDrain();
            }
        }
        if (shared) {
            Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
        } else {
            closeServer();
        }
        joinAcceptThread(accepter);
    }

    private static void joinAcceptThread(Thread accepter) {
        if (accepter == null || accepter == Thread.currentThread()) {
            return;
        }
        try {
            accepter.join(ACCEPT_EXIT_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the accept loop ended and every connection closed.
     *
     * @param timeout the longest wait
     * @return true if everything ended in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!acceptLoopDone || !connections.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /**
     * Stops gracefully: {@link #stopAccepting()}, waits up to {@code timeout} for the connections, then
     * {@link #closeAll()} whatever is left.
     *
     * @return true if every connection ended within the timeout
     * @throws InterruptedException if interrupted while waiting (the connections are then closed)
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        stopAccepting();
        boolean done = false;
        try {
            done = awaitTermination(timeout);
        } finally {
            if (!done) {
                closeAll();
            }
        }
        return done;
    }

    /** Closes the listening channel and every connection at once; in-flight requests fail. Idempotent. */
    public void closeAll() {
        Thread accepter;
        synchronized (lock) {
            stopping = true;
            closed = true;
            accepter = acceptThread;
        }
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
        closeServer();
        joinAcceptThread(accepter);
        for (ServerConnection connection : connections) {
            connection.abort();
        }
    }

    /** Same as {@link #closeAll()}, then waits briefly (up to the linger timeout) for the threads to end. */
    @Override
    public void close() {
        closeAll();
        try {
            awaitTermination(closeWait);
            Thread watchdog;
            synchronized (lock) {
                watchdog = watchdogThread;
                lock.notifyAll();
            }
            if (watchdog != null) {
                watchdog.interrupt();
                watchdog.join(closeWait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeServer() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private void acceptLoop() {
        if (shared) {
            sharedAcceptLoop();
            return;
        }
        try {
            while (true) {
                while (!limit.awaitCapacity(GATE_POLL)) {
                    if (isStopping()) {
                        return;
                    }
                }
                SocketChannel channel;
                try {
                    channel = server.accept();
                    acceptPacer.succeeded();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                    acceptPacer.pauseAfter(e); // Issue 8: resource limits
                    continue;
                }
                serve(channel);
            }
        } catch (InterruptedException e) {
            // stop accepting
        } finally {
            synchronized (lock) {
                acceptLoopDone = true;
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits for connections with the selector and accepts without blocking: another process may take a connection
     * first ({@code accept} then returns null). Closing the selector at the end deregisters the channel and leaves
     * it open.
     */
    private void sharedAcceptLoop() {
        try (Selector s = selector) {
            while (true) {
                while (!gate.awaitCapacity(GATE_POLL) || !limit.awaitCapacity(GATE_POLL)) {
                    if (isStopping()) {
                        return;
                    }
                }
                s.select();
                s.selectedKeys().clear();
                if (isStopping()) {
                    return;
                }
                if (!gate.awaitCapacity(Duration.ZERO)) {
                    continue; // busy since the select began: leave the connection to an idle sibling
                }
                try {
                    SocketChannel channel = server.accept();
                    if (channel != null) {
                        acceptPacer.succeeded();
                        serve(channel);
                    }
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                    acceptPacer.pauseAfter(e); // Issue 8: resource limits
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // selector closed by closeAll: stop accepting
        } catch (InterruptedException e) {
            // stop accepting
        } finally {
            synchronized (lock) {
                acceptLoopDone = true;
                lock.notifyAll();
            }
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private void serve(SocketChannel channel) {
        ServerConnection connection;
        try {
            connection = factory.open(channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            return;
        }
        synchronized (lock) {
            if (closed) {
                closeQuietly(channel);
                return;
            }
            if (stopping) {
                connection.beginDrain();
            }
            connections.add(connection);
        }
        limit.opened();
        if (inline && connection.readyToServeInline()) {
            try {
                connection.run();
            } finally {
                remove(connection);
            }
            return;
        }
        try {
            connectionThreads.newThread(() -> {
                try {
                    connection.run();
                } finally {
                    remove(connection);
                }
            }).start();
        } catch (RuntimeException | OutOfMemoryError e) {
            connection.abort();
            remove(connection);
        }
    }

    private void remove(ServerConnection connection) {
        boolean removed;
        synchronized (lock) {
            removed = connections.remove(connection);
            if (connections.isEmpty()) {
                lock.notifyAll();
            }
        }
        if (removed) {
            limit.closed();
        }
    }

    private void watchdog() {
        try {
            while (true) {
                synchronized (lock) {
                    if (closed && connections.isEmpty() || acceptLoopDone && stopping && connections.isEmpty()) {
                        return;
                    }
                }
                Thread.sleep(tickMillis);
                long now = System.nanoTime();
                for (ServerConnection connection : connections) {
                    connection.checkTimeout(now);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
