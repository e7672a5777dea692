package dev.imperium.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imperium.tests.support.BlockingRequests;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vassal's uWSGI-compatible stats server ({@code stats = ADDR}) read as its users read it: a plain TCP read of the
 * whole document (what {@code uwsgitop} and {@code uwsgi_exporter} do), {@code curl} under {@code stats-http}, and a
 * UNIX stats socket; the counters move as a user expects, and the document has the members of a live
 * {@code uwsgi --stats} document side by side. (uwsgitop itself cannot be installed here: Debian has no package and
 * PyPI is out of reach; {@code StatsDocumentTest} checks the document field by field against recorded uWSGI ones.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatsServerIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path UWSGI = Path.of("/usr/bin/uwsgi");
    private static final Path UWSGI_JAR = Path.of("/usr/share/java/uwsgi.jar");
    private static final Path CURL = Path.of("/usr/bin/curl");

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private String vassalFile(int port, String stats, String extra) {
        return """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 2
                jvm-classpath = %s
                jwsgi = dev.imperium.tests.apps.BlockingApp
                stats = %s
                """.formatted(port, Dist.testApps(), stats) + extra;
    }

    /**
     * One file for Imperium and for Debian's uWSGI, with the hello sample (built for uWSGI's Java 17): uWSGI reads
     * the plugins and the uwsgi.jar line.
     */
    private static String bothServersFile(int port, String stats) {
        return """
                [uwsgi]
                plugins = jvm,jwsgi
                master = true
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                processes = 2
                jvm-classpath = %s
                jvm-classpath = %s
                jwsgi = dev/imperium/samples/hello/HelloApp
                stats = %s
                """.formatted(port, UWSGI_JAR, Dist.helloJar(), stats);
    }

    private ManagedProcess start(String content) {
        ManagedProcess vassal = vassals.start("v.ini", content);
        vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
        return vassal;
    }

    /** Reads the whole document from a TCP stats server, as uwsgitop does. */
    private static String read(int statsPort) {
        return Ports.readAll(statsPort, Duration.ofSeconds(10));
    }

    private static JsonNode stats(int statsPort) throws IOException {
        return JSON.readTree(read(statsPort));
    }

    private static long sum(JsonNode doc, ToLongFunction<JsonNode> field) {
        long total = 0;
        for (JsonNode worker : doc.get("workers")) {
            total += field.applyAsLong(worker);
        }
        return total;
    }

    private static long coreSum(JsonNode doc, String name) {
        return sum(doc, w -> {
            long n = 0;
            for (JsonNode core : w.get("cores")) {
                n += core.get(name).asLong();
            }
            return n;
        });
    }

    private RawHttp.Response get(int port, String path) {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(15));
    }

    @Test
    void theCountersMoveAsRequestsAreServedAndSurviveAReload() throws Exception {
        int port = FreePorts.next();
        int statsPort = FreePorts.next();
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.write(www.resolve("big.bin"), new byte[10_000]);
        ManagedProcess v = start(vassalFile(port, "127.0.0.1:" + statsPort, "static-map = /static=www\n"
                + "route = ^/gone$ return:404\n"));
        v.awaitLog(Pattern.compile(Pattern.quote("*** Stats server enabled on 127.0.0.1:" + statsPort + " fd: ")
                + "\\d+ \\*\\*\\*"), SOON);

        String text = read(statsPort);
        assertThat(text).as("tab-indented, as uWSGI's").startsWith("{\n\t\"version\":").endsWith("\n}");
        JsonNode doc = JSON.readTree(text);
        assertThat(doc.get("pid").asLong()).isEqualTo(v.pid());
        assertThat(doc.at("/sockets/0/name").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(doc.at("/sockets/0/proto").asText()).isEqualTo("http");
        assertThat(doc.at("/sockets/0/max_queue").asLong()).as("the kernel's accept queue size").isEqualTo(100);
        Set<Long> workerPids = EmperorFixture.workers(v.pid());
        assertThat(doc.get("workers")).hasSize(2);
        for (JsonNode w : doc.get("workers")) {
            assertThat(workerPids).contains(w.get("pid").asLong());
            assertThat(w.get("accepting").asLong()).isEqualTo(1);
            assertThat(w.get("status").asText()).isEqualTo("idle");
            assertThat(w.get("respawn_count").asLong()).isEqualTo(1);
            assertThat(w.get("rss").asLong()).as("resident memory of a worker JVM").isGreaterThan(10_000_000);
            assertThat(w.get("requests").asLong()).isZero();
        }

        for (int i = 0; i < 3; i++) {
            assertThat(get(port, "/").status()).isEqualTo(200);
        }
        assertThat(get(port, "/gone").status()).isEqualTo(404);
        assertThat(get(port, "/static/big.bin").body()).hasSize(10_000);
        assertThat(get(port, "/block?file=/nonexistent-dir/x").status()).as("the app fails").isEqualTo(500);

        JsonNode after = stats(statsPort);
        assertThat(sum(after, w -> w.get("requests").asLong())).isEqualTo(6);
        assertThat(sum(after, w -> w.get("delta_requests").asLong())).isEqualTo(6);
        assertThat(coreSum(after, "requests")).isEqualTo(6);
        assertThat(sum(after, w -> w.get("exceptions").asLong())).as("the app's failure").isEqualTo(1);
        assertThat(coreSum(after, "routed_requests")).as("route = ^/gone$ return:404").isEqualTo(1);
        assertThat(coreSum(after, "static_requests")).isEqualTo(1);
        assertThat(sum(after, w -> w.get("tx").asLong())).as("bytes sent, heads included")
                .isBetween(10_000L + 6 * 20, 10_000L + 6 * 300);
        assertThat(sum(after, w -> w.get("running_time").asLong())).as("microseconds serving").isPositive();
        for (JsonNode w : after.get("workers")) {
            if (w.get("requests").asLong() > 0) {
                assertThat(w.get("avg_rt").asLong()).isPositive();
            }
        }

        // a request in flight: its worker is busy, its core shows the request
        Path release = dir.resolve("release");
        CompletableFuture<RawHttp.Response> blocked = BlockingRequests.block(port, release, SOON);
        JsonNode busy = stats(statsPort);
        List<JsonNode> busyWorkers = new ArrayList<>();
        busy.get("workers").forEach(w -> {
            if (w.get("status").asText().equals("busy")) {
                busyWorkers.add(w);
            }
        });
        assertThat(busyWorkers).hasSize(1);
        JsonNode core = busyWorkers.getFirst().at("/cores/0");
        assertThat(core.get("in_request").asLong()).isEqualTo(1);
        assertThat(core.get("vars").toString()).contains("\"REQUEST_URI=/block?file=" + release + "\"");
        assertThat(core.at("/req_info/request_start").asLong())
                .isBetween(System.currentTimeMillis() / 1000 - 30, System.currentTimeMillis() / 1000 + 1);
        Files.writeString(release, "");
        assertThat(blocked.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        await().atMost(SOON).until(() -> sum(stats(statsPort), w -> w.get("status").asText().equals("idle") ? 1 : 0)
                == 2);

        // a graceful reload replaces the workers; their counters stay with their slots
        v.signal("HUP");
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        await().atMost(SOON).until(() -> sum(stats(statsPort), w -> w.get("respawn_count").asLong()) == 4);
        JsonNode reloaded = stats(statsPort);
        assertThat(sum(reloaded, w -> w.get("requests").asLong())).as("totals since the master started")
                .isEqualTo(7);
        assertThat(sum(reloaded, w -> w.get("delta_requests").asLong())).as("the new workers served none").isZero();
        assertThat(sum(reloaded, w -> w.get("exceptions").asLong())).isEqualTo(1);
        await().atMost(SOON).until(() -> EmperorFixture.workers(v.pid()).size() == 2);
    }

    @Test
    void statsHttpMinifiedOnAUnixSocketServesCurl() throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed");
        int port = FreePorts.next();
        ManagedProcess v = start(vassalFile(port, "stats.sock", "stats-http = true\nstats-minified = true\n"));
        v.awaitLog(Pattern.compile(Pattern.quote("*** Stats server enabled on stats.sock fd: ")), SOON);
        assertThat(get(port, "/").status()).isEqualTo(200);

        Process curl = new ProcessBuilder(CURL.toString(), "-s", "-S", "-i", "--max-time", "10", "--unix-socket",
                dir.resolve("stats.sock").toString(), "http://localhost/").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(out).startsWith("HTTP/1.0 200 OK\r\n").contains("Content-Type: application/json\r\n");
        String body = out.substring(out.indexOf("\r\n\r\n") + 4);
        assertThat(body).as("minified").startsWith("{\"version\":").doesNotContain("\n", "\t");
        JsonNode doc = JSON.readTree(body);
        assertThat(doc.at("/sockets/0/proto").asText()).isEqualTo("http");
        assertThat(sum(doc, w -> w.get("requests").asLong())).isEqualTo(1);
    }

    @Test
    void theDocumentHasTheMembersOfALiveUwsgiDocument() throws Exception {
        assumeTrue(Files.isExecutable(UWSGI) && Files.exists(UWSGI_JAR)
                        && Files.exists(Path.of("/usr/lib/uwsgi/plugins/jwsgi_plugin.so")),
                "Debian's uWSGI with its JVM plugins is not installed: no side-by-side comparison");
        int port = FreePorts.next();
        int statsPort = FreePorts.next();
        start(bothServersFile(port, "127.0.0.1:" + statsPort));
        int uwsgiPort = FreePorts.next();
        int uwsgiStats = FreePorts.next();
        Path file = Files.writeString(dir.resolve("uwsgi.ini"),
                bothServersFile(uwsgiPort, "127.0.0.1:" + uwsgiStats));
        ManagedProcess uwsgi = vassals.start(ManagedProcess.builder("uwsgi",
                List.of(UWSGI.toString(), "--ini", file.toString())).directory(dir).log(dir.resolve("uwsgi.log"))
                .stopSignal("INT"));
        uwsgi.awaitLog(Pattern.compile("JWSGI app \"[^\"]+\" loaded"), START);
        Ports.awaitListening(uwsgi, uwsgiPort, START);
        assertThat(get(port, "/").status()).isEqualTo(200);
        assertThat(get(uwsgiPort, "/").status()).isEqualTo(200);

        String theirsText = read(uwsgiStats);
        String oursText = read(statsPort);
        JsonNode theirs = JSON.readTree(theirsText);
        JsonNode ours = JSON.readTree(oursText);
        List<String> differences = new ArrayList<>();
        List<String> emptyHere = new ArrayList<>();
        compare("", theirs, ours, differences, emptyHere);
        assertThat(differences).as("members missing, extra, out of order or of another type than uWSGI's").isEmpty();
        assertThat(emptyHere).as("lists Imperium leaves empty by design").isSubsetOf("/locks");
        assertThat(theirs.at("/workers/0/apps").isEmpty()).as("uWSGI's JVM plugin registers no app either").isTrue();
        assertThat(sum(ours, w -> w.get("requests").asLong())).isEqualTo(sum(theirs, w -> w.get("requests").asLong()));
        assertThat(oursText.split("\n")[1]).as("the same layout").startsWith("\t\"version\":");
        assertThat(theirsText.split("\n")[1]).startsWith("\t\"version\":");
    }

    /** Compares key sets, their order and value types, recursively; lists by their first element. */
    private static void compare(String path, JsonNode uwsgi, JsonNode ours, List<String> differences,
            List<String> emptyHere) {
        if (uwsgi.getNodeType() != ours.getNodeType()) {
            differences.add(path + ": uWSGI has " + uwsgi.getNodeType() + ", Imperium " + ours.getNodeType());
            return;
        }
        if (uwsgi.isObject()) {
            List<String> theirs = names(uwsgi);
            List<String> mine = names(ours);
            if (!theirs.equals(mine)) {
                differences.add(path + ": uWSGI members " + theirs + ", Imperium " + mine);
            }
            for (String name : theirs) {
                if (ours.has(name)) {
                    compare(path + "/" + name, uwsgi.get(name), ours.get(name), differences, emptyHere);
                }
            }
        } else if (uwsgi.isArray() && !uwsgi.isEmpty()) {
            if (ours.isEmpty()) {
                emptyHere.add(path);
            } else {
                compare(path + "/0", uwsgi.get(0), ours.get(0), differences, emptyHere);
            }
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
