package dev.imperium.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vassal's log as uWSGI users configure it (uwsgi-docs "Logging", "LogFormat"), on real vassals: the
 * {@code log-format} variables (compared with Debian's uWSGI on the same request), {@code log-maxsize} rotation under
 * load without a lost or split line, {@code touch-logreopen} after a logrotate-style move, {@code req-logger} to a
 * file, loggers sending RFC 5424 datagrams to a UDP listener, {@code log-4xx}/{@code log-5xx}/{@code log-slow} under
 * {@code disable-logging} with {@code log-date}, {@code logto2}; and the emperor's log: each vassal's lines tagged
 * with its name, and JSON lines for log shippers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoggingIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(15);
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path JVM_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/jvm_plugin.so");
    private static final Path JWSGI_PLUGIN = Path.of("/usr/lib/uwsgi/plugins/jwsgi_plugin.so");
    private static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private static String hello(int port, String extra) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nprocesses = 1\njvm-classpath = " + Dist.helloJar()
                + "\njwsgi = dev.imperium.samples.hello.HelloApp\n" + extra;
    }

    private static String blocking(int port, String extra) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nprocesses = 1\njvm-classpath = " + Dist.testApps()
                + "\njwsgi = dev.imperium.tests.apps.BlockingApp\n" + extra;
    }

    private static RawHttp.Response get(int port, String target) {
        return RawHttp.send(port, "GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(15));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code file} exists and matches {@code regex}. */
    private static void awaitIn(Path file, String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        await(file.getFileName() + " matches " + regex).atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> p.matcher(read(file)).find());
    }

    /** Returns every line of the files in the test directory whose name starts with {@code prefix}. */
    private List<String> linesOf(String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }

    private List<Path> filesOf(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    @Test
    void logFormatFieldsMatchDebiansUwsgiOnTheSameRequest() throws Exception {
        for (Path needed : List.of(UWSGI, JVM_PLUGIN, JWSGI_PLUGIN, UWSGI_JAR)) {
            assumeTrue(Files.exists(needed), needed + " is not installed (apt-get install uwsgi-core "
                    + "uwsgi-plugin-jwsgi-openjdk-17)");
        }
        String format = "LF|%(addr)|%(user)|%(method)|%(uri)|%(proto)|%(status)|%(rsize)|%(referer)|%(uagent)|%(host)"
                + "|%(cl)|%(var.HTTP_X_FOO)|%(vars)|%(pktsize)|%(wid)|%(core)|%(modifier1)|%(nolv)|%(ltime)|%(ctime)"
                + "|%(time)|%(secs)|%(msecs)|%(micros)|%(pid)|%(headers)|%(hsize)|%(size)";
        int uwsgiPort = FreePorts.next();
        int imperiumPort = FreePorts.next();
        String file = """
                [uwsgi]
                plugins = jvm,jwsgi
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                master = true
                processes = 1
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                log-format = %s
                """;
        Files.writeString(dir.resolve("uwsgi.ini"), file.formatted(uwsgiPort, UWSGI_JAR, Dist.helloJar(), format));
        ManagedProcess uwsgi = vassals.start(ManagedProcess.builder("uwsgi",
                        List.of(UWSGI.toString(), "--ini", dir.resolve("uwsgi.ini").toString()))
                .directory(dir).log(dir.resolve("uwsgi.log")).stopSignal("INT"));
        ManagedProcess imperium = vassals.start("imperium.ini",
                file.formatted(imperiumPort, UWSGI_JAR, Dist.helloJar(), format));
        Ports.awaitListening(uwsgi, uwsgiPort, START);
        imperium.awaitLog(Pattern.compile("generation 1 accepting"), START);

        Map<String, String[]> fields = new java.util.HashMap<>();
        for (Map.Entry<String, Integer> server : Map.of("uwsgi", uwsgiPort, "imperium", imperiumPort).entrySet()) {
            ManagedProcess process = server.getKey().equals("uwsgi") ? uwsgi : imperium;
            int port = server.getValue();
            RawHttp.Response r = RawHttp.send(port, ("POST /?q=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUser-Agent: logging-it\r\nReferer: http://ref.example/\r\nX-Foo: bar\r\n"
                    + "Content-Length: 5\r\nConnection: close\r\n\r\nhello"), false, Duration.ofSeconds(15));
            assertThat(r.status()).isEqualTo(200);
            process.awaitLog(Pattern.compile("(?m)^LF\\|.*$"), SOON);
            Matcher m = Pattern.compile("(?m)^LF\\|.*$").matcher(process.log());
            assertThat(m.find()).isTrue();
            fields.put(server.getKey(), m.group().split("\\|", -1));
        }
        String[] u = fields.get("uwsgi");
        String[] i = fields.get("imperium");
        assertThat(i).hasSameSizeAs(u);
        // addr user method uri proto status rsize referer uagent, the host but for the port, cl, a request var, the
        // vars count, the vars block size (same port length), wid, core, modifier1, an unset log var
        for (int f : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 18}) {
            assertThat(i[f]).as("field %d of\n%s\n%s", f, String.join("|", u), String.join("|", i)).isEqualTo(u[f]);
        }
        assertThat(i[10]).isEqualTo("127.0.0.1:" + imperiumPort);
        assertThat(u[10]).isEqualTo("127.0.0.1:" + uwsgiPort);
        if (Integer.toString(uwsgiPort).length() == Integer.toString(imperiumPort).length()) {
            assertThat(i[14]).as("the vars block size").isEqualTo(u[14]);
        }
        assertThat(i[17]).as("%(modifier1): http-socket-modifier1").isEqualTo("8");
        assertThat(i[18]).as("an unset log variable").isEqualTo("-");
        // times: the same forms as uWSGI's, and the same moment within a few seconds
        assertThat(i[19]).matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
        assertThat(i[20]).matches("[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}").hasSize(24);
        assertThat(Long.parseLong(i[21])).isCloseTo(Long.parseLong(u[21]), org.assertj.core.data.Offset.offset(30L));
        assertThat(i[22]).matches("\\d+\\.\\d{6}");
        assertThat(u[22]).matches("\\d+\\.\\d{6}");
        assertThat(Long.parseLong(i[23])).isEqualTo(Long.parseLong(i[24]) / 1000);
        assertThat(Long.parseLong(i[25])).as("a worker's pid").isNotEqualTo(imperium.pid());
        // the response head differs on purpose (Imperium frames with Content-Length): size = hsize + rsize
        assertThat(Long.parseLong(i[28])).isEqualTo(Long.parseLong(i[27]) + Long.parseLong(i[7]));
    }

    @Test
    void logMaxsizeRotatesUnderLoadWithoutLosingOrSplittingALine() throws Exception {
        int port = FreePorts.next();
        vassals.start("rotate.ini", blocking(port, """
                processes = 2
                logto = app.log
                log-maxsize = 16384
                log-format = req %(uri) %(status) core=%(core)
                """));
        Path log = dir.resolve("app.log");
        awaitIn(log, "generation 1 accepting", START);

        long sent;
        try (LoadLoop load = LoadLoop.start(port, "/load", 4, 2, Duration.ofSeconds(40))) {
            await("4000 requests").atMost(Duration.ofSeconds(40)).until(() -> load.ok() >= 4000);
            load.stop();
            assertThat(load.failures()).isEmpty();
            sent = load.ok();
        }
        await("a line per request across the rotated files").atMost(SOON).pollInterval(Duration.ofMillis(100))
                .until(() -> linesOf("app.log").stream().filter(l -> l.startsWith("req ")).count() == sent);

        List<String> lines = linesOf("app.log");
        assertThat(lines.stream().filter(l -> l.startsWith("req") || l.contains("/load") || l.contains("core=")))
                .as("no line split or merged").allMatch(l -> l.matches("req /load 200 core=0"));
        List<Path> files = filesOf("app.log");
        assertThat(files).as("rotated files").hasSizeGreaterThanOrEqualTo(4);
        for (Path f : files) {
            if (!f.equals(log)) {
                assertThat(Files.size(f)).as("%s ends just past log-maxsize", f).isBetween(16384L, 16384L + 4096);
                assertThat(Files.readString(f)).contains("triggering rotation to " + f);
            }
        }
    }

    @Test
    void touchLogreopenReopensTheLogAfterAnExternalMoveAndTouchLogrotateRotatesIt() throws Exception {
        int port = FreePorts.next();
        Path trigger = Files.writeString(dir.resolve("reopen.trigger"), "");
        Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path rotate = Files.writeString(dir.resolve("rotate.trigger"), "");
        Files.setLastModifiedTime(rotate, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        vassals.start("reopen.ini", hello(port, "logto = app.log\ntouch-logreopen = reopen.trigger\n"
                + "touch-logrotate = rotate.trigger\n"));
        Path log = dir.resolve("app.log");
        awaitIn(log, "generation 1 accepting", START);
        assertThat(get(port, "/before").status()).isEqualTo(404);
        awaitIn(log, "GET /before", SOON);

        Path moved = dir.resolve("app.log.1"); // what logrotate does, before it tells the server
        Files.move(log, moved);
        Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis()));

        awaitIn(log, Pattern.quote(log + " reopened."), SOON);
        assertThat(get(port, "/after").status()).isEqualTo(404);
        awaitIn(log, "GET /after", SOON);
        assertThat(read(moved)).contains("GET /before", "triggering log-reopen...").doesNotContain("GET /after");

        Files.setLastModifiedTime(rotate, FileTime.fromMillis(System.currentTimeMillis()));
        Pattern rotatedName = Pattern.compile("app\\.log\\.\\d{6,}");
        await("a rotated file").atMost(SOON).until(() -> filesOf("app.log.").stream()
                .anyMatch(p -> rotatedName.matcher(p.getFileName().toString()).matches()));
        Path rotated = filesOf("app.log.").stream()
                .filter(p -> rotatedName.matcher(p.getFileName().toString()).matches()).findFirst().orElseThrow();
        assertThat(read(rotated)).contains("GET /after", "triggering rotation to " + rotated);
        assertThat(get(port, "/rotated").status()).isEqualTo(404);
        awaitIn(log, "GET /rotated", SOON);
        assertThat(read(log)).doesNotContain("GET /after");
    }

    @Test
    void reqLoggerWritesRequestLinesToTheirOwnFile() throws Exception {
        int port = FreePorts.next();
        vassals.start("req.ini", hello(port, "logto = main.log\nreq-logger = file:access.log\n"));
        Path main = dir.resolve("main.log");
        Path access = dir.resolve("access.log");
        awaitIn(main, "generation 1 accepting", START);
        assertThat(get(port, "/").status()).isEqualTo(200);
        assertThat(get(port, "/missing").status()).isEqualTo(404);

        awaitIn(access, "GET /missing => generated", SOON);
        assertThat(read(access).lines()).hasSize(2).allMatch(l -> l.startsWith("[pid: "));
        assertThat(read(main)).contains("spawned uWSGI worker 1").doesNotContain("GET /");
    }

    @Test
    void loggersSendRfc5424DatagramsToAUdpListener() throws Exception {
        int port = FreePorts.next();
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(200);
            List<String> received = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[4096];
                while (!listener.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    try {
                        listener.receive(packet);
                        received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            String address = "127.0.0.1:" + listener.getLocalPort();
            ManagedProcess v = vassals.start("syslog.ini", hello(port, "imperium-syslog-format = rfc5424\n"
                    + "logger = rsyslog:" + address + ",webapp\nreq-logger = rsyslog:" + address + ",webapp\n"
                    + "log-format = %(method) %(uri) %(status)\n"));
            Pattern frame = Pattern.compile("<29>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d "
                    + "\\S+ webapp (\\d+) - - (.*)");
            await("the master's lines as datagrams").atMost(START)
                    .until(() -> received.stream().anyMatch(d -> d.contains("generation 1 accepting")));
            assertThat(get(port, "/over-syslog").status()).isEqualTo(404);
            await("the request line").atMost(SOON)
                    .until(() -> received.stream().anyMatch(d -> d.endsWith("GET /over-syslog 404")));

            assertThat(received).allMatch(d -> frame.matcher(d).matches());
            String master = received.stream().filter(d -> d.contains("generation 1 accepting")).findFirst().orElseThrow();
            String request = received.stream().filter(d -> d.endsWith("GET /over-syslog 404")).findFirst().orElseThrow();
            Matcher m = frame.matcher(master);
            assertThat(m.matches()).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("PROCID: the master").isEqualTo(v.pid());
            m = frame.matcher(request);
            assertThat(m.matches()).isTrue();
            assertThat(EmperorFixture.workers(v.pid())).as("PROCID: the worker that served it")
                    .contains(Long.parseLong(m.group(1)));
            assertThat(v.log()).as("the loggers replace standard error").doesNotContain("generation 1 accepting");
            listener.close();
            reader.join(5000);
        }
    }

    @Test
    void disableLoggingStillLogs4xx5xxAndSlowRequestsAndLogDatePrefixesServerLines() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("cond.ini", blocking(port, """
                disable-logging = true
                log-4xx = true
                log-5xx = true
                log-slow = 300
                log-format = REQ %(uri) %(status)
                log-date = %%Y-%%m-%%d
                route = ^/teapot return:418
                route = ^/boom return:503
                """));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);

        assertThat(get(port, "/fast").status()).isEqualTo(200);
        assertThat(get(port, "/teapot").status()).isEqualTo(418);
        assertThat(get(port, "/boom").status()).isEqualTo(503);
        assertThat(get(port, "/sleep?ms=50").status()).isEqualTo(200);
        assertThat(get(port, "/sleep?ms=400").status()).isEqualTo(200);

        v.awaitLog(Pattern.compile("REQ /sleep\\?ms=400 200"), SOON);
        List<String> requests = v.log().lines().filter(l -> l.contains("REQ ")).toList();
        assertThat(requests).containsExactly("REQ /teapot 418", "REQ /boom 503", "REQ /sleep?ms=400 200");
        assertThat(v.log()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d - spawned uWSGI worker 1 \\(pid: \\d+")
                .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d - \\*\\*\\* generation 1 accepting");
    }

    @Test
    void logto2BelongsToTheWorkersUser() throws Exception {
        assumeTrue(Files.getOwner(dir).getName().equals("root"), "needs root");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Dist.helloJar(), dir.resolve("hello.jar"));
        int port = FreePorts.next();
        vassals.start("owned.ini", """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                uid = nobody
                gid = nogroup
                logto2 = owned.log
                """.formatted(port, jar), b -> b.withoutEnv(ManagedProcess.Builder.ALLOW_ROOT));
        Path log = dir.resolve("owned.log");
        awaitIn(log, "generation 1 accepting", START);
        assertThat(get(port, "/").status()).isEqualTo(200);
        awaitIn(log, "GET / => generated", SOON);
        assertThat(Files.getOwner(log).getName()).isEqualTo("nobody");
        assertThat(read(log)).contains("setuid() to");
    }

    @Test
    void theEmperorTagsEachVassalsLinesWithItsName() throws Exception {
        try (EmperorFixture emperor = EmperorFixture.start(dir.resolve("tags"))) {
            int a = FreePorts.next();
            int b = FreePorts.next();
            emperor.deploy("a.ini", hello(a, ""));
            emperor.deploy("b.ini", hello(b, ""));
            emperor.awaitGeneration("a.ini", 1, START);
            emperor.awaitGeneration("b.ini", 1, START);
            assertThat(get(a, "/from-a").status()).isEqualTo(404);
            assertThat(get(b, "/from-b").status()).isEqualTo(404);

            emperor.awaitLog("(?m)^\\[a\\.ini] \\[pid: \\d+\\|app: 0\\|req: 1/1] .* GET /from-a => generated", SOON);
            emperor.awaitLog("(?m)^\\[b\\.ini] \\[pid: \\d+\\|app: 0\\|req: 1/1] .* GET /from-b => generated", SOON);
            assertThat(emperor.log()).containsPattern("(?m)^\\[a\\.ini] spawned uWSGI worker 1")
                    .containsPattern("(?m)^\\[b\\.ini] spawned uWSGI worker 1")
                    .doesNotContainPattern("(?m)^\\[a\\.ini] .*GET /from-b")
                    .containsPattern("(?m)^\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} - \\[emperor] vassal a\\.ini "
                            + "has been spawned");
        }
    }

    @Test
    void theEmperorWritesJsonLinesForLogShippers() throws Exception {
        try (EmperorFixture emperor = EmperorFixture.start(dir.resolve("json"), "--log-format", "json")) {
            int port = FreePorts.next();
            emperor.deploy("app.ini", hello(port, ""));
            long master = emperor.awaitGeneration("app.ini", 1, START);
            assertThat(get(port, "/shipped").status()).isEqualTo(404);
            emperor.awaitLog("GET /shipped => generated", SOON);

            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : emperor.log().lines().toList()) {
                lines.add(json.readTree(line)); // every line is one JSON object
            }
            assertThat(lines).allSatisfy(l -> {
                assertThat(l.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d");
                assertThat(l.get("source").asText()).isIn("emperor", "vassal");
                assertThat(l.get("stream").asText()).isIn("stdout", "stderr");
                assertThat(l.get("pid").asLong()).isPositive();
                assertThat(l.has("message")).isTrue();
            });
            JsonNode request = lines.stream().filter(l -> l.get("message").asText().contains("GET /shipped"))
                    .findFirst().orElseThrow();
            assertThat(request.get("source").asText()).isEqualTo("vassal");
            assertThat(request.get("vassal").asText()).isEqualTo("app.ini");
            assertThat(request.get("pid").asLong()).as("the vassal's master").isEqualTo(master);
            assertThat(request.get("message").asText()).startsWith("[pid: ");
            JsonNode spawned = lines.stream().filter(l -> l.get("message").asText()
                    .equals("[emperor] vassal app.ini has been spawned")).findFirst().orElseThrow();
            assertThat(spawned.get("source").asText()).isEqualTo("emperor");
            assertThat(spawned.has("vassal")).isFalse();
            assertThat(spawned.get("pid").asLong()).isEqualTo(emperor.process().pid());
        }
    }
}
