package dev.imperium.cgi;

import dev.imperium.apps.FakeExchange;
import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real {@code /bin/sh} scripts run by the handler, answered into an in-memory exchange. */
@Timeout(30)
class CgiHandlerTest {
    @TempDir
    Path dir;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private CgiHandler handler(int timeoutSeconds, List<String> helpers) {
        CgiConfig config = CgiConfig.parse(List.of("/cgi=" + dir), helpers, List.of(), List.of(), List.of(),
                List.of(), timeoutSeconds, 0, false, false, false);
        return new CgiHandler(config, dir, System.getenv(), "Imperium/test", new JwsgiEnvBuilder("testhost"),
                log::add);
    }

    private CgiHandler handler() {
        return handler(10, List.of());
    }

    @Test
    void streamsALargeBodyThroughAScriptThatAnswersWhileItReads() throws Exception {
        script("cat.sh", "printf 'Content-Type: application/x-test\\r\\n\\r\\n'\nexec cat\n");
        byte[] body = new byte[1 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        FakeExchange exchange = FakeExchange.request("POST", "/cgi/cat.sh")
                .header("Content-Length", Integer.toString(body.length)).body(body).build();

        assertThat(handler().handle(exchange)).isTrue();

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseField("Content-Type")).isEqualTo("application/x-test");
        assertThat(exchange.responseBytes()).isEqualTo(body);
        assertThat(exchange.responseClosed()).isTrue();
    }

    @Test
    void givesTheScriptTheCgiEnvironmentAndTheIndexedQueryAsArguments() throws Exception {
        script("env.sh", "printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "echo \"$REQUEST_METHOD|$SCRIPT_NAME|$PATH_INFO|$QUERY_STRING|$GATEWAY_INTERFACE|$SERVER_NAME\"\n"
                + "echo \"$HTTP_X_TEST|$SCRIPT_FILENAME|$(pwd)\"\nfor a in \"$@\"; do echo \"[$a]\"; done\n");
        FakeExchange exchange = FakeExchange.request("GET", "/cgi/env.sh/more?one+two%20three")
                .header("X-Test", "yes").build();

        handler().handle(exchange);

        Path real = dir.toRealPath();
        assertThat(exchange.responseText()).isEqualTo("GET|/cgi/env.sh|/more|one+two%20three|CGI/1.1|testhost\n"
                + "yes|" + real.resolve("env.sh") + "|" + real + "\n[one]\n[two three]\n");
    }

    @Test
    void statusAndFieldsComeFromTheScript() throws Exception {
        script("status.sh", "printf 'Status: 418 Teapot\\r\\nX-A: 1\\r\\nContent-Type: text/plain\\r\\n\\r\\nshort'\n");
        FakeExchange exchange = FakeExchange.get("/cgi/status.sh");
        handler().handle(exchange);
        assertThat(exchange.status()).isEqualTo(418);
        assertThat(exchange.responseField("X-A")).isEqualTo("1");
        assertThat(exchange.responseText()).isEqualTo("short");
    }

    @Test
    void aLocalRedirectIsServedAsAGetOfThePath() throws Exception {
        script("local.sh", "cat > /dev/null\nprintf 'Location: /elsewhere/x%%20y?k=v\\r\\n\\r\\n'\n");
        CgiHandler handler = handler();
        List<RequestHead> seen = new CopyOnWriteArrayList<>();
        handler.redirectLocallyThrough(exchange -> {
            seen.add(exchange.request());
            byte[] text = ("at " + exchange.request().path()).getBytes(StandardCharsets.UTF_8);
            try (ResponseBody out = exchange.respond(200, new HttpFields(), text.length)) {
                out.write(text);
            }
            return true;
        });
        FakeExchange exchange = FakeExchange.request("POST", "/cgi/local.sh").header("Content-Length", "3")
                .header("Content-Type", "text/plain").body("abc").build();

        handler.handle(exchange);

        assertThat(exchange.responseText()).isEqualTo("at /elsewhere/x y");
        RequestHead redirected = seen.getFirst();
        assertThat(redirected.method()).isEqualTo("GET");
        assertThat(redirected.target()).isEqualTo("/elsewhere/x%20y?k=v");
        assertThat(redirected.query()).isEqualTo("k=v");
        assertThat(redirected.fields().contains("Content-Length")).isFalse();
        assertThat(redirected.hasBody()).isFalse();
    }

    @Test
    void aLocalRedirectLoopEndsIn500() throws Exception {
        script("loop.sh", "printf 'Location: /cgi/loop.sh\\r\\n\\r\\n'\n");
        FakeExchange exchange = FakeExchange.get("/cgi/loop.sh");
        handler().handle(exchange);
        assertThat(exchange.status()).isEqualTo(500);
        assertThat(log).anyMatch(l -> l.startsWith("CGI local redirect loop"));
    }

    @Test
    void anInvalidResponseIs500AndLogged() throws Exception {
        script("bad.sh", "printf 'this is not a header\\r\\n\\r\\nbody'\n");
        script("empty.sh", "exit 0\n");
        for (String name : List.of("bad.sh", "empty.sh")) {
            FakeExchange exchange = FakeExchange.get("/cgi/" + name);
            handler().handle(exchange);
            assertThat(exchange.status()).as(name).isEqualTo(500);
        }
        assertThat(log).filteredOn(l -> l.startsWith("invalid CGI response !!!")).hasSize(2);
    }

    @Test
    void aMissingHelperIsAnInvalidResponse() throws Exception {
        Files.writeString(dir.resolve("x.nothing"), "data\n");
        FakeExchange exchange = FakeExchange.get("/cgi/x.nothing");
        handler(10, List.of(".nothing=/no/such/helper")).handle(exchange);
        assertThat(exchange.status()).isEqualTo(500);
    }

    @Test
    void aScriptSilentPastTheTimeoutIsKilledWithWhatItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        script("slow.sh", "echo $$ > " + pids + ".tmp\nsleep 60 &\necho $! >> " + pids + ".tmp\nmv " + pids
                + ".tmp " + pids + "\nwait\n");
        FakeExchange exchange = FakeExchange.get("/cgi/slow.sh");
        long start = System.nanoTime();

        handler(1, List.of()).handle(exchange);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(exchange.status()).isEqualTo(504);
        assertThat(log).contains("CGI timeout !!!");
        List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> started.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void aTimeoutAfterTheAnswerBeganCutsItShort() throws Exception {
        script("half.sh", "printf 'Content-Type: text/plain\\r\\n\\r\\nstart\\n'\nsleep 60\n");
        FakeExchange exchange = FakeExchange.get("/cgi/half.sh");
        assertThatThrownBy(() -> handler(1, List.of()).handle(exchange)).hasMessageContaining("CGI timeout");
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseText()).isEqualTo("start\n");
        assertThat(exchange.responseClosed()).isFalse();
    }

    @Test
    void notFoundForbiddenAndTheDirectorySlashAreUwsgisAnswers() throws Exception {
        Files.writeString(dir.resolve("plain.txt"), "x");
        Files.createDirectories(dir.resolve("sub"));
        FakeExchange missing = FakeExchange.get("/cgi/missing.sh");
        FakeExchange plain = FakeExchange.get("/cgi/plain.txt");
        FakeExchange sub = FakeExchange.get("/cgi/sub?x=1");
        handler().handle(missing);
        handler().handle(plain);
        handler().handle(sub);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.responseText()).isEqualTo("Not Found");
        assertThat(plain.status()).isEqualTo(403);
        assertThat(plain.responseText()).isEqualTo("Forbidden");
        assertThat(sub.status()).isEqualTo(301);
        assertThat(sub.responseField("Location")).isEqualTo("/cgi/sub/?x=1");
    }
}
