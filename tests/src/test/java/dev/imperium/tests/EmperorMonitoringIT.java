package dev.imperium.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imperium.tests.support.BlockingRequests;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The emperor's monitoring as an operator meets it: {@code bin/emperor --emperor-stats ... --emperor-metrics ...}
 * with a real JWSGI vassal of two workers; the stats JSON read from its socket, {@code /metrics} checked by
 * {@code promtool}, the metrics made from the vassal's reports (vassal-runtime CONFIG.md, "The report to the
 * emperor") following real requests, a request held busy and a reload, and a real Prometheus server (Debian's
 * {@code prometheus}) scraping the emperor, loading the shipped alert rules and answering queries for the vassal's
 * series.
 *
 * <p>The tests share one emperor and vassal. The counters only grow, so each test compares them with what it read
 * before sending its own requests; the reload test runs last, because the others expect the first generation.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmperorMonitoringIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PACKAGING = Path.of(System.getProperty("imperium.packaging", "../packaging"))
            .toAbsolutePath().normalize().resolve("prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The vassal reports every 2 s and right after a generation accepts; a change shows within a few seconds. */
    private static final Duration REPORT = Duration.ofSeconds(10);
    private static final String VASSAL = "app.ini";

    @TempDir
    static Path root;

    private static EmperorFixture emperor;
    private static int statsPort;
    private static int metricsPort;
    private static int httpPort;

    @BeforeAll
    static void startEmperorWithOneVassal() {
        statsPort = FreePorts.next();
        metricsPort = FreePorts.next();
        httpPort = FreePorts.next();
        emperor = EmperorFixture.start(root, "--emperor-stats", "127.0.0.1:" + statsPort,
                "--emperor-metrics", "127.0.0.1:" + metricsPort);
        emperor.deploy(VASSAL, """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 2
                jvm-classpath = %s
                jwsgi = dev.imperium.tests.apps.BlockingApp
                route = ^/gone$ return:404
                disable-logging = true
                """.formatted(httpPort, Dist.testApps()));
        emperor.awaitGeneration(VASSAL, 1, START);
    }

    @AfterAll
    static void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = get("http://127.0.0.1:" + metricsPort + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /**
     * Parses an exposition (Prometheus text format 0.0.4, as the emperor writes it) into series and values; a series
     * is keyed as {@link #series} writes it.
     */
    private static Map<String, Double> parse(String metrics) {
        Map<String, Double> values = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }

    /** The vassal's series {@code name} with more labels ({@code "class", "2xx"}), as the exposition writes it. */
    private static String series(String name, String... labels) {
        StringBuilder out = new StringBuilder(name).append("{vassal=\"").append(VASSAL).append("\",");
        for (int i = 0; i < labels.length; i += 2) {
            out.append(labels[i]).append("=\"").append(labels[i + 1]).append("\",");
        }
        return out.append('}').toString();
    }

    /** One scrape's values, read as an operator's dashboard reads them. */
    private record Scrape(Map<String, Double> values, String text) {
        /** The value of the vassal's series, or -1 if the scrape does not have it. */
        double get(String name, String... labels) {
            return values.getOrDefault(series(name, labels), -1.0);
        }

        long count(String name, String... labels) {
            return (long) get(name, labels);
        }

        long requests(String statusClass) {
            return count("imperium_vassal_requests_total", "class", statusClass);
        }
    }

    private static Scrape scrapeValues() throws Exception {
        String text = scrape();
        return new Scrape(parse(text), text);
    }

    /**
     * Waits for a scrape that passes {@code test} (the vassal's next reports) and returns it; on a timeout the error
     * shows the vassal's series of the last scrape.
     */
    private static Scrape awaitScrape(String what, java.util.function.Predicate<Scrape> test) {
        Scrape[] last = new Scrape[1];
        try {
            await(what).atMost(REPORT).pollInterval(Duration.ofMillis(100))
                    .failFast("the emperor exited", () -> !emperor.process().isAlive())
                    .until(() -> {
                        last[0] = scrapeValues();
                        return test.test(last[0]);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            String series = last[0] == null ? "(no scrape)" : last[0].text().lines()
                    .filter(l -> l.startsWith("imperium_vassal_")).collect(java.util.stream.Collectors.joining("\n"));
            throw new AssertionError(e.getMessage() + "\nlast scrape:\n" + series + "\nemperor log:\n"
                    + emperor.process().logTail(40), e);
        }
        return last[0];
    }

    /** Waits until the vassal's report metrics are on {@code /metrics}: its first report has reached the emperor. */
    private static Scrape awaitReport() {
        return awaitScrape("the vassal's first report", s -> s.count("imperium_vassal_workers") >= 0);
    }

    /** Sends {@code GET path} to the vassal on a new connection and returns the status. */
    private static int request(String path) {
        return RawHttp.send(httpPort, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(15)).status();
    }

    /** Asks Prometheus' HTTP API for an instant query and returns its {@code data.result} array. */
    private static JsonNode query(String api, String promql) throws Exception {
        return JSON.readTree(get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body())
                .path("data").path("result");
    }

    /** Runs promtool with {@code args}, {@code stdin} on its standard input; returns its exit code and output. */
    private static String[] promtool(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish: " + command);
        }
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void theStatsServerSendsUwsgisEmperorJsonWithImperiumsState() throws IOException {
        emperor.awaitLog("\\*\\*\\* Emperor stats server enabled on 127\\.0\\.0\\.1:" + statsPort + " fd: \\d+ \\*\\*\\*",
                Duration.ofSeconds(1));
        String text;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), statsPort);
             InputStream in = s.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(text).startsWith("{\n\t\"version\":");
        JsonNode doc = JSON.readTree(text);
        assertThat(doc.get("pid").asLong()).isEqualTo(emperor.process().pid());
        assertThat(doc.get("emperor").get(0).asText()).isEqualTo(emperor.vassals().toRealPath().toString());
        assertThat(doc.get("blacklist")).isEmpty();
        JsonNode vassal = doc.get("vassals").get(0);
        assertThat(vassal.get("id").asText()).isEqualTo(VASSAL);
        assertThat(vassal.get("pid").asLong()).isPositive();
        assertThat(vassal.get("ready").asInt()).isEqualTo(1);
        assertThat(vassal.get("accepting").asInt()).isEqualTo(1);
        assertThat(vassal.get("respawns").asInt()).isZero();
        JsonNode imperium = vassal.get("imperium");
        assertThat(imperium.get("status").asText()).isEqualTo("running");
        assertThat(imperium.get("up").asInt()).isEqualTo(1);
        assertThat(imperium.get("generation").asInt()).isEqualTo(1);
        assertThat(imperium.get("config").asText()).endsWith("/vassals/" + VASSAL);
        assertThat(imperium.get("restarts").asInt()).isZero();
    }

    @Test
    void metricsPassPromtool() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool (Debian package prometheus) is not installed");
        String metrics = awaitReport().text(); // the report's families too, the histogram among them

        assertThat(metrics).contains("imperium_vassal_up{vassal=\"app.ini\",} 1.0\n")
                .contains("imperium_vassal_state{vassal=\"app.ini\",state=\"running\",} 1.0\n")
                .contains("imperium_vassal_generation{vassal=\"app.ini\",} 1.0\n")
                .contains("imperium_vassal_restarts_total{vassal=\"app.ini\",reason=\"signal\",} 0.0\n")
                .contains("imperium_vassal_workers{vassal=\"app.ini\",} 2.0\n")
                .contains("# TYPE imperium_vassal_request_duration_seconds histogram\n")
                .contains("imperium_vassal_request_duration_seconds_bucket{vassal=\"app.ini\",le=\"+Inf\",} ")
                .contains("imperium_emperor_vassals 1.0\n")
                .contains("jvm_threads_current ")
                .contains("process_open_fds ");
        String[] check = promtool(metrics, "check", "metrics");
        assertThat(check[0]).as("promtool check metrics:\n" + check[1]).isEqualTo("0");
    }

    @Test
    void theShippedRulesAndConfigPassPromtool() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool (Debian package prometheus) is not installed");

        String[] rules = promtool("", "check", "rules", PACKAGING.resolve("imperium-rules.yml").toString());
        String[] config = promtool("", "check", "config", PACKAGING.resolve("prometheus.yml").toString());
        String[] tests = promtool("", "test", "rules", PACKAGING.resolve("imperium-rules.test.yml").toString());

        assertThat(rules[0]).as(rules[1]).isEqualTo("0");
        assertThat(config[0]).as(config[1]).isEqualTo("0");
        assertThat(tests[0]).as(tests[1]).isEqualTo("0");
    }

    @Test
    void aRealPrometheusScrapesTheEmperorAndAnswersForTheVassal() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus (Debian package prometheus) is not installed");
        for (int i = 0; i < 5; i++) {
            assertThat(request("/")).isEqualTo(200);
        }
        Path dir = Files.createDirectories(root.resolve("prometheus"));
        int port = FreePorts.next();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: imperium
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(PACKAGING.resolve("imperium-rules.yml"), metricsPort));
        String marker = UUID.randomUUID().toString();
        ManagedProcess prometheus = ManagedProcess.builder("prometheus", List.of(PROMETHEUS.toString(),
                        "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port))
                .directory(dir).log(dir.resolve("prometheus.log")).env(Orphans.MARKER, marker).start();
        try {
            Ports.awaitListening(prometheus, port, Duration.ofSeconds(30));
            String api = "http://127.0.0.1:" + port + "/api/v1/";
            JsonNode[] series = new JsonNode[3];
            // The emperor's own series, and two from the vassal's report: the query matches only once Prometheus
            // has scraped a report counting the requests this test sent.
            String requests = "imperium_vassal_requests_total{class=\"2xx\"} >= 5";
            await("Prometheus has scraped imperium_vassal_up and the vassal's report").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .failFast("prometheus exited; log:\n" + prometheus.logTail(30), () -> !prometheus.isAlive())
                    .until(() -> {
                        series[0] = query(api, "imperium_vassal_up");
                        series[1] = query(api, requests);
                        series[2] = query(api, "imperium_vassal_workers");
                        return series[0].size() > 0 && series[1].size() > 0 && series[2].size() > 0;
                    });

            JsonNode up = series[0].get(0);
            assertThat(up.get("metric").get("vassal").asText()).isEqualTo(VASSAL);
            assertThat(up.get("metric").get("job").asText()).isEqualTo("imperium");
            assertThat(up.get("metric").get("instance").asText()).isEqualTo("127.0.0.1:" + metricsPort);
            assertThat(up.get("value").get(1).asText()).isEqualTo("1");
            assertThat(series[1].get(0).get("metric").get("vassal").asText()).isEqualTo(VASSAL);
            assertThat(series[2].get(0).get("metric").get("vassal").asText()).isEqualTo(VASSAL);
            assertThat(series[2].get(0).get("value").get(1).asText()).as("workers").isEqualTo("2");
            JsonNode target = JSON.readTree(get(api + "targets").body()).path("data").path("activeTargets").get(0);
            assertThat(target.get("health").asText()).as("scrape error: " + target.get("lastError")).isEqualTo("up");
            JsonNode groups = JSON.readTree(get(api + "rules").body()).path("data").path("groups");
            assertThat(groups.get(0).get("name").asText()).isEqualTo("imperium");
            assertThat(groups.get(0).get("rules")).hasSize(6);
        } finally {
            prometheus.close();
            Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "the test");
        }
    }

    @Test
    void theReportMetricsFollowTheRequestsTheVassalServes() throws Exception {
        Scrape before = awaitReport();
        long ok;
        try (LoadLoop load = LoadLoop.start(httpPort, "/", 1, 1, Duration.ofSeconds(20))) {
            await("200 requests answered").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> load.ok() >= 200 || load.failed() > 0);
            load.stop();
            assertThat(load.failures()).isEmpty();
            ok = load.ok();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(request("/gone")).as("route = ^/gone$ return:404").isEqualTo(404);
        }
        long sent = ok + 3;
        // And one request held in the app: one worker busy, the other idle.
        Path release = root.resolve("release-" + UUID.randomUUID());
        CompletableFuture<RawHttp.Response> held = BlockingRequests.block(httpPort, release, REPORT);
        Scrape after;
        try {
            after = awaitScrape("a report counting the " + sent + " requests, a worker busy",
                    s -> s.requests("2xx") >= before.requests("2xx") + ok
                            && s.requests("4xx") >= before.requests("4xx") + 3
                            && s.count("imperium_vassal_workers_busy") == 1);
        } finally {
            Files.writeString(release, "");
        }

        assertThat(after.requests("2xx")).as("2xx").isEqualTo(before.requests("2xx") + ok);
        assertThat(after.requests("4xx")).as("4xx").isEqualTo(before.requests("4xx") + 3);
        for (String other : List.of("1xx", "3xx", "5xx")) {
            assertThat(after.requests(other)).as(other).isEqualTo(before.requests(other)).isNotNegative();
        }
        String histogram = "imperium_vassal_request_duration_seconds";
        long count = after.count(histogram + "_count");
        assertThat(count).as("the histogram's count").isEqualTo(before.count(histogram + "_count") + sent);
        assertThat(after.count(histogram + "_bucket", "le", "+Inf")).isEqualTo(count);
        assertThat(after.count(histogram + "_bucket", "le", "10.0")).as("none took 10 s").isEqualTo(count);
        assertThat(after.count(histogram + "_bucket", "le", "0.005")).isBetween(0L, count);
        assertThat(after.get(histogram + "_sum")).isGreaterThan(before.get(histogram + "_sum"));
        assertThat(after.count("imperium_vassal_sent_bytes_total") - before.count("imperium_vassal_sent_bytes_total"))
                .as("bytes sent, heads included").isBetween(sent * 20, sent * 300);
        assertThat(after.count("imperium_vassal_harakiri_total")).isZero();
        assertThat(after.count("imperium_vassal_workers")).isEqualTo(2);
        assertThat(after.count("imperium_vassal_workers_idle")).isEqualTo(1);
        assertThat(after.get("imperium_vassal_rss_bytes")).as("the master's and two workers' resident memory")
                .isGreaterThan(3 * 10e6);
        assertThat(after.get("imperium_vassal_listen_queue")).as("nothing waits to be accepted").isZero();
        String socket = "127.0.0.1:" + httpPort;
        assertThat(after.get("imperium_vassal_socket_listen_queue", "socket", socket, "proto", "http")).isZero();
        assertThat(after.get("imperium_vassal_socket_listen_queue_max", "socket", socket, "proto", "http"))
                .as("the kernel's accept queue size").isEqualTo(100);
        System.out.printf("metrics after %d requests: rss %.0f MB, %d bytes sent, duration sum %.3f s%n", sent,
                after.get("imperium_vassal_rss_bytes") / 1e6,
                after.count("imperium_vassal_sent_bytes_total") - before.count("imperium_vassal_sent_bytes_total"),
                after.get(histogram + "_sum") - before.get(histogram + "_sum"));

        // Released: both workers idle again, and the held request counted.
        assertThat(held.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        Scrape idle = awaitScrape("a report with both workers idle again",
                s -> s.count("imperium_vassal_workers_idle") == 2);
        assertThat(idle.count("imperium_vassal_workers_busy")).isZero();
        assertThat(idle.requests("2xx")).as("the held request counted").isEqualTo(after.requests("2xx") + 1);
    }

    /** Runs last: the other tests expect the first generation. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aReloadKeepsTheCountersAndCountsTheWorkersItReplaced() throws Exception {
        Scrape before = awaitReport();
        long generation = before.count("imperium_vassal_generation");
        String histogram = "imperium_vassal_request_duration_seconds_count";
        String reload = "imperium_vassal_worker_restarts_total";
        // Requests to the old workers, then a reload, then requests to the new ones: the totals have them all once.
        for (int i = 0; i < 10; i++) {
            assertThat(request("/")).isEqualTo(200);
        }
        emperor.touch(VASSAL);
        emperor.awaitGeneration(VASSAL, (int) generation + 1, START);
        for (int i = 0; i < 5; i++) {
            assertThat(request("/")).isEqualTo(200);
        }

        // The old workers exit after the new generation accepts: a later report counts them.
        Scrape after = awaitScrape("a report of generation " + (generation + 1) + " counting the replaced workers",
                s -> s.count("imperium_vassal_generation") == generation + 1
                        && s.count(reload, "reason", "reload") >= before.count(reload, "reason", "reload") + 2
                        && s.requests("2xx") >= before.requests("2xx") + 15);
        assertThat(after.count(reload, "reason", "reload")).as("both workers replaced by the reload")
                .isEqualTo(before.count(reload, "reason", "reload") + 2);
        assertThat(after.count(reload, "reason", "crash")).isZero();
        assertThat(after.requests("2xx")).as("2xx kept across the reload: neither reset nor counted twice")
                .isEqualTo(before.requests("2xx") + 15);
        assertThat(after.count(histogram)).isEqualTo(before.count(histogram) + 15);
        assertThat(after.count("imperium_vassal_sent_bytes_total"))
                .isGreaterThan(before.count("imperium_vassal_sent_bytes_total"));
        assertThat(after.count("imperium_vassal_reloads_total"))
                .isEqualTo(before.count("imperium_vassal_reloads_total") + 1);
        assertThat(after.count("imperium_vassal_up")).isEqualTo(1);
        assertThat(after.count("imperium_vassal_workers")).isEqualTo(2);
    }
}
