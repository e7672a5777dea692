package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * uWSGI's internal routing ({@code route*}, {@code error-route*}, {@code response-route*}, {@code final-route*}) in
 * a real vassal, over HTTP: redirects, rewrites, return and break, basic auth, header edits, static files, goto and
 * labels, conditions, and the request log's {@code log}/{@code donotlog}; the answers routing gives itself are
 * compared with Debian's uWSGI running the same rules.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InternalRoutingIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(15);
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    /** Rules whose answers routing gives itself, the same under uWSGI and Imperium. */
    private String sharedRules() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("logo.png"), "not really a png");
        return """
                route = ^/old/(.*)$ redirect-permanent:/new/$1
                route = ^/go$ redirect:http://example.org/?from=${HTTP_HOST}&q=${QUERY_STRING}
                route = ^/forbidden return:403
                route = ^/gone break:410
                route-if = startswith:${HTTP_USER_AGENT};BadBot break:403
                route = ^/private/ basicauth:Private,alice:secret
                route = ^/logo static:%s
                """.formatted(www.resolve("logo.png"));
    }

    private ManagedProcess routed(int port) throws IOException {
        ManagedProcess v = vassals.start("routes.ini", """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                %s
                route = ^/page/(.*)$ rewrite:/env?page=$1
                route = ^/private/ rewrite-last:/env
                route = ^/drop break:
                route = ^/admin goto:admin
                route-run = addheader:X-Routed: ${PATH_INFO}
                route = ^/health donotlog:
                route-run = last:
                route-label = admin
                route-if = equal:${qs[token]};s3cr3t rewrite-last:/env
                route-run = return:403
                error-route-status = 404 addheader:X-Missing: ${PATH_INFO}
                response-route = ^/env delheader:Content-Type
                final-route = ^/env log:final ${uwsgi[status]} ${REQUEST_URI}
                """.formatted(port, Dist.helloJar(), sharedRules()));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, port, START);
        return v;
    }

    private static String get(String target, String... headers) {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }

    private static RawHttp.Response send(int port, String request) {
        return RawHttp.send(port, request, false, REQUEST);
    }

    private static String basic(String credentials) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(
                StandardCharsets.UTF_8));
    }

    @Test
    void routingRulesAnswerRewriteAndDecorateRequests() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = routed(port);
        assertThat(v.log()).contains("*** dumping internal routing table ***",
                "[rule: 7] subject: path_info regexp: ^/page/(.*)$ action: rewrite:/env?page=$1",
                "[rule: 14] label: admin", "*** end of the internal final routing table ***");

        RawHttp.Response moved = send(port, get("/old/a/b"));
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.header("Location")).isEqualTo("/new/a/b");

        RawHttp.Response go = send(port, get("/go?x=1"));
        assertThat(go.status()).isEqualTo(302);
        assertThat(go.header("Location")).isEqualTo("http://example.org/?from=127.0.0.1&q=x=1");

        RawHttp.Response page = send(port, get("/page/intro?lang=en"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.bodyText()).contains("PATH_INFO=/env\n", "QUERY_STRING=page=intro&lang=en\n",
                "REQUEST_URI=/page/intro?lang=en\n");
        assertThat(page.header("X-Routed")).isEqualTo("/env");
        assertThat(page.header("Content-Type")).as("removed by the response chain").isNull();

        RawHttp.Response forbidden = send(port, get("/forbidden"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.bodyText()).isEqualTo("Forbidden");
        assertThat(send(port, get("/", "User-Agent: BadBot/1.0")).status()).isEqualTo(403);

        assertThat(rawExchange(port, get("/drop"))).as("break: without a status closes without an answer").isEmpty();

        RawHttp.Response challenge = send(port, get("/private/"));
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Private\"");
        assertThat(send(port, get("/private/", basic("alice:wrong"))).status()).isEqualTo(401);
        RawHttp.Response in = send(port, get("/private/", basic("alice:secret")));
        assertThat(in.status()).isEqualTo(200);
        assertThat(in.bodyText()).contains("REMOTE_USER=alice\n", "PATH_INFO=/env\n");

        RawHttp.Response logo = send(port, get("/logo"));
        assertThat(logo.status()).isEqualTo(200);
        assertThat(logo.header("Content-Type")).isEqualTo("image/png");
        assertThat(logo.bodyText()).isEqualTo("not really a png");

        RawHttp.Response admin = send(port, get("/admin"));
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.header("X-Routed")).as("goto jumped over it").isNull();
        RawHttp.Response token = send(port, get("/admin?token=s3cr3t"));
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.bodyText()).contains("PATH_INFO=/env\n");

        RawHttp.Response missing = send(port, get("/nope"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("X-Missing")).isEqualTo("/nope");
        assertThat(missing.header("X-Routed")).isEqualTo("/nope");

        assertThat(send(port, get("/health")).status()).isEqualTo(404);
        assertThat(send(port, get("/")).bodyText()).isEqualTo("Hello from JWSGI\n");
        v.awaitLog(Pattern.compile("\\] GET / => generated"), REQUEST);
        String log = v.log();
        assertThat(log).as("donotlog").doesNotContain("GET /health");
        assertThat(log).contains("final 200 /page/intro?lang=en", "final 200 /admin?token=s3cr3t")
                .containsPattern("127\\.0\\.0\\.1 \\(alice\\) \\{\\d+ vars in \\d+ bytes} \\[[^]]+] GET /private/ =>")
                .containsPattern("\\] GET /page/intro\\?lang=en => generated \\d+ bytes in \\d+ msecs \\(HTTP/1\\.1"
                        + " 200\\)");
    }

    @Test
    void aBadRuleStopsTheVassalNamingFileLineAndOption() throws Exception {
        ManagedProcess v = vassals.start("bad.ini", """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                route = ^/ok last:
                route = ^/x frobnicate:1
                """.formatted(FreePorts.next()));
        v.awaitLog(Pattern.compile("vassal cannot start"), START);
        assertThat(v.log()).contains("bad.ini:4: route: unable to register route \"^/x frobnicate:1\": unknown action"
                + " 'frobnicate'");
    }

    @Test
    void routingAnswersAsUwsgiDoes() throws Exception {
        assumeTrue(Files.isExecutable(UWSGI), "Debian's uWSGI is not installed: no side-by-side comparison");
        int port = FreePorts.next();
        routed(port);
        int uwsgiPort = FreePorts.next();
        Path uwsgiFile = Files.writeString(dir.resolve("uwsgi.ini"), "[uwsgi]\nplugins = router_redirect,"
                + "router_static,router_basicauth\nhttp-socket = 127.0.0.1:" + uwsgiPort + "\n" + sharedRules());
        ManagedProcess uwsgi = vassals.start(ManagedProcess.builder("uwsgi", List.of(UWSGI.toString(), "--ini",
                uwsgiFile.toString())).directory(dir).log(dir.resolve("uwsgi.log")).stopSignal("INT"));
        Ports.awaitListening(uwsgi, uwsgiPort, START);
        for (String request : List.of(get("/old/x/y"), get("/go?a=b"), get("/forbidden"), get("/gone"),
                get("/", "User-Agent: BadBot"), get("/private/"), get("/private/", basic("alice:nope")), get("/logo"))) {
            RawHttp.Response expected = send(uwsgiPort, request);
            RawHttp.Response actual = send(port, request);
            String what = request.lines().findFirst().orElseThrow();
            assertThat(actual.status()).as(what).isEqualTo(expected.status());
            for (String field : List.of("Location", "WWW-Authenticate", "Last-Modified", "Content-Length")) {
                if (expected.header(field) != null) {
                    assertThat(actual.header(field)).as("%s: %s", what, field).isEqualTo(expected.header(field));
                }
            }
            assertThat(actual.bodyText()).as(what).isEqualTo(expected.bodyText());
        }
    }

    /** Sends a request and returns every byte the server sends before it closes the connection. */
    private static byte[] rawExchange(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) REQUEST.toMillis());
            socket.setSoTimeout((int) REQUEST.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }
}
