package dev.imperium.emperor.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet page's HTTP server ({@code --emperor-dashboard}), on the JDK's {@link HttpServer}. Read-only:
 * <ul>
 *   <li>{@code GET /}: the page ({@link DashboardPage});</li>
 *   <li>{@code GET /api/fleet}: a {@link FleetSnapshot} as JSON ({@link FleetJson}); the page polls it every
 *       second. 503 with {@code {"error": ...}} if the emperor does not answer within {@link #SNAPSHOT_TIMEOUT}.</li>
 * </ul>
 * {@code HEAD} is answered too; any other method gets 405, any other path 404, and a {@code Host} that
 * {@link DashboardAddress#allowsHost} refuses gets 403. Two daemon threads serve the requests.
 */
public final class DashboardServer implements AutoCloseable {
    /** How long a request waits for the emperor's snapshot. */
    public static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ExecutorService executor;
    private final FleetSource fleet;
    private final DashboardPage page;
    private final InetSocketAddress bound;

    private DashboardServer(HttpServer server, ExecutorService executor, FleetSource fleet, DashboardPage page) {
        this.server = server;
        this.executor = executor;
        this.fleet = fleet;
        this.page = page;
        this.bound = server.getAddress();
    }

    /**
     * Binds the address; call {@link #start()} to serve.
     *
     * @param address where to listen (port 0: any free port)
     * @param fleet where the state comes from
     * @return the bound server, not serving yet
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    public static DashboardServer bind(InetSocketAddress address, FleetSource fleet) throws IOException {
        DashboardPage page = DashboardPage.load();
        HttpServer server = HttpServer.create(address, 50);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "imperium-dashboard-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        DashboardServer dashboard = new DashboardServer(server, executor, fleet, page);
        server.createContext("/", dashboard::handle);
        return dashboard;
    }

    /**
     * Parses {@code --emperor-dashboard}'s value, binds it and starts serving.
     *
     * @param address the option's value ({@link DashboardAddress#parse})
     * @param fleet where the state comes from
     * @return the running server
     * @throws IOException if the address is malformed or cannot be bound, naming it
     */
    public static DashboardServer open(String address, FleetSource fleet) throws IOException {
        InetSocketAddress bind;
        try {
            bind = DashboardAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        DashboardServer server;
        try {
            server = bind(bind, fleet);
        } catch (IOException e) {
            throw new IOException("cannot serve --emperor-dashboard on " + address + ": " + e.getMessage(), e);
        }
        server.start();
        return server;
    }

    /** Starts serving. */
    public void start() {
        server.start();
    }

    /** Returns the address listened on (with the real port when bound to port 0). */
    public InetSocketAddress address() {
        return bound;
    }

    /** Returns the page's URL, e.g. {@code http://127.0.0.1:9191/}. */
    public String url() {
        String host = bound.getAddress().isAnyLocalAddress() ? "0.0.0.0" : bound.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + bound.getPort() + "/";
    }

    /** Stops listening at once and stops the server's threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (RuntimeException e) {
            internalError(exchange, e);
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Headers h = exchange.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        if (!DashboardAddress.allowsHost(bound.getAddress(), exchange.getRequestHeaders().getFirst("Host"))) {
            text(exchange, 403, "this page answers only to Host: localhost or a loopback address\n");
            return;
        }
        boolean known = path.equals("/") || path.equals("/api/fleet");
        if (!known) {
            text(exchange, 404, "not found\n");
            return;
        }
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            h.set("Allow", "GET, HEAD");
            text(exchange, 405, "read-only: GET or HEAD\n");
            return;
        }
        if (path.equals("/")) {
            h.set("Content-Type", "text/html; charset=utf-8");
            h.set("Content-Security-Policy", page.contentSecurityPolicy());
            send(exchange, 200, page.html(), head);
            return;
        }
        byte[] body;
        int status;
        try {
            body = FleetJson.encode(fleet.snapshot(SNAPSHOT_TIMEOUT));
            status = 200;
        } catch (TimeoutException e) {
            body = ("{\"error\":\"the emperor did not answer within " + SNAPSHOT_TIMEOUT.toSeconds() + " s\"}")
                    .getBytes(StandardCharsets.UTF_8);
            status = 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        h.set("Content-Type", "application/json");
        send(exchange, status, body, head);
    }

    /** Answers 500 if nothing was sent yet; the server thread goes on either way. */
    private static void internalError(HttpExchange exchange, RuntimeException e) {
        try {
            text(exchange, 500, "internal error: " + e + "\n");
        } catch (IOException | RuntimeException alreadySent) {
            // the response had begun: the client sees the connection close
        }
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(exchange, status, text.getBytes(StandardCharsets.UTF_8), exchange.getRequestMethod().equals("HEAD"));
    }

    private static void send(HttpExchange exchange, int status, byte[] body, boolean head) throws IOException {
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
