package dev.imperium.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real curl against a listener on 127.0.0.1. Skipped when /usr/bin/curl is missing. */
@Timeout(60)
class CurlInteropTest {
    private static final Path CURL = Path.of("/usr/bin/curl");

    private final TestHandler handler = new TestHandler();
    private TestServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed");
        server = TestServer.tcp(handler);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Runs curl with the arguments and returns its stdout; fails on a non-zero exit. */
    private String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--noproxy", "*", "--max-time", "20"));
        command.addAll(List.of(args));
        Path out = dir.resolve("curl.out");
        Path err = dir.resolve("curl.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("curl did not finish: " + command);
        }
        String stderr = Files.readString(err);
        assertThat(process.exitValue()).as("curl exit code; stderr: %s", stderr).isZero();
        return Files.readString(out, StandardCharsets.ISO_8859_1);
    }

    @Test
    void chunkedUploadIsEchoed() throws Exception {
        byte[] data = new byte[300_000];
        new Random(42).nextBytes(data);
        Path upload = Files.write(dir.resolve("upload.bin"), data);
        Path echoed = dir.resolve("echoed.bin");
        Path headers = dir.resolve("headers.txt");
        long start = System.nanoTime();
        curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + upload, "-D", headers.toString(),
                "-o", echoed.toString(), url("/echo"));
        assertThat(Files.readAllBytes(echoed)).isEqualTo(data);
        assertThat(Files.readString(headers)).startsWith("HTTP/1.1 200 OK\r\n").contains("X-Chunked: true\r\n");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("100 Continue spares curl its 1 s wait").isLessThan(900);
    }

    @Test
    void http10RequestGetsAnHttp10Answer() throws Exception {
        String out = curl("--http1.0", "-D", "-", url("/hello"));
        assertThat(out).startsWith("HTTP/1.0 200 OK\r\n").contains("Content-Length: 5\r\n").endsWith("\r\n\r\nhello");
    }

    @Test
    void headRequestShowsTheFields() throws Exception {
        String out = curl("-I", url("/hello"));
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 5\r\n")
                .contains("Content-Type: text/plain\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void twoUrlsReuseOneConnection() throws Exception {
        String out = curl("-w", "[%{http_code} %{num_connects}]", url("/hello"), url("/stream"));
        assertThat(out).isEqualTo("hello[200 1]part1,part2[200 0]");
    }
}
