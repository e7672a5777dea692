package dev.imperium.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded HTTP client loop against one port: some clients reuse keep-alive connections (reconnecting when the
 * server answers {@code Connection: close}), others open a new connection per request. Every request either gets a
 * complete {@code 200} response or counts as a failure, by cause. Runs until {@link #stop()} or its time limit.
 *
 * <p>A request sent on a reused connection that the server closes before answering counts as a failure too: some
 * clients retry such a request on their own (RFC 9112 §9.3.1), but a reload must not depend on it.
 */
public final class LoadLoop implements AutoCloseable {
    private final int port;
    private final String path;
    private final long deadlineNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private volatile boolean running = true;

    private LoadLoop(int port, String path, Duration limit) {
        this.port = port;
        this.path = path;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /**
     * Starts the loop.
     *
     * @param port the server's port on 127.0.0.1
     * @param path the request path
     * @param keepAliveClients clients that reuse their connection
     * @param freshClients clients that open a new connection per request
     * @param limit the longest the loop runs, even if never stopped
     */
    public static LoadLoop start(int port, String path, int keepAliveClients, int freshClients, Duration limit) {
        LoadLoop loop = new LoadLoop(port, path, limit);
        for (int i = 0; i < keepAliveClients; i++) {
            loop.threads.add(Thread.ofPlatform().name("keepalive-" + i).start(() -> loop.run(true)));
        }
        for (int i = 0; i < freshClients; i++) {
            loop.threads.add(Thread.ofPlatform().name("fresh-" + i).start(() -> loop.run(false)));
        }
        return loop;
    }

    /** Returns the number of complete 200 responses so far. */
    public long ok() {
        return ok.sum();
    }

    /** Returns the failures so far, by cause. */
    public Map<String, Long> failures() {
        Map<String, Long> out = new java.util.TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Returns the total number of failures so far. */
    public long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Returns the slowest request so far. */
    public Duration maxLatency() {
        return Duration.ofNanos(maxLatencyNanos.get());
    }

    /** Stops the clients and waits for them. */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private boolean go() {
        return running && System.nanoTime() < deadlineNanos;
    }

    private void run(boolean keepAlive) {
        Socket socket = null;
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (go()) {
            long start = System.nanoTime();
            boolean reused = socket != null;
            try {
                if (socket == null) {
                    socket = new Socket(InetAddress.getLoopbackAddress(), port);
                    socket.setSoTimeout(10_000);
                    socket.setTcpNoDelay(true);
                }
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                SizedResponse response = SizedResponse.read(socket.getInputStream());
                if (response == null) {
                    fail(reused ? "connection closed before a response (reused)" : "connection closed before a response");
                    socket = close(socket);
                    continue;
                }
                if (response.status() != 200) {
                    fail("status " + response.status());
                } else {
                    ok.increment();
                }
                if (!keepAlive || response.close()) {
                    socket = close(socket);
                }
            } catch (java.net.ConnectException e) {
                fail("connect: " + e.getMessage());
                socket = close(socket);
            } catch (IOException e) {
                fail((reused ? "reused connection: " : "") + e.getClass().getSimpleName() + ": " + e.getMessage());
                socket = close(socket);
            }
            maxLatencyNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
        close(socket);
    }

    private void fail(String cause) {
        failures.computeIfAbsent(cause, k -> new LongAdder()).increment();
    }

    private static Socket close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        return null;
    }
}
