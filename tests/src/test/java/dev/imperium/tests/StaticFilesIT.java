package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Static files served by a real vassal, fetched with curl: ranges, conditional requests, precompressed variants,
 * {@code Expires}, {@code static-map2}, {@code static-skip-ext}, and a large file whose bytes must arrive intact. The
 * same vassal file also runs under Debian's uWSGI, where installed, to compare the cases both answer alike.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaticFilesIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Instant TXT_MODIFIED = Instant.parse("2024-01-02T03:04:05Z");
    private static final int LARGE = 24 * 1024 * 1024 + 17;

    @TempDir
    static Path dir;

    /** The vassal and uWSGI, shared by the tests. */
    private static final Vassals VASSALS = new Vassals(() -> dir);
    private static int port;
    private static byte[] large;
    private static final String CSS = "body { color: #123456; }\n".repeat(40);
    private static final String TEXT = "hello world, this is a text file\n";

    @BeforeAll
    static void startVassal() throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("a.css"), CSS);
        Files.write(www.resolve("a.css.gz"), gzip(CSS.getBytes(StandardCharsets.US_ASCII)));
        Files.writeString(www.resolve("t.txt"), TEXT);
        Files.setLastModifiedTime(www.resolve("t.txt"), FileTime.from(TXT_MODIFIED));
        Files.writeString(www.resolve("page.php"), "<?php echo 'source'; ?>\n");
        large = new byte[LARGE];
        new Random(7).nextBytes(large);
        Files.write(www.resolve("large.bin"), large);
        Path map2 = Files.createDirectories(dir.resolve("tree/m2/sub"));
        Files.writeString(map2.resolve("x.txt"), "from static-map2\n");

        port = FreePorts.next();
        ManagedProcess vassal = VASSALS.start("static.ini", vassalFile(port));
        vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(vassal, port, START);
    }

    /** One file for both servers: uWSGI reads the plugins and the uwsgi.jar line, Imperium accepts them. */
    private static String vassalFile(int port) {
        return """
                [uwsgi]
                plugins = jvm,jwsgi
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                processes = 1
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                disable-logging = true
                honour-range = true
                static-map = /s=www
                static-map2 = /m2=tree
                static-skip-ext = .php
                static-gzip-all = true
                static-expires-type = text/css=3600
                static-expires-path-info-mtime = \\.txt$ 60
                """.formatted(port, UWSGI_JAR, Dist.helloJar());
    }

    @AfterAll
    static void stop() {
        VASSALS.close();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** What curl received: the last response's status and header lines, and the body file. */
    record Fetched(int status, List<String> headerLines, Path bodyFile) {
        String header(String name) {
            return headerLines.stream().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse(null);
        }

        byte[] body() {
            try {
                return Files.exists(bodyFile) ? Files.readAllBytes(bodyFile) : new byte[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return new String(body(), StandardCharsets.UTF_8);
        }
    }

    private static Fetched curl(int port, String path, String... options) throws Exception {
        Path headers = Files.createTempFile(dir, "headers", ".txt");
        Path body = Files.createTempFile(dir, "body", ".bin");
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-s", "-S", "--max-time", "30", "-D",
                headers.toString(), "-o", body.toString()));
        command.addAll(Arrays.asList(options));
        command.add("http://127.0.0.1:" + port + path);
        Process curl = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("curl.out").toFile()).start();
        if (!curl.waitFor(40, TimeUnit.SECONDS)) {
            curl.destroyForcibly().waitFor();
            throw new AssertionError("curl did not finish: " + command);
        }
        assertThat(curl.exitValue()).as("curl %s: %s", command, Files.readString(dir.resolve("curl.out")))
                .isZero();
        List<String> lines = Files.readAllLines(headers, StandardCharsets.ISO_8859_1);
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("HTTP/")) {
                start = i;
            }
        }
        List<String> last = lines.subList(start, lines.size()).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        int status = Integer.parseInt(last.getFirst().split(" ")[1]);
        return new Fetched(status, last.subList(1, last.size()), body);
    }

    private static Fetched curl(String path, String... options) throws Exception {
        return curl(port, path, options);
    }

    @Test
    void singleRangesSuffixRangesAnd416() throws Exception {
        Fetched part = curl("/s/large.bin", "-r", "1000-1999");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 1000-1999/" + LARGE);
        assertThat(part.header("Content-Length")).isEqualTo("1000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(large, 1000, 2000));

        Fetched middle = curl("/s/large.bin", "-r", "5000000-13000000");
        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.body()).as("a large range, sent by sendfile").isEqualTo(
                Arrays.copyOfRange(large, 5_000_000, 13_000_001));

        Fetched suffix = curl("/s/t.txt", "-r", "-5");
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes 28-32/33");
        assertThat(suffix.text()).isEqualTo("file\n");
        assertThat(suffix.header("Accept-Ranges")).isEqualTo("bytes");

        Fetched beyond = curl("/s/t.txt", "-r", "33-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */33");
        assertThat(beyond.body()).isEmpty();
    }

    @Test
    void severalRangesArriveAsMultipartByteranges() throws Exception {
        Fetched multi = curl("/s/large.bin", "-r", "0-9,1000000-1000009");
        assertThat(multi.status()).isEqualTo(206);
        String type = multi.header("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        byte[] body = multi.body();
        assertThat(Long.parseLong(multi.header("Content-Length"))).isEqualTo(body.length);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("--" + boundary + "\r\n").endsWith("\r\n--" + boundary + "--\r\n")
                .contains("Content-Range: bytes 0-9/" + LARGE + "\r\n\r\n"
                        + new String(large, 0, 10, StandardCharsets.ISO_8859_1) + "\r\n")
                .contains("Content-Range: bytes 1000000-1000009/" + LARGE + "\r\n\r\n"
                        + new String(large, 1_000_000, 10, StandardCharsets.ISO_8859_1) + "\r\n");
    }

    @Test
    void validatorsGive304AndAStaleIfRangeGetsTheWholeFile() throws Exception {
        Fetched first = curl("/s/t.txt");
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]+-21-[0-9a-f]+\"");
        assertThat(first.header("Last-Modified")).isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");

        Fetched byTag = curl("/s/t.txt", "-H", "If-None-Match: " + etag);
        assertThat(byTag.status()).isEqualTo(304);
        assertThat(byTag.header("ETag")).isEqualTo(etag);
        assertThat(byTag.body()).isEmpty();

        Fetched byDate = curl("/s/t.txt", "-z", "Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(byDate.status()).isEqualTo(304);

        Fetched newer = curl("/s/t.txt", "-H", "If-None-Match: \"other\"", "-z", "Tue, 02 Jan 2024 03:04:05 GMT");
        assertThat(newer.status()).as("If-None-Match wins over If-Modified-Since").isEqualTo(200);

        Fetched failed = curl("/s/t.txt", "-H", "If-Match: \"other\"");
        assertThat(failed.status()).isEqualTo(412);

        Fetched resumed = curl("/s/t.txt", "-r", "6-10", "-H", "If-Range: " + etag);
        assertThat(resumed.status()).isEqualTo(206);
        assertThat(resumed.text()).isEqualTo("world");
        Fetched stale = curl("/s/t.txt", "-r", "6-10", "-H", "If-Range: \"old\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.text()).isEqualTo(TEXT);

        Fetched head = curl("/s/t.txt", "-I");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("33");
        assertThat(head.header("ETag")).isEqualTo(etag);
    }

    @Test
    void aClientTakingGzipGetsTheGzFile() throws Exception {
        Fetched gz = curl("/s/a.css", "-H", "Accept-Encoding: gzip");
        assertThat(gz.status()).isEqualTo(200);
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.header("Content-Type")).isEqualTo("text/css");
        assertThat(gz.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gz.body()).isEqualTo(Files.readAllBytes(dir.resolve("www/a.css.gz")));

        Fetched decoded = curl("/s/a.css", "--compressed");
        assertThat(decoded.text()).isEqualTo(CSS);

        Fetched plain = curl("/s/a.css");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(plain.text()).isEqualTo(CSS);
        assertThat(plain.header("ETag")).isNotEqualTo(gz.header("ETag"));
    }

    @Test
    void expiresFromTheTypeOrFromTheModificationTime() throws Exception {
        Fetched css = curl("/s/a.css");
        DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US);
        long expires = ZonedDateTime.parse(css.header("Expires"), http).toEpochSecond();
        long date = ZonedDateTime.parse(css.header("Date"), http).toEpochSecond();
        assertThat(expires - date).isBetween(3599L, 3601L);

        Fetched txt = curl("/s/t.txt");
        assertThat(txt.header("Expires")).isEqualTo("Tue, 02 Jan 2024 03:05:05 GMT");
    }

    @Test
    void staticMap2KeepsTheWholePathAndSkippedExtensionsReachTheApp() throws Exception {
        Fetched map2 = curl("/m2/sub/x.txt");
        assertThat(map2.status()).isEqualTo(200);
        assertThat(map2.text()).isEqualTo("from static-map2\n");
        assertThat(curl("/m2/x.txt").status()).as("not under tree/m2/").isEqualTo(404);

        Fetched php = curl("/s/page.php");
        assertThat(php.status()).as("the app answers, not the static mapping").isEqualTo(404);
        assertThat(php.text()).doesNotContain("source");
    }

    @Test
    void aLargeFileArrivesIntact() throws Exception {
        Fetched whole = curl("/s/large.bin");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
        assertThat(sha256(Files.readAllBytes(whole.bodyFile()))).isEqualTo(sha256(large));

        Fetched slow = curl("/s/large.bin", "--limit-rate", "64M");
        assertThat(sha256(Files.readAllBytes(slow.bodyFile()))).as("a client slower than the disk").isEqualTo(
                sha256(large));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void answersAsDebiansUwsgiWhereBothFollowTheRfc() throws Exception {
        assumeTrue(Files.isExecutable(UWSGI) && Files.exists(UWSGI_JAR)
                        && Files.exists(Path.of("/usr/lib/uwsgi/plugins/jwsgi_plugin.so")),
                "Debian's uWSGI with its JVM plugins is not installed: no side-by-side comparison");
        int uwsgiPort = FreePorts.next();
        Path file = Files.writeString(dir.resolve("uwsgi.ini"), vassalFile(uwsgiPort));
        ManagedProcess uwsgi = VASSALS.start(ManagedProcess.builder("uwsgi",
                List.of(UWSGI.toString(), "--ini", file.toString())).directory(dir).log(dir.resolve("uwsgi.log"))
                .stopSignal("INT"));
        uwsgi.awaitLog(Pattern.compile("JWSGI app \"[^\"]+\" loaded"), START);
        Ports.awaitListening(uwsgi, uwsgiPort, START);

        List<List<String>> cases = List.of(
                List.of("/s/t.txt"),
                List.of("/s/t.txt", "-r", "0-4"),
                List.of("/s/t.txt", "-r", "-5"),
                List.of("/s/t.txt", "-r", "20-"),
                List.of("/s/t.txt", "-r", "33-"),
                List.of("/s/a.css", "-H", "Accept-Encoding: gzip"),
                List.of("/s/t.txt", "-z", "Tue, 02 Jan 2024 03:04:05 GMT"),
                List.of("/m2/sub/x.txt"));
        for (List<String> c : cases) {
            String[] options = c.subList(1, c.size()).toArray(String[]::new);
            Fetched ours = curl(port, c.getFirst(), options);
            Fetched theirs = curl(uwsgiPort, c.getFirst(), options);
            assertThat(ours.status()).as("status of %s", c).isEqualTo(theirs.status());
            for (String field : List.of("Content-Range", "Content-Encoding", "Content-Type", "Last-Modified")) {
                if (ours.status() != 304 || !field.equals("Last-Modified")) { // uWSGI's 304 has no fields at all
                    assertThat(ours.header(field)).as("%s of %s", field, c).isEqualTo(theirs.header(field));
                }
            }
            assertThat(ours.body()).as("body of %s", c).isEqualTo(theirs.body());
        }
    }
}
