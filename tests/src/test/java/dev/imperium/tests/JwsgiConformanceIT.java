package dev.imperium.tests;

import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same JWSGI jar (config-samples/apps/hello-jwsgi) under real uWSGI (Debian's {@code uwsgi-core} with
 * {@code uwsgi-plugin-jwsgi-openjdk-17}) and under Imperium's vassal, from the same vassal file: the env each hands
 * the app, and the status and body of each answer, must be the same. Only the port differs (normalised away).
 *
 * <p>Deliberate differences, not compared: framing (uWSGI's http-socket sends no Content-Length and closes the
 * connection; Imperium sends Content-Length or chunked), the body of a HEAD response (uWSGI sends it, which HTTP
 * forbids), and the status-line version of an HTTP/1.0 exchange.
 *
 * <p>Skipped when uWSGI or its JVM plugins are not installed. Every process is stopped in {@link #stopServers()}
 * (SIGINT for uWSGI, which takes SIGTERM as "reload"; then SIGKILL for any survivor and its workers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class JwsgiConformanceIT {
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path JVM_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/jvm_plugin.so");
    private static final Path JWSGI_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/jwsgi_plugin.so");
    private static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REQUEST = Duration.ofSeconds(15);

    private Path work;
    private ManagedProcess uwsgi;
    private ManagedProcess imperium;
    private int uwsgiPort;
    private int imperiumPort;

    @BeforeAll
    void startServers(@TempDir Path workDir) throws IOException {
        work = workDir;
        for (Path needed : List.of(UWSGI, JVM_PLUGIN, JWSGI_PLUGIN, UWSGI_JAR)) {
            assumeTrue(Files.exists(needed), needed + " is not installed (apt-get install uwsgi-core "
                    + "uwsgi-plugin-jwsgi-openjdk-17)");
        }
        Path dist = Path.of(System.getProperty("imperium.dist", "../cli/target/imperium")).toAbsolutePath();
        Path samples = Path.of(System.getProperty("imperium.samples", "../config-samples")).toAbsolutePath();
        Path jar = samples.resolve("apps/hello-jwsgi/target/hello-jwsgi.jar");
        assertThat(jar).as("the sample jar (./mvnw package builds it)").exists();
        assertThat(dist.resolve("bin/vassal")).as("the Imperium distribution").exists();

        uwsgiPort = FreePorts.next();
        imperiumPort = FreePorts.next();
        Path uwsgiFile = Files.writeString(work.resolve("hello-uwsgi.ini"), vassalFile(uwsgiPort, jar));
        Path imperiumFile = Files.writeString(work.resolve("hello-imperium.ini"), vassalFile(imperiumPort, jar));
        try {
            uwsgi = ManagedProcess.builder("uwsgi", List.of(UWSGI.toString(), "--ini", uwsgiFile.toString()))
                    .directory(work).log(work.resolve("uwsgi.log")).stopSignal("INT").start();
            imperium = ManagedProcess.builder("imperium-vassal",
                            List.of(dist.resolve("bin/vassal").toString(), imperiumFile.toString()))
                    .directory(work).log(work.resolve("imperium.log"))
                    .env("JAVA_HOME", System.getProperty("java.home")).start();
            uwsgi.awaitLog(Pattern.compile("JWSGI app \"[^\"]+\" loaded"), START);
            Ports.awaitListening(uwsgi, uwsgiPort, START);
            Ports.awaitListening(imperium, imperiumPort, START);
        } catch (RuntimeException | Error e) {
            stopServers();
            throw e;
        }
    }

    /** The vassal file both servers run, as config-samples/vassals/hello.ini but on a free port. */
    private static String vassalFile(int port, Path jar) {
        return """
                [uwsgi]
                plugins = jvm,jwsgi
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                master = true
                processes = 1
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                """.formatted(port, UWSGI_JAR, jar);
    }

    @AfterAll
    void stopServers() {
        try {
            if (uwsgi != null) {
                uwsgi.close();
            }
        } finally {
            if (imperium != null) {
                imperium.close();
            }
        }
    }

    private record Pair(RawHttp.Response uwsgi, RawHttp.Response imperium) {
    }

    /** Sends the same request to both; {@code %PORT%} in it becomes each server's port. */
    private Pair both(String request) {
        boolean head = request.startsWith("HEAD ");
        return new Pair(
                RawHttp.send(uwsgiPort, request.replace("%PORT%", Integer.toString(uwsgiPort)), head, REQUEST),
                RawHttp.send(imperiumPort, request.replace("%PORT%", Integer.toString(imperiumPort)), head, REQUEST));
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nUser-Agent: conformance\r\n"
                + "Connection: close\r\n\r\n";
    }

    /** Parses an /env dump into a sorted map, with the server's port replaced by a placeholder. */
    private static Map<String, String> env(RawHttp.Response response, int port) {
        return UwsgiComparison.envDump(response, port);
    }

    private void assertSameEnv(String request) {
        Pair pair = both(request);
        Map<String, String> expected = env(pair.uwsgi(), uwsgiPort);
        assertThat(env(pair.imperium(), imperiumPort)).as("env for %s", request.lines().findFirst().orElse(""))
                .containsExactlyEntriesOf(expected);
    }

    @Test
    void answersHelloTheSame() {
        Pair pair = both(get("/"));
        assertThat(pair.imperium().status()).isEqualTo(pair.uwsgi().status()).isEqualTo(200);
        assertThat(pair.imperium().bodyText()).isEqualTo(pair.uwsgi().bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(pair.imperium().header("Content-Type")).isEqualTo(pair.uwsgi().header("Content-Type"));
    }

    @Test
    void givesTheAppTheSameEnvForAGetWithAQuery() {
        assertSameEnv(get("/env?x=1&y=%20z&x=2"));
    }

    @Test
    void givesTheSameEnvForRepeatedHeadersAndCookies() {
        assertSameEnv("GET /env HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nX-Rep: a\r\nX-Rep: b\r\nx_rep: c\r\n"
                + "Cookie: k=v\r\nAccept: */*\r\nX-Empty:\r\nConnection: close\r\n\r\n");
    }

    @Test
    void givesTheSameEnvForADecodedPathInfo() {
        assertSameEnv(get("/env/a%20b/%C3%A9"));
    }

    @Test
    void givesTheSameEnvForAPostWithABody() {
        assertSameEnv("POST /env?p=1 HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
    }

    @Test
    void givesTheSameEnvForHttp10WithoutHost() {
        assertSameEnv("GET /env HTTP/1.0\r\n\r\n");
    }

    @Test
    void echoesARequestBodyTheSame() {
        Pair pair = both("POST /echo HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nContent-Type: text/x-test\r\n"
                + "Content-Length: 11\r\nConnection: close\r\n\r\nhello body!");
        assertThat(pair.imperium().status()).isEqualTo(pair.uwsgi().status()).isEqualTo(200);
        assertThat(pair.imperium().bodyText()).isEqualTo(pair.uwsgi().bodyText()).isEqualTo("hello body!");
        assertThat(pair.imperium().header("Content-Type")).isEqualTo(pair.uwsgi().header("Content-Type"))
                .isEqualTo("text/x-test");
    }

    @Test
    void sendsRepeatedResponseHeadersAndChunkedBodiesTheSame() {
        Pair pair = both(get("/headers"));
        assertThat(pair.imperium().headers("X-Multi")).isEqualTo(pair.uwsgi().headers("X-Multi"))
                .containsExactly("one", "two");
        assertThat(pair.imperium().bodyText()).isEqualTo(pair.uwsgi().bodyText()).isEqualTo("first\nsecond\n3\n");
    }

    @Test
    void answersTheAppsNotFoundTheSame() {
        Pair pair = both(get("/nope"));
        assertThat(pair.imperium().status()).isEqualTo(pair.uwsgi().status()).isEqualTo(404);
        assertThat(pair.imperium().bodyText()).isEqualTo(pair.uwsgi().bodyText());
    }

    @Test
    void answersHeadWithTheSameHeadersAndNoBody() {
        Pair pair = both("HEAD / HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nConnection: close\r\n\r\n");
        assertThat(pair.imperium().status()).isEqualTo(pair.uwsgi().status()).isEqualTo(200);
        assertThat(pair.imperium().header("Content-Type")).isEqualTo(pair.uwsgi().header("Content-Type"));
        assertThat(pair.imperium().body()).isEmpty();
    }

    @Test
    void framesResponsesSoThatHttp11ConnectionsCanBeKeptAlive() {
        RawHttp.Response response = RawHttp.send(imperiumPort, get("/").replace("%PORT%",
                Integer.toString(imperiumPort)), false, REQUEST);
        assertThat(response.header("Content-Length")).isEqualTo("17");
    }
}
