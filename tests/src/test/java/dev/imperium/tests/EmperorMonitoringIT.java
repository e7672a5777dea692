package dev.imperium.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The emperor's monitoring as an operator meets it: {@code bin/emperor --emperor-stats ... --emperor-metrics ...}
 * with a real JWSGI vassal; the stats JSON read from its socket, {@code /metrics} checked by {@code promtool}, and
 * a real Prometheus server (Debian's {@code prometheus}) scraping the emperor, loading the shipped alert rules and
 * answering a query for the vassal's series.
 *
 * <p>Until vassals send STATS_REPORTs these tests check the emperor's own metrics and accept that the report
 * metrics ({@code imperium_vassal_workers} ...) are absent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmperorMonitoringIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PACKAGING = Path.of(System.getProperty("imperium.packaging", "../packaging"))
            .toAbsolutePath().normalize().resolve("prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    private static EmperorFixture emperor;
    private static int statsPort;
    private static int metricsPort;

    @BeforeAll
    static void startEmperorWithOneVassal() {
        statsPort = FreePorts.next();
        metricsPort = FreePorts.next();
        emperor = EmperorFixture.start(root, "--emperor-stats", "127.0.0.1:" + statsPort,
                "--emperor-metrics", "127.0.0.1:" + metricsPort);
        emperor.deploy("hello.ini", """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 1
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                """.formatted(FreePorts.next(), Dist.helloJar()));
        emperor.awaitGeneration("hello.ini", 1, START);
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
        JsonNode hello = doc.get("vassals").get(0);
        assertThat(hello.get("id").asText()).isEqualTo("hello.ini");
        assertThat(hello.get("pid").asLong()).isPositive();
        assertThat(hello.get("ready").asInt()).isEqualTo(1);
        assertThat(hello.get("accepting").asInt()).isEqualTo(1);
        assertThat(hello.get("respawns").asInt()).isZero();
        JsonNode imperium = hello.get("imperium");
        assertThat(imperium.get("status").asText()).isEqualTo("running");
        assertThat(imperium.get("up").asInt()).isEqualTo(1);
        assertThat(imperium.get("generation").asInt()).isEqualTo(1);
        assertThat(imperium.get("config").asText()).endsWith("/vassals/hello.ini");
        assertThat(imperium.get("restarts").asInt()).isZero();
    }

    @Test
    void metricsPassPromtool() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool (Debian package prometheus) is not installed");
        String metrics = scrape();

        assertThat(metrics).contains("imperium_vassal_up{vassal=\"hello.ini\",} 1.0\n")
                .contains("imperium_vassal_state{vassal=\"hello.ini\",state=\"running\",} 1.0\n")
                .contains("imperium_vassal_generation{vassal=\"hello.ini\",} 1.0\n")
                .contains("imperium_vassal_restarts_total{vassal=\"hello.ini\",reason=\"signal\",} 0.0\n")
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
            JsonNode[] series = new JsonNode[1];
            await("Prometheus has scraped imperium_vassal_up").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .failFast("prometheus exited; log:\n" + prometheus.logTail(30), () -> !prometheus.isAlive())
                    .until(() -> {
                        JsonNode r = JSON.readTree(get(api + "query?query=" + URLEncoder.encode(
                                "imperium_vassal_up", StandardCharsets.UTF_8)).body());
                        series[0] = r.path("data").path("result");
                        return series[0].size() > 0;
                    });

            JsonNode up = series[0].get(0);
            assertThat(up.get("metric").get("vassal").asText()).isEqualTo("hello.ini");
            assertThat(up.get("metric").get("job").asText()).isEqualTo("imperium");
            assertThat(up.get("metric").get("instance").asText()).isEqualTo("127.0.0.1:" + metricsPort);
            assertThat(up.get("value").get(1).asText()).isEqualTo("1");
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
}
