package dev.imperium.emperor;

import dev.imperium.vassal.SocketSpec;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import io.prometheus.client.hotspot.DefaultExports;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The emperor's Prometheus endpoint ({@code --emperor-metrics HOST:PORT}): {@code GET /metrics} answers with the
 * {@code imperium_*} metrics of every vassal ({@link VassalMetricsCollector}) and the emperor JVM's own metrics
 * (simpleclient_hotspot: {@code jvm_*}, {@code process_*}), in Prometheus' text format or OpenMetrics, as the
 * scraper asks. Served by simpleclient's HTTP server on its own daemon threads; {@code /-/healthy} answers too.
 */
final class MetricsServer implements AutoCloseable {
    /** How long a scrape waits for the emperor's snapshot. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(5);

    private final HTTPServer server;
    private final String url;

    private MetricsServer(HTTPServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /**
     * Parses a {@code --emperor-metrics} address: {@code host:port}, {@code [ipv6]:port} or {@code :port} (every
     * IPv4 interface), as uWSGI writes TCP addresses.
     *
     * @param address the address as given
     * @return the socket address, unresolved names resolved
     * @throws IllegalArgumentException if it is malformed or a UNIX socket
     */
    static InetSocketAddress parseAddress(String address) {
        SocketSpec spec = SocketSpec.parse(address);
        if (spec.isUnix() || spec.isShared()) {
            throw new IllegalArgumentException("--emperor-metrics needs a TCP address HOST:PORT, not '" + address
                    + "' (Prometheus scrapes over HTTP)");
        }
        String host = spec.host().isEmpty() ? "0.0.0.0" : spec.host();
        InetSocketAddress a = new InetSocketAddress(host, spec.port());
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("--emperor-metrics: cannot resolve host '" + host + "'");
        }
        return a;
    }

    /**
     * Starts serving.
     *
     * @param address the {@code --emperor-metrics} value
     * @param snapshots takes a snapshot of the emperor (on its event loop)
     * @param reports the vassals' parsed stats reports, shared with the emperor's other readers
     * @param log the emperor log
     * @return the running server
     * @throws IOException if the address is malformed or cannot be bound, naming it
     */
    static MetricsServer open(String address, Supplier<CompletableFuture<EmperorSnapshot>> snapshots,
                              StatsReportCache reports, EmperorLog log) throws IOException {
        InetSocketAddress bind;
        try {
            bind = parseAddress(address);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        CollectorRegistry registry = new CollectorRegistry();
        new VassalMetricsCollector(snapshots, SNAPSHOT_TIMEOUT, reports).register(registry);
        DefaultExports.register(registry);
        HTTPServer server;
        try {
            server = new HTTPServer.Builder().withInetSocketAddress(bind).withRegistry(registry)
                    .withDaemonThreads(true).build();
        } catch (IOException e) {
            throw new IOException("cannot serve --emperor-metrics on " + address + ": " + e.getMessage(), e);
        }
        String host = bind.getAddress().getHostAddress();
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort() + "/metrics";
        log.emperor("Prometheus metrics on " + url);
        return new MetricsServer(server, url);
    }

    /** Returns the URL of {@code /metrics}, with the port actually bound. */
    String url() {
        return url;
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.close();
    }
}
