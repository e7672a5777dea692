package dev.imperium.tests.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the tests share that put nginx in front of Imperium and of Debian's real uWSGI running the same JWSGI sample
 * jar, and compare the two: where the peers are installed, the distribution and the jar, requests written with a
 * {@code %PORT%} placeholder, and the sample app's {@code /env} dump.
 */
public final class UwsgiComparison {
    /** Debian's uWSGI. */
    public static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    /** uWSGI's JVM plugin. */
    public static final Path JVM_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/jvm_plugin.so");
    /** uWSGI's JWSGI plugin. */
    public static final Path JWSGI_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/jwsgi_plugin.so");
    /** The JVM plugin's Java side, on the app's classpath under uWSGI. */
    public static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");
    /** How long a server may take to start. */
    public static final Duration START = Duration.ofSeconds(60);
    /** How long one request may take. */
    public static final Duration REQUEST = Duration.ofSeconds(15);

    private UwsgiComparison() {
    }

    /** Skips the calling test class unless nginx, uWSGI and its JVM plugins are installed. */
    public static void assumePeersInstalled() {
        assumeTrue(Nginx.installed(), "nginx is not installed (apt-get install nginx-light)");
        for (Path needed : List.of(UWSGI, JVM_PLUGIN, JWSGI_PLUGIN, UWSGI_JAR)) {
            assumeTrue(Files.exists(needed), needed + " is not installed (apt-get install uwsgi-core "
                    + "uwsgi-plugin-jwsgi-openjdk-17)");
        }
    }

    /** Returns the built distribution ({@code imperium.dist}, default {@code ../cli/target/imperium}). */
    public static Path dist() {
        return Path.of(System.getProperty("imperium.dist", "../cli/target/imperium")).toAbsolutePath();
    }

    /** Returns the hello-jwsgi sample jar, failing if it was not built. */
    public static Path sampleJar() {
        Path samples = Path.of(System.getProperty("imperium.samples", "../config-samples")).toAbsolutePath();
        Path jar = samples.resolve("apps/hello-jwsgi/target/hello-jwsgi.jar");
        assertThat(jar).as("the sample jar (./mvnw package builds it)").exists();
        return jar;
    }

    /** Sends {@code request} to 127.0.0.1:{@code port}, {@code %PORT%} replaced by the port; see {@link RawHttp}. */
    public static RawHttp.Response send(int port, String request, boolean head) {
        return RawHttp.send(port, request.replace("%PORT%", Integer.toString(port)), head, REQUEST);
    }

    /** Returns a GET of {@code target} with {@code Host: 127.0.0.1:%PORT%} and {@code Connection: close}. */
    public static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:%PORT%\r\nUser-Agent: conformance\r\n"
                + "Connection: close\r\n\r\n";
    }

    /**
     * Parses an /env dump into a sorted map, without REMOTE_PORT (each connection's own) and with {@code port}
     * (nginx's, which differs per server) written {@code <port>}.
     */
    public static Map<String, String> env(RawHttp.Response response, int port) {
        Map<String, String> env = envDump(response, port);
        assertThat(env).containsKey("REMOTE_PORT");
        env.remove("REMOTE_PORT");
        return env;
    }

    /**
     * Parses the hello app's /env dump (a 200 with sorted {@code KEY=VALUE} lines) into a sorted map, with
     * {@code port} written {@code <port>}.
     */
    public static Map<String, String> envDump(RawHttp.Response response, int port) {
        assertThat(response.status()).as(response.statusLine() + "\n" + response.bodyText()).isEqualTo(200);
        Map<String, String> env = new TreeMap<>();
        for (String line : response.bodyText().split("\n")) {
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1).replace(Integer.toString(port), "<port>"));
        }
        return env;
    }

    /** A POST to /echo and its body. */
    public record LargePost(byte[] request, byte[] body) {
    }

    /** Returns a POST to /echo of {@code size} bytes of letters, {@code Content-Type: application/x-test}. */
    public static LargePost largeEchoPost(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        byte[] head = ("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-test\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return new LargePost(request, body);
    }
}
