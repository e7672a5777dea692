package dev.imperium.emperor.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet page's HTTP surface, with a fake fleet. */
@Timeout(30)
class DashboardServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<FleetSnapshot> fleet = new AtomicReference<>(snapshot());
    private DashboardServer server;

    private static FleetSnapshot snapshot(VassalRow... vassals) {
        return new FleetSnapshot(1000, 42, 0, "web1", "/srv/vassals", List.of(vassals));
    }

    private void start(FleetSource source) throws IOException {
        server = DashboardServer.bind(new InetSocketAddress("127.0.0.1", 0), source);
        server.start();
    }

    private void start() throws IOException {
        start(timeout -> fleet.get());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).timeout(Duration.ofSeconds(10))
                .GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiFleetAnswersTheCurrentSnapshotAsJson() throws Exception {
        start();
        HttpResponse<String> empty = get("/api/fleet");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(empty.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(JSON.readTree(empty.body()).path("vassals")).isEmpty();

        fleet.set(snapshot(new VassalRow("app.ini", "RUNNING", false, 77L, 1, 0, 0, null, 5000L, null, null, null,
                null)));

        JsonNode root = JSON.readTree(get("/api/fleet").body());
        assertThat(root.path("emperor").path("pid").asLong()).isEqualTo(42);
        assertThat(root.path("vassals").get(0).path("name").asText()).isEqualTo("app.ini");
        assertThat(root.path("vassals").get(0).path("pid").asLong()).isEqualTo(77);
    }

    @Test
    void theEmperorNotAnsweringIs503() throws Exception {
        start(timeout -> {
            throw new TimeoutException();
        });
        HttpResponse<String> r = get("/api/fleet");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("did not answer");
    }

    @Test
    void thePageIsOneSelfContainedDocumentUnderAStrictPolicy() throws Exception {
        start();
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .startsWith("default-src 'none'; style-src 'sha256-")
                .contains("connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(page.body()).contains("<table", "api/fleet").doesNotContain("src=\"http", "href=\"http");
    }

    @Test
    void readOnlyAndNothingElse() throws Exception {
        start();
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(server.url() + "api/fleet"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(get("/api/fleet/x").statusCode()).isEqualTo(404);
        assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(server.url() + "api/fleet"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aForeignHostNameIsRefusedOnLoopback() throws Exception {
        start();
        assertThat(raw("evil.example:" + server.address().getPort())).startsWith("HTTP/1.1 403");
        assertThat(raw("localhost:" + server.address().getPort())).startsWith("HTTP/1.1 200");
    }

    /** Sends {@code GET /api/fleet} with the given Host (HttpClient will not set that header). */
    private String raw(String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/fleet HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theUrlNamesTheRealPort() throws Exception {
        start();
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.address().getPort() + "/");
        assertThat(server.address().getPort()).isPositive();
    }
}
