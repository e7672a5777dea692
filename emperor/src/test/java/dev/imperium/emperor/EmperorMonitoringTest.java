package dev.imperium.emperor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imperium.emperor.stats.StatsReportTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import static dev.imperium.emperor.FakeVassals.drop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The emperor stats server and /metrics of an emperor supervising {@link FakeVassal}s in this JVM: what they show
 * follows spawns, reports, crashes and removals.
 */
@Timeout(120)
class EmperorMonitoringTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @TempDir
    Path run;

    private final String marker = "emperor-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Emperor emperor;

    private void start(MonitoringSettings monitoring) throws Exception {
        EmperorSettings settings = EmperorSettings.defaults(dir, FakeVassals.command(marker))
                .withReloadMercy(Duration.ofSeconds(2))
                .withBackoff(new BackoffPolicy(Duration.ofSeconds(30), Duration.ofSeconds(30), 0));
        emperor = new Emperor(settings, out, new CommonsExecLauncher(out), Clock.systemDefaultZone(), new Random(7))
                .withMonitoring(monitoring);
        emperor.start();
    }

    @AfterEach
    void bury() throws Exception {
        FakeVassals.bury(emperor, marker);
    }

    private static String readUnix(Path socket) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            try (InputStream in = Channels.newInputStream(c)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static JsonNode vassal(JsonNode stats, String id) {
        for (JsonNode v : stats.get("vassals")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        return null;
    }

    private String scrape() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emperor.metricsUrl()))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            return r.body();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void statsAndMetricsFollowReportsCrashesAndRemovals() throws Exception {
        Path stats = run.resolve("emperor-stats.sock");
        Path report = run.resolve("report.json");
        Files.writeString(report, StatsReportTest.sample());
        start(new MonitoringSettings(stats.toString(), false, false, "127.0.0.1:0"));
        out.await(0, "^\\*\\*\\* Emperor stats server enabled on " + stats + " fd: \\d+ \\*\\*\\*$", T);
        out.await(0, "\\[emperor] Prometheus metrics on http://127\\.0\\.0\\.1:\\d+/metrics$", T);

        drop(dir, "app.ini", "mode = ok\nloyal = true\nreport = " + report + "\n");
        drop(dir, "crash.ini", "mode = crash-at-start\nexit-code = 3\n");
        out.await(0, "fake-vassal app\\.ini reported stats", T);
        out.await(0, "respawning vassal crash\\.ini in 30 s \\(failure 2 in a row", T);

        await().atMost(T).until(() -> vassal(JSON.readTree(readUnix(stats)), "app.ini").get("loyal").asInt() == 1);
        JsonNode doc = JSON.readTree(readUnix(stats));
        JsonNode app = vassal(doc, "app.ini");
        JsonNode crash = vassal(doc, "crash.ini");
        assertThat(doc.get("emperor").get(0).asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        assertThat(app.get("pid").asLong()).isPositive();
        assertThat(app.get("accepting").asInt()).isEqualTo(1);
        assertThat(app.get("ready").asInt()).isEqualTo(1);
        assertThat(app.get("last_accepting").asLong()).isCloseTo(System.currentTimeMillis() / 1000, within(60));
        assertThat(app.get("imperium").get("status").asText()).isEqualTo("running");
        assertThat(app.get("imperium").get("generation").asInt()).isEqualTo(1);
        assertThat(app.get("imperium").get("last_report").asLong()).isPositive();
        assertThat(crash.get("pid").asLong()).isEqualTo(-1);
        assertThat(crash.get("imperium").get("status").asText()).isEqualTo("backoff");
        assertThat(crash.get("imperium").get("restarts_by_reason").get("exit").asInt()).isEqualTo(2);
        assertThat(crash.get("imperium").get("last_error").asText())
                .isEqualTo("exited with code 3; last FATAL: cannot load app: boom");
        assertThat(crash.get("imperium").get("backoff_remaining").asDouble()).isBetween(1.0, 30.0);
        assertThat(doc.get("blacklist")).hasSize(1);
        assertThat(doc.get("blacklist").get(0).get("id").asText()).isEqualTo("crash.ini");
        assertThat(doc.get("blacklist").get(0).get("attempt").asInt()).isEqualTo(2);
        assertThat(doc.get("blacklist").get(0).get("throttle_level").asInt()).isEqualTo(30_000);

        String metrics = scrape();
        assertThat(metrics)
                .contains("imperium_vassal_up{vassal=\"app.ini\",} 1.0\n")
                .contains("imperium_vassal_up{vassal=\"crash.ini\",} 0.0\n")
                .contains("imperium_vassal_state{vassal=\"crash.ini\",state=\"backoff\",} 1.0\n")
                .contains("imperium_vassal_restarts_total{vassal=\"crash.ini\",reason=\"exit\",} 2.0\n")
                .contains("imperium_vassal_generation{vassal=\"app.ini\",} 1.0\n")
                .contains("imperium_vassal_requests_total{vassal=\"app.ini\",class=\"2xx\",} 1990.0\n")
                .contains("imperium_vassal_request_duration_seconds_count{vassal=\"app.ini\",} 2001.0\n")
                .contains("imperium_vassal_rss_bytes{vassal=\"app.ini\",} 1.048576E8\n")
                .doesNotContain("imperium_vassal_rss_bytes{vassal=\"crash.ini\"")
                .contains("# TYPE jvm_memory_bytes_used gauge")
                .contains("process_cpu_seconds_total ");

        Files.delete(dir.resolve("app.ini"));
        out.await(0, "removed uwsgi instance app\\.ini", T);
        assertThat(scrape()).doesNotContain("vassal=\"app.ini\"");
        assertThat(vassal(JSON.readTree(readUnix(stats)), "app.ini")).isNull();

        emperor.shutdown();
        assertThat(emperor.awaitBuried(T)).isTrue();
        assertThat(stats).as("the stats socket is removed at exit").doesNotExist();
    }

    @Test
    void statsHttpAndMinifiedOnTcpAsUwsgi() throws Exception {
        int port = freePort();
        start(new MonitoringSettings("127.0.0.1:" + port, true, true, null));
        out.await(0, "^\\*\\*\\* Emperor stats server enabled on 127\\.0\\.0\\.1:" + port + " fd: \\d+ \\*\\*\\*$", T);

        String answer;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.0 200 OK\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\n"
                + "Content-Type: application/json\r\n\r\n{\"version\":");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(body).doesNotContain("\n").doesNotContain("\t");
        assertThat(JSON.readTree(body).get("vassals")).isEmpty();
    }

    @Test
    void anAddressInUseStopsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> start(new MonitoringSettings(null, false, false, address)))
                    .isInstanceOf(EmperorStartException.class)
                    .hasMessageContaining("cannot serve --emperor-metrics on " + address);
            assertThatThrownBy(() -> start(new MonitoringSettings(address, false, false, null)))
                    .isInstanceOf(EmperorStartException.class).hasMessageContaining("unable to bind " + address);
        }
        emperor = null; // never started
    }

    private static org.assertj.core.data.Offset<Long> within(long n) {
        return org.assertj.core.data.Offset.offset(n);
    }
}
