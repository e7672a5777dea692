package dev.imperium.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A paced, bounded HTTP client load for chaos tests: groups of client threads, each sending one request every
 * {@code pace} to one port (keep-alive clients reuse their connection, the others open one per request), every
 * request counted in the <em>event window</em> that was current when it started ({@link #window(String)}), and
 * every failure classified by {@link Cause}. Runs until {@link #stop()} or its time limit.
 */
public final class ChaosLoad implements AutoCloseable {
    /** Why a request failed. */
    public enum Cause {
        /** The connection was refused: nothing listened on the port. */
        REFUSED,
        /** The connection was reset or closed before a complete response. */
        RESET,
        /** A 5xx answer (through nginx: the upstream refused, reset or timed out). */
        STATUS_5XX,
        /** Another status than 200 and 5xx. */
        STATUS_OTHER,
        /** No complete response within the client's timeout. */
        TIMEOUT
    }

    /** The requests and failures of one window. */
    public static final class Window {
        private final String name;
        private final LongAdder requests = new LongAdder();
        private final Map<String, Map<Cause, LongAdder>> failures = new ConcurrentHashMap<>();
        private final java.util.Queue<String> samples = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile long startNanos;
        private volatile long endNanos;

        Window(String name) {
            this.name = name;
        }

        /** Returns the window's name. */
        public String name() {
            return name;
        }

        /** Returns the requests started in this window. */
        public long requests() {
            return requests.sum();
        }

        /** Returns the failed requests of this window, all groups. */
        public long failed() {
            return failures.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
        }

        /** Returns the failures of one cause, all groups. */
        public long failed(Cause cause) {
            return failures.values().stream().map(m -> m.get(cause)).filter(java.util.Objects::nonNull)
                    .mapToLong(LongAdder::sum).sum();
        }

        /** Returns the failures by group, then cause. */
        public Map<String, Map<Cause, Long>> failures() {
            Map<String, Map<Cause, Long>> out = new TreeMap<>();
            failures.forEach((group, causes) -> {
                Map<Cause, Long> m = new java.util.EnumMap<>(Cause.class);
                causes.forEach((c, n) -> m.put(c, n.sum()));
                out.put(group, m);
            });
            return out;
        }

        /** Returns the first few failures in detail: time into the window, group, cause, what the client saw. */
        public List<String> samples() {
            return List.copyOf(samples);
        }

        /** Returns how long the window lasted. */
        public Duration duration() {
            long end = endNanos == 0 ? System.nanoTime() : endNanos;
            return Duration.ofNanos(end - startNanos);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-28s %6d requests in %5.1f s, %4d failed %s", name, requests(),
                    duration().toMillis() / 1000.0, failed(), failed() == 0 ? "" : failures());
        }
    }

    private final long deadlineNanos;
    private final Duration pace;
    private final Duration timeout;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private final LongAdder ok = new LongAdder();
    private volatile Window current;
    private volatile boolean running = true;

    private ChaosLoad(Duration limit, Duration pace, Duration timeout) {
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
        this.pace = pace;
        this.timeout = timeout;
        window("start");
    }

    /**
     * Creates a load with no clients yet ({@link #clients}); its first window is {@code start}.
     *
     * @param limit the longest any client runs
     * @param pace the time between the starts of one client's requests
     * @param timeout a request's longest wait for its complete response
     */
    public static ChaosLoad create(Duration limit, Duration pace, Duration timeout) {
        return new ChaosLoad(limit, pace, timeout);
    }

    /**
     * Starts a group of clients against {@code 127.0.0.1:port}.
     *
     * @param group the group's name in the figures
     * @param port the port
     * @param keepAlive clients that reuse their connection
     * @param fresh clients that open a connection per request
     */
    public ChaosLoad clients(String group, int port, int keepAlive, int fresh) {
        for (int i = 0; i < keepAlive + fresh; i++) {
            boolean reuse = i < keepAlive;
            threads.add(Thread.ofPlatform().name(group + "-" + i).daemon(true).start(() -> run(group, port, reuse)));
        }
        return this;
    }

    /** Starts a new window: requests started from now on count in it. Returns it. */
    public synchronized Window window(String name) {
        long now = System.nanoTime();
        if (current != null) {
            current.endNanos = now;
        }
        Window w = windows.computeIfAbsent(name, Window::new);
        w.startNanos = now;
        current = w;
        return w;
    }

    /** Returns the windows, in order. */
    public synchronized List<Window> windows() {
        return List.copyOf(windows.values());
    }

    /** Returns the complete 200 responses so far. */
    public long ok() {
        return ok.sum();
    }

    /** Returns the requests started so far in every window. */
    public long requests() {
        return windows().stream().mapToLong(Window::requests).sum();
    }

    /** Returns the figures, one line per window. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        long total = 0;
        long failed = 0;
        for (Window w : windows()) {
            sb.append(w).append('\n');
            total += w.requests();
            failed += w.failed();
        }
        return sb.append(String.format(Locale.ROOT, "%-28s %6d requests, %d failed%n", "total", total, failed))
                .toString();
    }

    /** Stops the clients and waits for them. */
    public void stop() throws InterruptedException {
        running = false;
        synchronized (this) {
            current.endNanos = System.nanoTime();
        }
        for (Thread t : threads) {
            t.join(timeout.toMillis() + 5_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private boolean go() {
        return running && System.nanoTime() < deadlineNanos;
    }

    private void run(String group, int port, boolean keepAlive) {
        Socket socket = null;
        byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long next = System.nanoTime();
        while (go()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait)); // pacing the load, not waiting for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
            next = Math.max(next + pace.toNanos(), System.nanoTime());
            Window window = current;
            boolean reused = socket != null;
            window.requests.increment();
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                            (int) timeout.toMillis());
                    socket.setSoTimeout((int) timeout.toMillis());
                    socket.setTcpNoDelay(true);
                }
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                SizedResponse response = SizedResponse.read(socket.getInputStream());
                if (response == null) {
                    fail(window, group, Cause.RESET, (reused ? "reused " : "") + "connection closed before a response");
                    socket = close(socket);
                    continue;
                }
                int status = response.status();
                if (status == 200) {
                    ok.increment();
                } else {
                    fail(window, group, status >= 500 ? Cause.STATUS_5XX : Cause.STATUS_OTHER, "status " + status);
                }
                if (!keepAlive || response.close()) {
                    socket = close(socket);
                }
            } catch (ConnectException e) {
                fail(window, group, Cause.REFUSED, e.toString());
                socket = close(socket);
            } catch (SocketTimeoutException e) {
                fail(window, group, Cause.TIMEOUT, e.toString());
                socket = close(socket);
            } catch (IOException e) {
                fail(window, group, Cause.RESET, (reused ? "reused connection: " : "") + e);
                socket = close(socket);
            }
        }
        close(socket);
    }

    private static void fail(Window window, String group, Cause cause, String detail) {
        if (window.samples.size() < 6) {
            window.samples.add(String.format(Locale.ROOT, "+%d ms %s %s: %s",
                    (System.nanoTime() - window.startNanos) / 1_000_000, group, cause, detail));
        }
        window.failures.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(cause, c -> new LongAdder()).increment();
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
