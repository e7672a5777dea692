package dev.imperium.tests;

import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Nginx;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.UwsgiComparison;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.imperium.tests.support.UwsgiComparison.REQUEST;
import static dev.imperium.tests.support.UwsgiComparison.START;
import static dev.imperium.tests.support.UwsgiComparison.UWSGI;
import static dev.imperium.tests.support.UwsgiComparison.UWSGI_JAR;
import static dev.imperium.tests.support.UwsgiComparison.assumePeersInstalled;
import static dev.imperium.tests.support.UwsgiComparison.dist;
import static dev.imperium.tests.support.UwsgiComparison.env;
import static dev.imperium.tests.support.UwsgiComparison.get;
import static dev.imperium.tests.support.UwsgiComparison.largeEchoPost;
import static dev.imperium.tests.support.UwsgiComparison.sampleJar;
import static dev.imperium.tests.support.UwsgiComparison.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The uwsgi protocol ({@code socket} / {@code uwsgi-socket}) against its real peers: nginx's {@code uwsgi_pass} in
 * front of Imperium's vassal and, for comparison, in front of real uWSGI running the same JWSGI jar from the same
 * kind of vassal file; and Debian's own uWSGI HTTP router ({@code uwsgi --http ... --http-to ...}) in front of
 * Imperium. The env the app gets through nginx must be the same under both servers (the ports nginx passes are
 * normalised away), and so must the answers.
 *
 * <p>The Imperium vassal has three sockets at once: uwsgi on TCP, uwsgi on a UNIX socket, and HTTP. Skipped when
 * nginx, uWSGI or its JVM plugins are not installed. Every process is stopped in {@link #stopServers()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class UwsgiProtocolIT {
    private Path work;
    private ManagedProcess uwsgi;
    private ManagedProcess imperium;
    private ManagedProcess nginx;
    private ManagedProcess router;
    /** nginx in front of uWSGI, of Imperium's TCP socket, of Imperium's UNIX socket. */
    private int viaNginxToUwsgi;
    private int viaNginxToImperium;
    private int viaNginxToImperiumUnix;
    private int imperiumHttp;
    private int routerPort;

    @BeforeAll
    void startServers(@TempDir Path workDir) throws IOException {
        work = workDir;
        assumePeersInstalled();
        Path dist = dist();
        Path jar = sampleJar();

        int uwsgiSocket = FreePorts.next();
        int imperiumSocket = FreePorts.next();
        imperiumHttp = FreePorts.next();
        viaNginxToUwsgi = FreePorts.next();
        viaNginxToImperium = FreePorts.next();
        viaNginxToImperiumUnix = FreePorts.next();
        routerPort = FreePorts.next();
        Path unixSocket = work.resolve("imperium.sock");

        Path uwsgiFile = Files.writeString(work.resolve("hello-uwsgi.ini"), """
                [uwsgi]
                plugins = jvm,jwsgi
                socket = 127.0.0.1:%d
                master = true
                processes = 1
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                """.formatted(uwsgiSocket, UWSGI_JAR, jar));
        Path imperiumFile = Files.writeString(work.resolve("hello-imperium.ini"), """
                [uwsgi]
                plugins = jvm,jwsgi
                socket = 127.0.0.1:%d
                uwsgi-socket = %s
                http-socket = 127.0.0.1:%d
                master = true
                processes = 2
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                vacuum = true
                """.formatted(imperiumSocket, unixSocket, imperiumHttp, UWSGI_JAR, jar));
        String location = """
                        location / {
                            include /etc/nginx/uwsgi_params;
                            uwsgi_modifier1 8;
                            uwsgi_pass %s;
                            client_max_body_size 8m;
                        }
                """;
        String servers = server(viaNginxToUwsgi, location.formatted("127.0.0.1:" + uwsgiSocket))
                + server(viaNginxToImperium, location.formatted("127.0.0.1:" + imperiumSocket))
                + server(viaNginxToImperiumUnix, location.formatted("unix:" + unixSocket));
        try {
            uwsgi = ManagedProcess.builder("uwsgi", List.of(UWSGI.toString(), "--ini", uwsgiFile.toString()))
                    .directory(work).log(work.resolve("uwsgi.log")).stopSignal("INT").start();
            imperium = ManagedProcess.builder("imperium-vassal",
                            List.of(dist.resolve("bin/vassal").toString(), imperiumFile.toString()))
                    .directory(work).log(work.resolve("imperium.log"))
                    .env("JAVA_HOME", System.getProperty("java.home")).start();
            // uWSGI's HTTP router alone (no app of its own) forwarding to Imperium's uwsgi socket
            router = ManagedProcess.builder("uwsgi-router", List.of(UWSGI.toString(), "--plugins", "http",
                            "--master", "--http", "127.0.0.1:" + routerPort, "--http-to", "127.0.0.1:" + imperiumSocket,
                            "--http-modifier1", "8"))
                    .directory(work).log(work.resolve("router.log")).stopSignal("INT").start();
            uwsgi.awaitLog(Pattern.compile("JWSGI app \"[^\"]+\" loaded"), START);
            Ports.awaitListening(uwsgi, uwsgiSocket, START);
            Ports.awaitListening(imperium, imperiumSocket, START);
            imperium.awaitLog(Pattern.compile("generation 1 accepting"), START);
            Ports.awaitListening(router, routerPort, START);
            Path nginxDir = Files.createDirectories(work.resolve("nginx"));
            nginx = Nginx.start(nginxDir, servers, List.of(viaNginxToUwsgi, viaNginxToImperium,
                    viaNginxToImperiumUnix));
        } catch (RuntimeException | Error e) {
            stopServers();
            throw e;
        }
    }

    private static String server(int port, String location) {
        return "    server {\n        listen 127.0.0.1:" + port + ";\n        server_name localhost;\n" + location
                + "    }\n";
    }

    @AfterAll
    void stopServers() {
        for (ManagedProcess p : Arrays.asList(nginx, router, uwsgi, imperium)) {
            if (p != null) {
                p.close();
            }
        }
    }

    private record Pair(RawHttp.Response uwsgi, RawHttp.Response imperium) {
    }

    /** Sends the same request through nginx to both servers; {@code %PORT%} becomes each nginx port. */
    private Pair both(String request) {
        boolean head = request.startsWith("HEAD ");
        return new Pair(send(viaNginxToUwsgi, request, head), send(viaNginxToImperium, request, head));
    }

    private void assertSameEnv(String request) {
        Pair pair = both(request);
        Map<String, String> expected = env(pair.uwsgi(), viaNginxToUwsgi);
        assertThat(env(pair.imperium(), viaNginxToImperium)).as("env for %s", request.lines().findFirst().orElse(""))
                .containsExactlyEntriesOf(expected);
    }

    @Test
    void answersHelloThroughNginxAsUwsgiDoes() {
        Pair pair = both(get("/"));
        assertThat(pair.imperium().status()).isEqualTo(pair.uwsgi().status()).isEqualTo(200);
        assertThat(pair.imperium().bodyText()).isEqualTo(pair.uwsgi().bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(pair.imperium().header("Content-Type")).isEqualTo(pair.uwsgi().header("Content-Type"));
    }

    @Test
    void givesTheAppTheSameEnvThroughNginx() {
        assertSameEnv(get("/env?x=1&y=%20z&x=2"));
        assertSameEnv(get("/env/a%20b/%C3%A9"));
        assertSameEnv("GET /env HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nX-Rep: a\r\nX-Rep: b\r\n"
                + "Cookie: k=v\r\nAccept: */*\r\nConnection: close\r\n\r\n");
        assertSameEnv("POST /env?p=1 HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
        assertSameEnv("GET /env HTTP/1.0\r\n\r\n");
    }

    @Test
    void echoesALargeRequestBodyThroughNginx() {
        UwsgiComparison.LargePost post = largeEchoPost(1 << 20);
        byte[] request = post.request();
        byte[] body = post.body();
        RawHttp.Response viaUwsgi = RawHttp.send(viaNginxToUwsgi, request, false, REQUEST);
        RawHttp.Response viaImperium = RawHttp.send(viaNginxToImperium, request, false, REQUEST);
        assertThat(viaImperium.status()).isEqualTo(viaUwsgi.status()).isEqualTo(200);
        assertThat(viaImperium.body()).isEqualTo(viaUwsgi.body()).isEqualTo(body);
        assertThat(viaImperium.header("Content-Type")).isEqualTo("application/x-test");
    }

    @Test
    void passesRepeatedHeadersStreamedBodiesNotFoundAndHeadAsUwsgiDoes() {
        Pair headers = both(get("/headers"));
        assertThat(headers.imperium().headers("X-Multi")).isEqualTo(headers.uwsgi().headers("X-Multi"))
                .containsExactly("one", "two");
        assertThat(headers.imperium().bodyText()).isEqualTo(headers.uwsgi().bodyText())
                .isEqualTo("first\nsecond\n3\n");
        Pair notFound = both(get("/nope"));
        assertThat(notFound.imperium().status()).isEqualTo(notFound.uwsgi().status()).isEqualTo(404);
        assertThat(notFound.imperium().bodyText()).isEqualTo(notFound.uwsgi().bodyText());
        Pair head = both("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(head.imperium().status()).isEqualTo(head.uwsgi().status()).isEqualTo(200);
        assertThat(head.imperium().body()).isEmpty();
    }

    @Test
    void servesNginxOverTheUnixSocketAndHttpClientsOnTheThirdSocket() {
        RawHttp.Response unix = send(viaNginxToImperiumUnix, get("/"), false);
        assertThat(unix.status()).isEqualTo(200);
        assertThat(unix.bodyText()).isEqualTo("Hello from JWSGI\n");
        RawHttp.Response direct = send(imperiumHttp, get("/"), false);
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.bodyText()).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void refusesAVarsBlockOverBufferSizeAsUwsgiDoes() {
        String big = "x".repeat(5000);
        Pair pair = both("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
        assertThat(pair.uwsgi().status()).isEqualTo(502);
        assertThat(pair.imperium().status()).isEqualTo(502);
        imperium.awaitLog(Pattern.compile("invalid request block size: \\d+ \\(max 4096\\)\\.\\.\\.skip"), REQUEST);
        // the worker lives on
        assertThat(send(viaNginxToImperium, get("/"), false).status()).isEqualTo(200);
    }

    @Test
    void servesBehindUwsgisOwnHttpRouter() {
        RawHttp.Response hello = RawHttp.send(routerPort, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n", false, REQUEST);
        assertThat(hello.status()).as(hello.statusLine()).isEqualTo(200);
        assertThat(hello.bodyText()).isEqualTo("Hello from JWSGI\n");
        RawHttp.Response echo = RawHttp.send(routerPort, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: text/x-test\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello body!", false,
                REQUEST);
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.bodyText()).isEqualTo("hello body!");
        RawHttp.Response env = RawHttp.send(routerPort, "GET /env?q=1 HTTP/1.1\r\nHost: example.test\r\n"
                + "Connection: close\r\n\r\n", false, REQUEST);
        assertThat(env.bodyText()).contains("QUERY_STRING=q=1", "HTTP_HOST=example.test", "REMOTE_ADDR=127.0.0.1");
    }

    @Test
    void logsEachUwsgiRequestWithItsVarsAsUwsgiDoes() {
        send(viaNginxToImperium, get("/?logged=1"), false);
        await().atMost(REQUEST).until(() -> imperium.log().contains("GET /?logged=1 => generated 17 bytes"));
        assertThat(imperium.log()).containsPattern("\\{\\d+ vars in \\d+ bytes\\} \\[[^]]+\\] GET /\\?logged=1");
    }
}
