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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sockets as uWSGI files declare them beyond host:port: UNIX socket files with {@code chmod-socket},
 * {@code chown-socket} and {@code umask}, abstract sockets ({@code @name}), {@code shared-socket} with {@code =N},
 * and request bodies read whole before the app runs ({@code post-buffering}). Clients are curl
 * ({@code --unix-socket}, {@code --abstract-unix-socket}) and raw TCP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnixSocketsIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private static String hello(String sockets) {
        return """
                [uwsgi]
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                %s
                """.formatted(Dist.helloJar(), sockets);
    }

    /** Runs curl with {@code args} and returns its stdout (the body). */
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void unixSocketFilesGetTheirModeAndOwnerAndVacuumRemovesThem() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        ManagedProcess v = vassals.start("unix.ini", hello("""
                umask = 077
                http-socket = run/http.sock
                socket = run/uwsgi.sock
                chmod-socket = 660
                chown-socket = nobody:nogroup
                vacuum = true
                """));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Path http = dir.resolve("run/http.sock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(http))).isEqualTo("rw-rw----");
        assertThat(Files.getOwner(http).getName()).isEqualTo("nobody");
        assertThat(Files.readAttributes(http, "posix:group").get("group").toString()).isEqualTo("nogroup");
        assertThat(curl("--unix-socket", http.toString(), "http://localhost/")).isEqualTo("Hello from JWSGI\n");

        assertThat(v.log()).contains("uwsgi socket 0 bound to UNIX address " + http)
                .doesNotContain("lazy and brave");
        v.signal("TERM");
        await().atMost(Duration.ofSeconds(30)).until(() -> !v.isAlive());
        assertThat(http).doesNotExist();
        assertThat(dir.resolve("run/uwsgi.sock")).doesNotExist();
        assertThat(v.log()).contains("VACUUM: unix socket " + http + " removed.");
    }

    @Test
    void umaskAloneDecidesTheModeOfASocketFile() throws Exception {
        ManagedProcess v = vassals.start("umask.ini", hello("""
                umask = 027
                http-socket = plain.sock
                """));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("plain.sock"))))
                .isEqualTo("rwxr-x---");
    }

    @Test
    void anAbstractSocketServesWithoutAFile() throws Exception {
        String name = "imperium-it-" + UUID.randomUUID();
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("abstract.ini", hello("""
                http-socket = @%s
                http-socket = 127.0.0.1:%d
                """.formatted(name, port)));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(v.log()).contains("setting abstract socket mode (warning: only Linux supports this)")
                .containsPattern("uwsgi socket 0 bound to UNIX address @" + name + " fd \\d+");
        assertThat(curl("--abstract-unix-socket", name, "http://localhost/")).isEqualTo("Hello from JWSGI\n");
        assertThat(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText()).isEqualTo("Hello from JWSGI\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.contains(name));
        }
    }

    @Test
    void aSharedSocketIsBoundOnceAndServedByTheOptionThatNamesIt() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("shared.ini", hello("""
                shared-socket = 127.0.0.1:%d
                http-socket = =0
                """.formatted(port)));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(v, port, START);
        assertThat(v.log()).containsPattern("uwsgi shared socket 0 bound to TCP address 127.0.0.1:" + port + " fd \\d+")
                .containsPattern("uwsgi socket 0 mapped to shared socket 0 \\(127.0.0.1:" + port + "\\) fd \\d+");
        assertThat(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText()).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void postBufferingHandsTheAppTheWholeBodyFromMemoryOrDisk() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("post.ini", hello("""
                http-socket = 127.0.0.1:%d
                post-buffering = 2097152
                body-read-warning = 1
                """.formatted(port)));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Path small = body("small.bin", 1000);
        Path large = body("large.bin", 3 << 20);
        Path out = dir.resolve("out.bin");
        String url = "http://127.0.0.1:" + port + "/echo";
        for (Path body : List.of(small, large)) {
            curl("--data-binary", "@" + body, "-o", out.toString(), url);
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(body));
            // chunked: the size is unknown until the end
            curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body, "-o", out.toString(), url);
            assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(body));
        }
        assertThat(v.log()).as("nothing over body-read-warning was held in memory").doesNotContain("[uwsgi-warning]");

        Path medium = body("medium.bin", 1536 << 10);
        curl("--data-binary", "@" + medium, "-o", out.toString(), url);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(medium));
        v.awaitLog(Pattern.compile(Pattern.quote("[uwsgi-warning] post-buffering holds 1 MB of request body in memory")),
                Duration.ofSeconds(10));
    }

    private Path body(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }
}
