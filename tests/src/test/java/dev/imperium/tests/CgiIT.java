package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Nginx;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CGI ({@code cgi}, {@code cgi-index}, {@code cgi-helper}, {@code cgi-timeout}) with real shell and Python scripts,
 * side by side with Debian's uWSGI running its own CGI plugin ({@code cgi_plugin.so}, part of {@code uwsgi-core}) on
 * the same scripts: the scripts get the same CGI variables through an {@code http-socket} with
 * {@code http-socket-modifier1 = 9} and through nginx's {@code uwsgi_pass} with {@code uwsgi_modifier1 9}. The
 * Imperium vassal also has a JWSGI app, which nginx reaches with {@code uwsgi_modifier1 8}; a second vassal has
 * nothing but {@code cgi}, naming one script, and serves every request with it.
 *
 * <p>Every process started is stopped in {@link #stopServers()}, and no script outlives its request: the timeout
 * test checks that the script and the child it started are gone (uWSGI kills the script only, and leaves the child).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CgiIT {
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path CGI_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/cgi_plugin.so");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(15);
    /** The CGI variables the env script prints (what a server sets; not the inherited process environment). */
    private static final String CGI_VARS = "GATEWAY_INTERFACE|REQUEST_[A-Z]*|PATH_INFO|PATH_TRANSLATED|QUERY_STRING"
            + "|SCRIPT_NAME|SCRIPT_FILENAME|DOCUMENT_ROOT|SERVER_NAME|SERVER_PORT|SERVER_PROTOCOL|REMOTE_ADDR"
            + "|CONTENT_LENGTH|CONTENT_TYPE|REDIRECT_STATUS|HTTP_[A-Z_]*|HTTPS";

    private Path work;
    /** Both vassals and Debian's uWSGI. */
    private final Vassals vassals = new Vassals(() -> work);
    private Path bin;
    private ManagedProcess imperium;
    private ManagedProcess cgiOnly;
    private ManagedProcess uwsgi;
    private ManagedProcess nginx;
    private int imperiumHttp;
    private int cgiOnlyHttp;
    private int uwsgiHttp;
    private int viaNginxToImperium;
    private int viaNginxToUwsgi;

    @BeforeAll
    void startServers(@TempDir Path dir) throws IOException {
        work = dir.toRealPath();
        bin = Files.createDirectories(work.resolve("cgi-bin"));
        writeScripts();
        imperiumHttp = FreePorts.next();
        int imperiumSocket = FreePorts.next();
        cgiOnlyHttp = FreePorts.next();
        uwsgiHttp = FreePorts.next();
        int uwsgiSocket = FreePorts.next();
        viaNginxToImperium = FreePorts.next();
        viaNginxToUwsgi = FreePorts.next();
        String cgiOptions = "cgi = /cgi-bin=" + bin + "\ncgi-index = index.sh\ncgi-helper = .py=python3\n"
                + "cgi-timeout = 2\n";
        String imperiumConfig = """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 9
                socket = 127.0.0.1:%d
                processes = 1
                threads = 4
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                """.formatted(imperiumHttp, imperiumSocket, Dist.helloJar()) + cgiOptions;
        String cgiOnlyConfig = """
                [uwsgi]
                plugins = cgi
                http-socket = 127.0.0.1:%d
                cgi = %s
                """.formatted(cgiOnlyHttp, bin.resolve("env.sh"));
        try {
            imperium = vassals.start("cgi.ini", imperiumConfig);
            cgiOnly = vassals.start("cgi-only.ini", cgiOnlyConfig);
            if (Files.exists(UWSGI) && Files.exists(CGI_PLUGIN)) {
                Path uwsgiFile = Files.writeString(work.resolve("uwsgi.ini"), """
                        [uwsgi]
                        plugins = cgi
                        http-socket = 127.0.0.1:%d
                        http-socket-modifier1 = 9
                        socket = 127.0.0.1:%d
                        master = true
                        processes = 1
                        """.formatted(uwsgiHttp, uwsgiSocket) + cgiOptions);
                uwsgi = vassals.start(ManagedProcess.builder("uwsgi",
                                List.of(UWSGI.toString(), "--ini", uwsgiFile.toString()))
                        .directory(work).log(work.resolve("uwsgi.log")).stopSignal("INT"));
                Ports.awaitListening(uwsgi, uwsgiHttp, START);
            }
            imperium.awaitLog(Pattern.compile("generation 1 accepting"), START);
            cgiOnly.awaitLog(Pattern.compile("generation 1 accepting"), START);
            if (Nginx.installed()) {
                String location = """
                                location /cgi-bin/ {
                                    include /etc/nginx/uwsgi_params;
                                    uwsgi_modifier1 9;
                                    uwsgi_pass 127.0.0.1:%d;
                                }
                                location / {
                                    include /etc/nginx/uwsgi_params;
                                    uwsgi_modifier1 8;
                                    uwsgi_pass 127.0.0.1:%d;
                                }
                        """;
                String servers = server(viaNginxToImperium, location.formatted(imperiumSocket, imperiumSocket))
                        + (uwsgi == null ? "" : server(viaNginxToUwsgi, location.formatted(uwsgiSocket, uwsgiSocket)));
                nginx = Nginx.start(Files.createDirectories(work.resolve("nginx")), servers,
                        uwsgi == null ? List.of(viaNginxToImperium) : List.of(viaNginxToImperium, viaNginxToUwsgi));
            }
        } catch (RuntimeException | Error e) {
            stopServers();
            throw e;
        }
    }

    private static String server(int port, String locations) {
        return "    server {\n        listen 127.0.0.1:" + port + ";\n        server_name localhost;\n" + locations
                + "    }\n";
    }

    @AfterAll
    void stopServers() {
        if (nginx != null) {
            nginx.close();
        }
        vassals.close();
    }

    private void writeScripts() throws IOException {
        String env = """
                #!/bin/sh
                printf 'Content-Type: text/plain\\r\\n\\r\\n'
                env | grep -E '^(%s)=' | sort
                echo "CWD=$(pwd)"
                for a in "$@"; do echo "ARG=$a"; done
                if [ -n "$CONTENT_LENGTH" ]; then echo "BODY=$(head -c "$CONTENT_LENGTH")"; fi
                """.formatted(CGI_VARS);
        script("env.sh", env);
        Files.createDirectories(bin.resolve("sub"));
        script("sub/index.sh", env);
        script("cat.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\r\\n\\r\\n'\nexec cat\n");
        script("status.sh", "#!/bin/sh\nprintf 'Status: 404 Nope\\r\\nX-Custom: yes\\r\\nContent-Type: text/plain"
                + "\\r\\n\\r\\nnot here\\n'\n");
        script("redirect.sh", "#!/bin/sh\nprintf 'Location: http://example.com/elsewhere\\r\\n\\r\\n'\n");
        script("local.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/env.sh?from=local\\r\\n\\r\\n'\n");
        script("slow.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nstart\\n'\nsleep 60 &\n"
                + "echo $! > " + work.resolve("slow.pids") + "\necho $$ >> " + work.resolve("slow.pids") + "\nwait\n");
        script("stderr.sh", "#!/bin/sh\necho 'cgi stderr marker' >&2\nprintf 'Content-Type: text/plain\\r\\n\\r\\n"
                + "ok\\n'\n");
        Files.writeString(bin.resolve("plain.sh"), "#!/bin/sh\necho never\n");
        Files.writeString(bin.resolve("upper.py"), """
                import sys, os
                body = sys.stdin.buffer.read(int(os.environ.get("CONTENT_LENGTH") or 0))
                sys.stdout.buffer.write(b"Status: 201 Created\\r\\nContent-Type: text/plain\\r\\n\\r\\n" + body.upper())
                """);
    }

    private void script(String name, String text) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static RawHttp.Response send(int port, String request) {
        return RawHttp.send(port, request.replace("%PORT%", Integer.toString(port)), false, REQUEST);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nUser-Agent: cgi-it\r\nConnection: close\r\n\r\n";
    }

    private static String post(String target, String type, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nContent-Type: " + type
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    /** Parses the env script's output; ports, which differ per server, are written {@code <port>}. */
    private static Map<String, String> env(RawHttp.Response response, int... ports) {
        assertThat(response.status()).as(response.statusLine() + "\n" + response.bodyText()).isEqualTo(200);
        Map<String, String> env = new TreeMap<>();
        for (String line : response.bodyText().split("\n")) {
            int eq = line.indexOf('=');
            String value = line.substring(eq + 1);
            for (int port : ports) {
                value = value.replace(Integer.toString(port), "<port>");
            }
            env.merge(line.substring(0, eq), value, (a, b) -> a + "|" + b);
        }
        env.remove("REMOTE_PORT");
        return env;
    }

    private void assumeUwsgi() {
        assumeTrue(uwsgi != null, "Debian's uWSGI with its cgi plugin is not installed (apt-get install uwsgi-core)");
    }

    private void assumeNginx() {
        assumeTrue(nginx != null, "nginx is not installed (apt-get install nginx-light)");
    }

    @Test
    void scriptsGetTheSameCgiVariablesAsUnderUwsgiOverAnHttpSocket() {
        assumeUwsgi();
        for (String request : List.of(get("/cgi-bin/env.sh/extra/path?a+b%20c"), get("/cgi-bin/sub/"),
                post("/cgi-bin/env.sh?x=1", "application/x-www-form-urlencoded", "hello=world"),
                "GET /cgi-bin/env.sh HTTP/1.0\r\nX-Twice: 1\r\n\r\n")) {
            Map<String, String> expected = env(send(uwsgiHttp, request), uwsgiHttp);
            assertThat(env(send(imperiumHttp, request), imperiumHttp)).as(request.lines().findFirst().orElse(""))
                    .containsExactlyEntriesOf(expected);
        }
        assertThat(env(send(imperiumHttp, get("/cgi-bin/env.sh/extra/path?a+b%20c")), imperiumHttp))
                .containsEntry("SCRIPT_NAME", "/cgi-bin/env.sh").containsEntry("PATH_INFO", "/extra/path")
                .containsEntry("SCRIPT_FILENAME", bin.resolve("env.sh").toString())
                .containsEntry("DOCUMENT_ROOT", bin.toString()).containsEntry("ARG", "a|b c")
                .containsEntry("CWD", bin.toString());
    }

    @Test
    void scriptsGetTheSameCgiVariablesAsUnderUwsgiBehindNginxWithModifier9() {
        assumeUwsgi();
        assumeNginx();
        for (String request : List.of(get("/cgi-bin/env.sh/x/y?q=1"), get("/cgi-bin/sub/"),
                post("/cgi-bin/env.sh", "text/plain", "posted body"))) {
            Map<String, String> expected = env(send(viaNginxToUwsgi, request), viaNginxToUwsgi);
            assertThat(env(send(viaNginxToImperium, request), viaNginxToImperium))
                    .as(request.lines().findFirst().orElse("")).containsExactlyEntriesOf(expected);
        }
        assertThat(env(send(viaNginxToImperium, post("/cgi-bin/env.sh", "text/plain", "posted body")),
                viaNginxToImperium)).containsEntry("BODY", "posted body").containsEntry("CONTENT_LENGTH", "11");
    }

    @Test
    void nginxReachesTheJvmAppWithModifier8AndTheScriptsWithModifier9() {
        assumeNginx();
        RawHttp.Response app = send(viaNginxToImperium, get("/"));
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(send(viaNginxToImperium, get("/cgi-bin/status.sh")).status()).isEqualTo(404);
    }

    @Test
    void aLargeBodyIsStreamedThroughTheScriptBothWays() {
        byte[] body = new byte[2 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        byte[] head = ("POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        RawHttp.Response response = RawHttp.send(imperiumHttp, request, false, REQUEST);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(response.body()).isEqualTo(body);
        RawHttp.Response chunked = send(imperiumHttp, "POST /cgi-bin/cat.sh HTTP/1.1\r\nHost: t\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(chunked.bodyText()).as("a chunked upload ends the script's input").isEqualTo("hello world");
    }

    @Test
    void aHelperRunsAPythonScriptWithItsBodyAndStatus() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        RawHttp.Response response = send(imperiumHttp, post("/cgi-bin/upper.py", "text/plain", "shout this"));
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.bodyText()).isEqualTo("SHOUT THIS");
    }

    @Test
    void statusLocationAndLocalRedirectsAsRfc3875Says() {
        RawHttp.Response status = send(imperiumHttp, get("/cgi-bin/status.sh"));
        assertThat(status.status()).isEqualTo(404);
        assertThat(status.header("X-Custom")).isEqualTo("yes");
        assertThat(status.bodyText()).isEqualTo("not here\n");
        RawHttp.Response redirect = send(imperiumHttp, get("/cgi-bin/redirect.sh"));
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("http://example.com/elsewhere");
        RawHttp.Response local = send(imperiumHttp, post("/cgi-bin/local.sh", "text/plain", "dropped"));
        assertThat(env(local, imperiumHttp)).as("served as a GET of the path, without a round trip to the client")
                .containsEntry("REQUEST_METHOD", "GET").containsEntry("QUERY_STRING", "from=local")
                .containsEntry("REQUEST_URI", "/cgi-bin/env.sh?from=local").doesNotContainKey("CONTENT_LENGTH");
    }

    @Test
    void refusesWhatUwsgiRefuses() {
        RawHttp.Response forbidden = send(imperiumHttp, get("/cgi-bin/plain.sh"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.bodyText()).isEqualTo("Forbidden");
        assertThat(send(imperiumHttp, get("/cgi-bin/missing.sh")).status()).isEqualTo(404);
        RawHttp.Response slash = send(imperiumHttp, get("/cgi-bin/sub"));
        assertThat(slash.status()).isEqualTo(301);
        assertThat(slash.header("Location")).isEqualTo("/cgi-bin/sub/");
        if (uwsgi != null) {
            for (String target : List.of("/cgi-bin/plain.sh", "/cgi-bin/missing.sh", "/cgi-bin/sub")) {
                assertThat(send(imperiumHttp, get(target)).status()).as(target)
                        .isEqualTo(send(uwsgiHttp, get(target)).status());
            }
        }
    }

    @Test
    void aSilentScriptIsKilledAtTheTimeoutWithWhatItStarted() throws Exception {
        Path pids = work.resolve("slow.pids");
        long start = System.nanoTime();
        String raw = rawExchange(imperiumHttp, get("/cgi-bin/slow.sh").replace("%PORT%", "1"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").contains("start\n")
                .as("cut short: no last chunk").doesNotEndWith("0\r\n\r\n");
        imperium.awaitLog(Pattern.compile("CGI timeout !!!"), Duration.ofSeconds(5));
        List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        await("the script and its child are gone").atMost(Duration.ofSeconds(5))
                .until(() -> started.stream().noneMatch(Orphans::running));
    }

    @Test
    void aScriptsStandardErrorGoesToTheVassalLog() {
        assertThat(send(imperiumHttp, get("/cgi-bin/stderr.sh")).bodyText()).isEqualTo("ok\n");
        imperium.awaitLog(Pattern.compile("cgi stderr marker"), Duration.ofSeconds(5));
    }

    @Test
    void aVassalWithOnlyCgiServesEveryRequestWithIt() {
        Map<String, String> env = env(send(cgiOnlyHttp, get("/any/where?k=v")), cgiOnlyHttp);
        assertThat(env).containsEntry("PATH_INFO", "/any/where").containsEntry("SCRIPT_NAME", "")
                .containsEntry("SCRIPT_FILENAME", bin.resolve("env.sh").toString())
                .containsEntry("DOCUMENT_ROOT", work.toString()).containsEntry("QUERY_STRING", "k=v");
        assertThat(cgiOnly.log()).contains("initialized CGI path: " + bin.resolve("env.sh"));
    }

    /** Sends a request and returns everything the server sent until it closed, as ISO-8859-1 text. */
    private static String rawExchange(int port, String request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) REQUEST.toMillis());
            socket.setSoTimeout((int) REQUEST.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
