package dev.imperium.tests;

import dev.imperium.fastcgi.FcgiBeginRequest;
import dev.imperium.fastcgi.FcgiParamsEncoder;
import dev.imperium.fastcgi.FcgiRecordHeader;
import dev.imperium.fastcgi.FcgiRecordType;
import dev.imperium.tests.support.CountingProxy;
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

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * FastCGI ({@code fastcgi-socket}) and SCGI ({@code scgi-socket}) against their real peers: nginx's
 * {@code fastcgi_pass} and {@code scgi_pass} in front of Imperium's vassal and, for comparison, in front of real
 * uWSGI running the same JWSGI jar on its own {@code fastcgi-socket} and {@code scgi-socket}. The env the app gets
 * through nginx must be the same under both servers (REMOTE_PORT is dropped and nginx's ports normalised away), and
 * so must the answers.
 *
 * <p>The Imperium vassal has three sockets: FastCGI on TCP, SCGI on a UNIX socket, and HTTP. nginx reaches
 * Imperium's FastCGI socket both one connection per request and, for one server, through an {@code upstream} with
 * {@code keepalive} and {@code fastcgi_keep_conn on}; a {@link CountingProxy} between nginx and Imperium counts the
 * connections nginx opens. uWSGI needs {@code fastcgi-modifier1 = 8} and {@code scgi-modifier1 = 8} to route the
 * requests to its JVM plugin; Imperium serves its one app whatever the modifier. nginx's stock {@code fastcgi_params}
 * and {@code scgi_params} send no {@code PATH_INFO}, which the sample app routes on, so each location adds
 * {@code PATH_INFO $document_uri}, as deployments do.
 *
 * <p>Known differences, not compared: uWSGI's JWSGI plugin sends no {@code Content-Length} for a string body (nginx
 * then chunks it to the client), Imperium does; uWSGI closes a FastCGI connection after every request even when
 * nginx asks to keep it, so only Imperium is tested behind the keepalive upstream; uWSGI logs a params stream over
 * {@code buffer-size} as {@code unable to add ... to uwsgi packet}, Imperium as
 * {@code FastCGI params stream over buffer-size}. Skipped when nginx, uWSGI or its JVM plugins are not installed.
 * Every process is stopped in {@link #stopServers()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class FastcgiScgiIT {
    private Path work;
    private ManagedProcess uwsgi;
    private ManagedProcess imperium;
    private ManagedProcess nginx;
    private CountingProxy keptProxy;
    private CountingProxy unkeptProxy;
    private int uwsgiFastcgi;
    private int imperiumFastcgi;
    private Path uwsgiScgi;
    private Path imperiumScgi;
    private int imperiumHttp;
    /** nginx's servers: FastCGI to uWSGI, to Imperium, to Imperium over kept connections; SCGI to each. */
    private int fastcgiToUwsgi;
    private int fastcgiToImperium;
    private int fastcgiKeptToImperium;
    private int fastcgiCountedToImperium;
    private int scgiToUwsgi;
    private int scgiToImperium;

    @BeforeAll
    void startServers(@TempDir Path workDir) throws IOException {
        work = workDir;
        assumePeersInstalled();
        Path dist = dist();
        Path jar = sampleJar();

        uwsgiFastcgi = FreePorts.next();
        imperiumFastcgi = FreePorts.next();
        imperiumHttp = FreePorts.next();
        fastcgiToUwsgi = FreePorts.next();
        fastcgiToImperium = FreePorts.next();
        fastcgiKeptToImperium = FreePorts.next();
        fastcgiCountedToImperium = FreePorts.next();
        scgiToUwsgi = FreePorts.next();
        scgiToImperium = FreePorts.next();
        uwsgiScgi = work.resolve("uwsgi-scgi.sock");
        imperiumScgi = work.resolve("imperium-scgi.sock");

        Path uwsgiFile = Files.writeString(work.resolve("hello-uwsgi.ini"), """
                [uwsgi]
                plugins = jvm,jwsgi
                fastcgi-socket = 127.0.0.1:%d
                scgi-socket = %s
                fastcgi-modifier1 = 8
                scgi-modifier1 = 8
                master = true
                processes = 1
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                """.formatted(uwsgiFastcgi, uwsgiScgi, UWSGI_JAR, jar));
        Path imperiumFile = Files.writeString(work.resolve("hello-imperium.ini"), """
                [uwsgi]
                plugins = jvm,jwsgi
                fastcgi-socket = 127.0.0.1:%d
                scgi-socket = %s
                http-socket = 127.0.0.1:%d
                master = true
                processes = 2
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                vacuum = true
                """.formatted(imperiumFastcgi, imperiumScgi, imperiumHttp, UWSGI_JAR, jar));
        try {
            uwsgi = ManagedProcess.builder("uwsgi", List.of(UWSGI.toString(), "--ini", uwsgiFile.toString()))
                    .directory(work).log(work.resolve("uwsgi.log")).stopSignal("INT").start();
            imperium = ManagedProcess.builder("imperium-vassal",
                            List.of(dist.resolve("bin/vassal").toString(), imperiumFile.toString()))
                    .directory(work).log(work.resolve("imperium.log"))
                    .env("JAVA_HOME", System.getProperty("java.home")).start();
            uwsgi.awaitLog(Pattern.compile("JWSGI app \"[^\"]+\" loaded"), START);
            Ports.awaitListening(uwsgi, uwsgiFastcgi, START);
            Ports.awaitListening(imperium, imperiumFastcgi, START);
            imperium.awaitLog(Pattern.compile("generation 1 accepting"), START);
            keptProxy = CountingProxy.start(imperiumFastcgi);
            unkeptProxy = CountingProxy.start(imperiumFastcgi);
            String servers = "    upstream imperium_kept {\n        server 127.0.0.1:" + keptProxy.port() + ";\n"
                    + "        keepalive 4;\n    }\n"
                    + server(fastcgiToUwsgi, fastcgi("127.0.0.1:" + uwsgiFastcgi, false))
                    + server(fastcgiToImperium, fastcgi("127.0.0.1:" + imperiumFastcgi, false))
                    + server(fastcgiKeptToImperium, fastcgi("imperium_kept", true))
                    + server(fastcgiCountedToImperium, fastcgi("127.0.0.1:" + unkeptProxy.port(), false))
                    + server(scgiToUwsgi, scgi("unix:" + uwsgiScgi))
                    + server(scgiToImperium, scgi("unix:" + imperiumScgi));
            Path nginxDir = Files.createDirectories(work.resolve("nginx"));
            nginx = Nginx.start(nginxDir, servers, List.of(fastcgiToUwsgi, fastcgiToImperium, fastcgiKeptToImperium,
                    fastcgiCountedToImperium, scgiToUwsgi, scgiToImperium));
        } catch (RuntimeException | Error e) {
            stopServers();
            throw e;
        }
    }

    private static String fastcgi(String pass, boolean keepConn) {
        return """
                        location / {
                            include /etc/nginx/fastcgi_params;
                            fastcgi_param PATH_INFO $document_uri;
                            fastcgi_pass %s;
                            %s
                            client_max_body_size 8m;
                        }
                """.formatted(pass, keepConn ? "fastcgi_keep_conn on;" : "");
    }

    private static String scgi(String pass) {
        return """
                        location / {
                            include /etc/nginx/scgi_params;
                            scgi_param PATH_INFO $document_uri;
                            scgi_pass %s;
                            client_max_body_size 8m;
                        }
                """.formatted(pass);
    }

    private static String server(int port, String location) {
        return "    server {\n        listen 127.0.0.1:" + port + ";\n        server_name localhost;\n" + location
                + "    }\n";
    }

    @AfterAll
    void stopServers() {
        for (ManagedProcess p : Arrays.asList(nginx, uwsgi, imperium)) {
            if (p != null) {
                p.close();
            }
        }
        for (CountingProxy p : Arrays.asList(keptProxy, unkeptProxy)) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** nginx in front of uWSGI and in front of Imperium, for one protocol. */
    private record Route(String name, int uwsgi, int imperium) {
    }

    private List<Route> routes() {
        return List.of(new Route("fastcgi", fastcgiToUwsgi, fastcgiToImperium),
                new Route("fastcgi kept", fastcgiToUwsgi, fastcgiKeptToImperium),
                new Route("scgi", scgiToUwsgi, scgiToImperium));
    }

    private record Pair(RawHttp.Response uwsgi, RawHttp.Response imperium) {
    }

    /** Sends the same request through nginx to both servers; {@code %PORT%} becomes each nginx port. */
    private static Pair both(Route route, String request) {
        boolean head = request.startsWith("HEAD ");
        return new Pair(send(route.uwsgi(), request, head), send(route.imperium(), request, head));
    }

    @Test
    void answersHelloThroughNginxAsUwsgiDoes() {
        for (Route route : routes()) {
            Pair pair = both(route, get("/"));
            assertThat(pair.imperium().status()).as(route.name()).isEqualTo(pair.uwsgi().status()).isEqualTo(200);
            assertThat(pair.imperium().bodyText()).as(route.name()).isEqualTo(pair.uwsgi().bodyText())
                    .isEqualTo("Hello from JWSGI\n");
            assertThat(pair.imperium().header("Content-Type")).as(route.name())
                    .isEqualTo(pair.uwsgi().header("Content-Type"));
        }
    }

    @Test
    void givesTheAppTheSameEnvThroughNginx() {
        List<String> requests = List.of(get("/env?x=1&y=%20z&x=2"), get("/env/a%20b/%C3%A9"),
                "GET /env HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nX-Rep: a\r\nX-Rep: b\r\n"
                        + "Cookie: k=v\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                "POST /env?p=1 HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 5\r\nConnection: close\r\n\r\nhello",
                "GET /env HTTP/1.0\r\n\r\n");
        for (Route route : routes()) {
            for (String request : requests) {
                Pair pair = both(route, request);
                Map<String, String> expected = env(pair.uwsgi(), route.uwsgi());
                assertThat(env(pair.imperium(), route.imperium()))
                        .as("%s env for %s", route.name(), request.lines().findFirst().orElse(""))
                        .containsExactlyEntriesOf(expected);
            }
        }
    }

    @Test
    void echoesALargeRequestBodyThroughNginx() {
        UwsgiComparison.LargePost post = largeEchoPost(1 << 20);
        byte[] request = post.request();
        byte[] body = post.body();
        for (Route route : routes()) {
            RawHttp.Response viaUwsgi = RawHttp.send(route.uwsgi(), request, false, REQUEST);
            RawHttp.Response viaImperium = RawHttp.send(route.imperium(), request, false, REQUEST);
            assertThat(viaImperium.status()).as(route.name()).isEqualTo(viaUwsgi.status()).isEqualTo(200);
            assertThat(viaImperium.body()).as(route.name()).isEqualTo(viaUwsgi.body()).isEqualTo(body);
            assertThat(viaImperium.header("Content-Type")).as(route.name()).isEqualTo("application/x-test");
        }
    }

    @Test
    void passesRepeatedHeadersStreamedBodiesNotFoundAndHeadAsUwsgiDoes() {
        for (Route route : routes()) {
            Pair headers = both(route, get("/headers"));
            assertThat(headers.imperium().headers("X-Multi")).as(route.name())
                    .isEqualTo(headers.uwsgi().headers("X-Multi")).containsExactly("one", "two");
            assertThat(headers.imperium().bodyText()).as(route.name()).isEqualTo(headers.uwsgi().bodyText())
                    .isEqualTo("first\nsecond\n3\n");
            Pair notFound = both(route, get("/nope"));
            assertThat(notFound.imperium().status()).as(route.name()).isEqualTo(notFound.uwsgi().status())
                    .isEqualTo(404);
            assertThat(notFound.imperium().bodyText()).isEqualTo(notFound.uwsgi().bodyText());
            Pair head = both(route, "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(head.imperium().status()).as(route.name()).isEqualTo(head.uwsgi().status()).isEqualTo(200);
            assertThat(head.imperium().body()).as(route.name()).isEmpty();
            assertThat(head.imperium().header("Content-Type")).isEqualTo(head.uwsgi().header("Content-Type"));
        }
    }

    @Test
    void servesSequentialRequestsOverOneKeptFastcgiConnection() {
        // the first request opens the kept connection (or reuses one an earlier test left)
        assertThat(send(fastcgiKeptToImperium, get("/"), false).status()).isEqualTo(200);
        int keptBefore = keptProxy.accepted();
        int unkeptBefore = unkeptProxy.accepted();
        assertThat(keptBefore).isPositive();
        for (int i = 0; i < 6; i++) {
            RawHttp.Response kept = send(fastcgiKeptToImperium, get("/env?i=" + i), false);
            assertThat(kept.status()).isEqualTo(200);
            assertThat(kept.bodyText()).contains("QUERY_STRING=i=" + i + "\n");
            RawHttp.Response echo = RawHttp.send(fastcgiKeptToImperium, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 5\r\nConnection: close\r\n\r\necho" + i, false, REQUEST);
            assertThat(echo.bodyText()).isEqualTo("echo" + i);
            assertThat(send(fastcgiCountedToImperium, get("/"), false).status()).isEqualTo(200);
        }
        // the next 12 requests all went over that connection ...
        assertThat(keptProxy.accepted() - keptBefore).isZero();
        // ... while, without fastcgi_keep_conn, nginx opens one per request
        assertThat(unkeptProxy.accepted() - unkeptBefore).isEqualTo(6);
    }

    @Test
    void refusesParamsOverBufferSizeWith502AndTheWorkerLivesOn() {
        String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(5000)
                + "\r\nConnection: close\r\n\r\n";
        for (Route route : routes()) {
            Pair pair = both(route, request);
            assertThat(pair.uwsgi().status()).as(route.name()).isEqualTo(502);
            assertThat(pair.imperium().status()).as(route.name()).isEqualTo(502);
        }
        imperium.awaitLog(Pattern.compile("FastCGI params stream over buffer-size: \\d+ bytes \\(max 4096\\)"),
                REQUEST);
        imperium.awaitLog(Pattern.compile("invalid SCGI request size: \\d+ \\(max 4096\\)\\.\\.\\.skip"), REQUEST);
        uwsgi.awaitLog(Pattern.compile("invalid SCGI request size \\(max 4096\\)\\.\\.\\.skip"), REQUEST);
        for (Route route : routes()) {
            assertThat(send(route.imperium(), get("/"), false).status()).as(route.name()).isEqualTo(200);
        }
    }

    @Test
    void answersCgiStyleOnTheWireAsUwsgiDoes() throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("REQUEST_METHOD", "GET");
        params.put("REQUEST_URI", "/");
        params.put("PATH_INFO", "/");
        params.put("QUERY_STRING", "");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("SERVER_NAME", "localhost");
        params.put("SERVER_PORT", "80");
        params.put("REMOTE_ADDR", "127.0.0.1");
        String fromUwsgi = fastcgiStdout(uwsgiFastcgi, params);
        String fromImperium = fastcgiStdout(imperiumFastcgi, params);
        for (String stdout : List.of(fromUwsgi, fromImperium)) {
            assertThat(stdout).startsWith("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n")
                    .endsWith("\r\n\r\nHello from JWSGI\n");
        }
        String fromUwsgiScgi = scgiResponse(uwsgiScgi, params);
        String fromImperiumScgi = scgiResponse(imperiumScgi, params);
        for (String response : List.of(fromUwsgiScgi, fromImperiumScgi)) {
            assertThat(response).startsWith("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n")
                    .endsWith("\r\n\r\nHello from JWSGI\n");
        }
    }

    @Test
    void servesHttpClientsOnTheThirdSocket() {
        RawHttp.Response direct = send(imperiumHttp, get("/"), false);
        assertThat(direct.status()).isEqualTo(200);
        assertThat(direct.bodyText()).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void logsEachRequestWithItsVarsAsUwsgiDoes() {
        send(fastcgiToImperium, get("/?logged=fastcgi"), false);
        send(scgiToImperium, get("/?logged=scgi"), false);
        await().atMost(REQUEST).until(() -> imperium.log().contains("GET /?logged=fastcgi => generated 17 bytes")
                && imperium.log().contains("GET /?logged=scgi => generated 17 bytes"));
        assertThat(imperium.log()).containsPattern("\\{\\d+ vars in \\d+ bytes\\} \\[[^]]+\\] GET /\\?logged=scgi");
    }

    /** Sends one FastCGI request (no keep-conn) and returns its STDOUT stream, checking it ends as the spec says. */
    private static String fastcgiStdout(int port, Map<String, String> params) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        ByteBuffer begin = ByteBuffer.allocate(FcgiBeginRequest.SIZE);
        new FcgiBeginRequest(FcgiBeginRequest.RESPONDER, false).encode(begin);
        record(request, FcgiRecordType.BEGIN_REQUEST, begin.array());
        FcgiParamsEncoder encoder = new FcgiParamsEncoder();
        params.forEach(encoder::add);
        record(request, FcgiRecordType.PARAMS, encoder.toByteArray());
        record(request, FcgiRecordType.PARAMS, new byte[0]);
        record(request, FcgiRecordType.STDIN, new byte[0]);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) REQUEST.toMillis());
            socket.getOutputStream().write(request.toByteArray());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            boolean ended = false;
            while (true) {
                byte[] header = new byte[FcgiRecordHeader.SIZE];
                in.readFully(header);
                FcgiRecordHeader h = FcgiRecordHeader.decode(ByteBuffer.wrap(header));
                byte[] content = new byte[h.contentLength() + h.paddingLength()];
                in.readFully(content);
                assertThat(h.requestId()).isEqualTo(1);
                if (h.type() == FcgiRecordType.END_REQUEST) {
                    assertThat(ended).as("an empty STDOUT record before END_REQUEST").isTrue();
                    assertThat(content[4]).as("FCGI_REQUEST_COMPLETE").isZero();
                    assertThat(in.read()).as("the connection closes").isEqualTo(-1);
                    return stdout.toString(StandardCharsets.ISO_8859_1);
                }
                assertThat(h.type()).isEqualTo(FcgiRecordType.STDOUT);
                ended = h.contentLength() == 0;
                stdout.write(content, 0, h.contentLength());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("FastCGI exchange with 127.0.0.1:" + port + " failed", e);
        }
    }

    private static void record(ByteArrayOutputStream out, int type, byte[] content) {
        ByteBuffer header = ByteBuffer.allocate(FcgiRecordHeader.SIZE);
        new FcgiRecordHeader(FcgiRecordHeader.VERSION_1, type, 1, content.length, 0).encode(header);
        out.writeBytes(header.array());
        out.writeBytes(content);
    }

    /** Sends one SCGI request over a UNIX socket and returns the whole answer. */
    private static String scgiResponse(Path socket, Map<String, String> params) throws IOException {
        StringBuilder headers = new StringBuilder("CONTENT_LENGTH\u00000\u0000SCGI\u00001\u0000");
        params.forEach((name, value) -> headers.append(name).append('\u0000').append(value).append('\u0000'));
        String request = headers.length() + ":" + headers + ",";
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
