package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command: {@code bin/emperor --vassals config-samples/vassals}, the samples exactly as shipped,
 * on their fixed loopback ports 8090 (JWSGI hello) and 8091 (typed API with static files).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SamplesIT {
    private static RawHttp.Response get(int port, String path) {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10));
    }

    @Test
    void theEmperorServesBothSampleVassals(@TempDir Path tmp) {
        assertThat(Ports.isListening(8090) || Ports.isListening(8091) || Ports.isListening(8093))
                .as("ports 8090/8091/8093 must be free for the samples").isFalse();
        String marker = UUID.randomUUID().toString();
        try (ManagedProcess emperor = ManagedProcess.builder("emperor-samples",
                        List.of(Dist.bin("emperor").toString(), "--vassals",
                                Dist.samples().resolve("vassals").toString()))
                .log(tmp.resolve("emperor.log"))
                .withoutEnv(ManagedProcess.Builder.ALLOW_ROOT) // as the README's command runs it
                .env(Orphans.MARKER, marker)
                .env("JAVA_HOME", System.getProperty("java.home"))
                .grace(Duration.ofSeconds(40))
                .start()) {
            emperor.awaitLog(Pattern.compile("vassal hello.ini is ready to accept requests"), Duration.ofSeconds(60));
            emperor.awaitLog(Pattern.compile("vassal api.yaml is ready to accept requests"), Duration.ofSeconds(60));

            assertThat(get(8090, "/").bodyText()).isEqualTo("Hello from JWSGI\n");
            assertThat(Ports.isListening(8093)).as("hello.ini's uwsgi socket").isTrue();
            RawHttp.Response hello = get(8091, "/api/hello?name=you");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.header("Content-Type")).startsWith("application/json");
            assertThat(hello.bodyText()).isEqualTo("{\"message\":\"Hello, you\"}");
            RawHttp.Response index = get(8091, "/static/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.header("Content-Type")).startsWith("text/html");
            assertThat(index.header("Last-Modified")).isNotBlank();

            // the stats servers of the samples: hello.ini's raw JSON (uwsgitop's), api.yaml's over HTTP
            String stats = Ports.readAll(8095, Duration.ofSeconds(10));
            assertThat(stats).startsWith("{").contains("\"workers\":[").contains("\"cores\":[");
            RawHttp.Response apiStats = get(8096, "/");
            assertThat(apiStats.status()).isEqualTo(200);
            assertThat(apiStats.header("Content-Type")).isEqualTo("application/json");
            assertThat(apiStats.bodyText()).contains("\"listen_queue\"");
            // api.yaml logs its requests in Apache's combined format
            emperor.awaitLog(Pattern.compile("\\[api\\.yaml] 127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /api/hello\\?name=you "
                    + "HTTP/1\\.1\" 200 \\d+ \"-\" \"-\""), Duration.ofSeconds(10));

            emperor.signal("TERM");
            emperor.awaitLog(Pattern.compile("The Emperor is buried\\."), Duration.ofSeconds(40));
        }
        Orphans.awaitNone(marker, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> !Ports.isListening(8090) && !Ports.isListening(8091)
                && !Ports.isListening(8093));
    }

    /** {@code emperor --ini config-samples/emperor.ini}: the same vassals, with stats, metrics and the fleet page. */
    @Test
    void theEmperorFileTurnsOnStatsMetricsAndTheFleetPage(@TempDir Path tmp) {
        assertThat(Ports.isListening(9190) || Ports.isListening(9191) || Ports.isListening(9192) || Ports.isListening(8090))
                .as("ports 9190-9192 and 8090 must be free for the samples").isFalse();
        String marker = UUID.randomUUID().toString();
        try (ManagedProcess emperor = ManagedProcess.builder("emperor-ini",
                        List.of(Dist.bin("emperor").toString(), "--ini", Dist.samples().resolve("emperor.ini").toString(),
                                "--control-socket", tmp.resolve("emperor.sock").toString()))
                .log(tmp.resolve("emperor.log"))
                .env(Orphans.MARKER, marker)
                .env("JAVA_HOME", System.getProperty("java.home"))
                .grace(Duration.ofSeconds(40))
                .start()) {
            emperor.awaitLog(Pattern.compile("vassal hello.ini is ready to accept requests"), Duration.ofSeconds(60));
            emperor.awaitLog(Pattern.compile("vassal api.yaml is ready to accept requests"), Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(15)).until(() -> get(9191, "/metrics").bodyText()
                    .contains("imperium_vassal_up{vassal=\"api.yaml\",} 1.0"));
            assertThat(get(9191, "/metrics").bodyText()).contains("imperium_vassal_up{vassal=\"hello.ini\",} 1.0");
            assertThat(get(9192, "/").status()).isEqualTo(200);
            assertThat(get(9192, "/api/fleet").bodyText()).contains("hello.ini", "api.yaml");
            assertThat(Ports.readAll(9190, Duration.ofSeconds(10))).contains("\"vassals\"", "hello.ini", "api.yaml");
            emperor.signal("TERM");
            emperor.awaitLog(Pattern.compile("The Emperor is buried\\."), Duration.ofSeconds(40));
        }
        Orphans.awaitNone(marker, Duration.ofSeconds(10));
    }
}
