package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.UwsgiComparison;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code http} option: uWSGI's HTTP router, a front process owning the public port and forwarding to the
 * workers over the uwsgi protocol. A uWSGI vassal file with {@code http = ...} runs unchanged; the app sees the same
 * env as under real uWSGI's router (compared side by side when Debian's uWSGI and its JVM plugins are installed);
 * keep-alive, chunked uploads, reloads under load with no failed request, a killed router respawned, and no process
 * left behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpRouterIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(15);
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    /** A vassal file as uWSGI's quickstart writes one: the router on {@code port}, two workers. */
    private static String routerFile(int port, String extra) {
        return """
                [uwsgi]
                plugins = jvm,jwsgi
                http = 127.0.0.1:%d
                http-modifier1 = 8
                master = true
                processes = 2
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                %s""".formatted(port, UWSGI_JAR, Dist.helloJar(), extra);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: router-test\r\nConnection: close\r\n\r\n";
    }

    private static Map<String, String> env(RawHttp.Response response, int port) {
        Map<String, String> env = UwsgiComparison.envDump(response, port);
        env.remove("REMOTE_PORT");
        return env;
    }

    @Test
    void aRouterServesEveryHttpAddressIncludingASharedSocket() throws Exception {
        int first = FreePorts.next();
        int second = FreePorts.next();
        String unixName = "router.sock";
        String file = """
                [uwsgi]
                shared-socket = 127.0.0.1:%d
                http = =0
                http = 127.0.0.1:%d
                http = %s
                processes = 1
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                """.formatted(first, second, unixName, Dist.helloJar());
        ManagedProcess v = vassals.start("multi.ini", file);
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, first, START);
        assertThat(v.log()).contains("uWSGI http bound on 127.0.0.1:" + first)
                .contains("uWSGI http bound on 127.0.0.1:" + second)
                .contains("uWSGI http bound on " + dir.resolve(unixName));
        for (int port : new int[] {first, second}) {
            await().atMost(REQUEST).untilAsserted(() -> assertThat(
                    RawHttp.send(port, get("/"), false, REQUEST).bodyText()).isEqualTo("Hello from JWSGI\n"));
        }
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--unix-socket",
                dir.resolve(unixName).toString(), "http://localhost/").redirectErrorStream(true).start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("Hello from JWSGI\n");
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aUwsgiRouterFileRunsUnchangedAndTheAppSeesUwsgisEnv() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("router.ini", routerFile(port, ""));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, port, START);
        assertThat(v.log()).containsPattern("uwsgi socket 0 bound to UNIX address /\\S+/uwsgi\\.sock fd \\d+")
                .contains("uWSGI http bound on 127.0.0.1:" + port)
                .containsPattern("spawned uWSGI http 1 \\(pid: \\d+\\)");

        RawHttp.Response hello = RawHttp.send(port, get("/"), false, REQUEST);
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(hello.header("Connection")).as("http-keepalive is off by default").isEqualTo("close");

        Map<String, String> imperiumEnv = env(RawHttp.send(port, get("/env?x=1&y=%20z"), false, REQUEST), port);
        assertThat(imperiumEnv).containsEntry("UWSGI_ROUTER", "http").containsEntry("QUERY_STRING", "x=1&y=%20z")
                .containsEntry("SERVER_PORT", "<port>").containsEntry("SCRIPT_NAME", "");

        boolean uwsgiHere = Files.isExecutable(UWSGI) && Files.exists(UWSGI_JAR)
                && Files.exists(Path.of("/usr/lib/uwsgi/plugins/jwsgi_plugin.so"));
        assumeTrue(uwsgiHere, "Debian's uWSGI with its JVM plugins is not installed: no side-by-side comparison");
        int uwsgiPort = FreePorts.next();
        Path uwsgiFile = Files.writeString(dir.resolve("uwsgi.ini"), routerFile(uwsgiPort, "plugins = http\n"));
        ManagedProcess uwsgi = vassals.start(ManagedProcess.builder("uwsgi", List.of(UWSGI.toString(), "--ini",
                uwsgiFile.toString())).directory(dir).log(dir.resolve("uwsgi.log")).stopSignal("INT"));
        uwsgi.awaitLog(Pattern.compile("JWSGI app \"[^\"]+\" loaded"), START);
        Ports.awaitListening(uwsgi, uwsgiPort, START);
        for (String target : List.of("/env?x=1&y=%20z", "/env/a%20b/%C3%A9")) {
            Map<String, String> expected = env(RawHttp.send(uwsgiPort, get(target), false, REQUEST), uwsgiPort);
            assertThat(env(RawHttp.send(port, get(target), false, REQUEST), port)).as("env for %s", target)
                    .containsExactlyEntriesOf(expected);
        }
        String post = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/x-test\r\nContent-Length: 11\r\n"
                + "Connection: close\r\n\r\nhello body!";
        assertThat(RawHttp.send(port, post, false, REQUEST).bodyText())
                .isEqualTo(RawHttp.send(uwsgiPort, post, false, REQUEST).bodyText()).isEqualTo("hello body!");
        RawHttp.Response viaImperium = RawHttp.send(port, get("/headers"), false, REQUEST);
        RawHttp.Response viaUwsgi = RawHttp.send(uwsgiPort, get("/headers"), false, REQUEST);
        assertThat(viaImperium.headers("X-Multi")).isEqualTo(viaUwsgi.headers("X-Multi"));
        assertThat(viaImperium.bodyText()).isEqualTo(viaUwsgi.bodyText());
        assertThat(RawHttp.send(port, get("/nope"), false, REQUEST).status())
                .isEqualTo(RawHttp.send(uwsgiPort, get("/nope"), false, REQUEST).status()).isEqualTo(404);
    }

    @Test
    void keepsClientConnectionsWithHttpKeepaliveAndBuffersChunkedUploads() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("keepalive.ini", routerFile(port, "http-keepalive = 1\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, port, START);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) REQUEST.toMillis());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("GET / HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String response = readResponse(in);
                assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("Hello from JWSGI\n")
                        .doesNotContain("Connection: close");
            }
            // an app answer without a length reaches a keep-alive client chunked
            out.write("GET /headers HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).contains("Transfer-Encoding: chunked").endsWith("0\r\n\r\n");
            // a chunked upload reaches the app whole, with its CONTENT_LENGTH
            out.write(("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).endsWith("\r\n\r\nhello world");
        }
    }

    /** Reads one response framed by Content-Length or chunked (enough for these tests). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return text.toString();
            }
            text.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
        if (length.find()) {
            byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
            return text + new String(body, StandardCharsets.ISO_8859_1);
        }
        while (!text.toString().endsWith("\r\n0\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    @Test
    void reloadUnderLoadThroughTheRouterFailsNoRequestAndAKilledRouterIsRespawned() throws Exception {
        int port = FreePorts.next();
        Path trigger = dir.resolve("reload.trigger");
        Files.writeString(trigger, "");
        Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        ManagedProcess v = vassals.start("reload.ini", routerFile(port, "touch-reload = reload.trigger\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, port, START);
        try (LoadLoop load = LoadLoop.start(port, "/", 0, 4, Duration.ofSeconds(60))) {
            await().atMost(REQUEST).until(() -> load.ok() > 50);
            Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis()));
            v.awaitLog(Pattern.compile("generation 2 accepting"), START);
            long after = load.ok();
            await().atMost(REQUEST).until(() -> load.ok() > after + 50);
            load.stop();
            assertThat(load.failures()).as("failed requests during the reload").isEmpty();
        }
        Matcher router = Pattern.compile("spawned uWSGI http 1 \\(pid: (\\d+)\\)").matcher(v.log());
        assertThat(router.find()).isTrue();
        long pid = Long.parseLong(router.group(1));
        assertThat(v.log()).as("the router lives across the reload").doesNotContain("respawned uWSGI http");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        v.awaitLog(Pattern.compile("respawned uWSGI http 1 \\(pid: \\d+\\)"), START);
        await().atMost(START).until(() -> RawHttp.send(port, get("/"), false, REQUEST).status() == 200);
        v.signal("TERM");
        await().atMost(START).until(() -> !v.isAlive());
        assertThat(v.log()).contains("goodbye to uWSGI.");
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void forwardsToHttpToNodesAndAnswers502WhenNoneListens() throws Exception {
        int backendSocket = FreePorts.next();
        int port = FreePorts.next();
        ManagedProcess backend = vassals.start("backend.ini", "[uwsgi]\nsocket = 127.0.0.1:" + backendSocket
                + "\njvm-classpath = " + Dist.helloJar() + "\njwsgi = dev.imperium.samples.hello.HelloApp\n");
        backend.awaitLog(Pattern.compile("generation 1 accepting"), START);
        int deadPort = FreePorts.next();
        ManagedProcess front = vassals.start("front.ini", "[uwsgi]\nhttp = 127.0.0.1:" + port + "\nhttp-to = 127.0.0.1:"
                + backendSocket + "\nsocket = 127.0.0.1:" + deadPort + "\njvm-classpath = " + Dist.helloJar()
                + "\njwsgi = dev.imperium.samples.hello.HelloApp\n");
        front.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(front, port, START);
        assertThat(RawHttp.send(port, get("/"), false, REQUEST).bodyText()).isEqualTo("Hello from JWSGI\n");
        await().atMost(REQUEST).until(() -> backend.log().contains("GET / => generated 17 bytes"));
        backend.close();
        RawHttp.Response refused = RawHttp.send(port, get("/"), false, REQUEST);
        assertThat(refused.status()).isEqualTo(502);
        front.awaitLog(Pattern.compile("\\[uwsgi-http\\] unable to connect\\(\\) to node \"127\\.0\\.0\\.1:"
                + backendSocket + "\""), REQUEST);
    }
}
