package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code bin/vassal FILE} run alone, as {@code uwsgi FILE} is: the master, its workers, its signals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VassalIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private static String hello(String socket, String extra) {
        return "[uwsgi]\nhttp-socket = " + socket + "\nprocesses = 2\njvm-classpath = " + Dist.helloJar()
                + "\njwsgi = dev.imperium.samples.hello.HelloApp\n" + extra;
    }

    private static String blocking(String socket, String extra) {
        return "[uwsgi]\nhttp-socket = " + socket + "\njvm-classpath = " + Dist.testApps()
                + "\njwsgi = dev.imperium.tests.apps.BlockingApp\ndisable-logging = true\n" + extra;
    }

    /** Sends {@code /block} on its own thread; the future ends with the body once the test creates {@code release}. */
    private static CompletableFuture<String> block(int port, Path release) {
        CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> RawHttp.send(port,
                "GET /block?file=" + release + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(60)).bodyText());
        await("request in flight").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Path.of(release + ".entered")));
        return response;
    }

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    @Test
    void touchReloadReloadsGracefullyWhenTheFileIsTouched() throws Exception {
        int port = FreePorts.next();
        Path trigger = Files.writeString(dir.resolve("reload.trigger"), "");
        Files.setLastModifiedTime(trigger, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        ManagedProcess v = vassals.start("touch.ini", hello("127.0.0.1:" + port, "touch-reload = reload.trigger\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Set<Long> before = EmperorFixture.workers(v.pid());

        Files.setLastModifiedTime(trigger, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));

        v.awaitLog(Pattern.compile("\\*\\*\\* reload\\.trigger has been touched\\.\\.\\. grace them all !!! \\*\\*\\*"), Duration.ofSeconds(10));
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        await().atMost(Duration.ofSeconds(20)).until(() -> before.stream().noneMatch(Orphans::running));
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void addHeaderAndDelHeaderRewriteEveryResponse() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("headers.ini", hello("127.0.0.1:" + port,
                "add-header = X-Served-By: imperium\nadd-header = Connection: close\ndel-header = content-type\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);

        // a keep-alive request: the added Connection: close ends the connection after the response, as in uWSGI
        RawHttp.Response r = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", false, Duration.ofSeconds(10));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(r.headers()).extracting(java.util.Map.Entry::getKey).doesNotContain("Content-Type")
                .contains("X-Served-By", "Connection");
        assertThat(r.headers()).contains(java.util.Map.entry("X-Served-By", "imperium"),
                java.util.Map.entry("Connection", "close"));
    }

    @Test
    void maxRequestsRecyclesTheWorkerWithoutFailingARequest() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("recycle.ini", hello("127.0.0.1:" + port,
                "max-requests = 5\nmin-worker-lifetime = 0\ndisable-logging = true\n").replace("processes = 2",
                "processes = 1"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        long first = EmperorFixture.workers(v.pid()).iterator().next();

        for (int i = 0; i < 20; i++) {
            assertThat(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                    Duration.ofSeconds(30)).bodyText()).as("request %d", i).isEqualTo("Hello from JWSGI\n");
        }

        v.awaitLog(Pattern.compile("\\.\\.\\.The work of process " + first + " is done\\. Seeya!"), Duration.ofSeconds(10));
        v.awaitLog(Pattern.compile("Respawned uWSGI worker 1 \\(new pid: \\d+\\)"), Duration.ofSeconds(10));
        v.awaitLog(Pattern.compile("worker 1 killed successfully \\(pid: " + first + "\\)"), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> !Orphans.running(first));
        assertThat(v.log()).doesNotContain("DAMN");
        assertThat(Pattern.compile("is done\\. Seeya!").matcher(v.log()).results().count())
                .as("20 requests, 5 per worker").isGreaterThanOrEqualTo(3);
    }

    @Test
    void maxWorkerLifetimeRecyclesGracefullyAndReloadOnRssAfterARequest() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("lifetime.ini", hello("127.0.0.1:" + port,
                "max-worker-lifetime = 2\nmax-worker-lifetime-delta = 1\n").replace("processes = 2", "processes = 1"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        long first = EmperorFixture.workers(v.pid()).iterator().next();
        v.awaitLog(Pattern.compile("worker 1 lifetime reached, it was running for [3-9] second\\(s\\)"),
                Duration.ofSeconds(20));
        v.awaitLog(Pattern.compile("worker 1 killed successfully \\(pid: " + first + "\\)"), Duration.ofSeconds(30));
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
        assertThat(v.log()).doesNotContain("DAMN");
        v.close();

        // every JVM is above 1 MB: the first request recycles the worker, gracefully
        int rssPort = FreePorts.next();
        ManagedProcess rss = vassals.start("rss.ini", hello("127.0.0.1:" + rssPort,
                "reload-on-rss = 1\nmin-worker-lifetime = 0\n").replace("processes = 2", "processes = 1"));
        rss.awaitLog(Pattern.compile("generation 1 accepting"), START);
        long worker = EmperorFixture.workers(rss.pid()).iterator().next();
        assertThat(get(rssPort)).isEqualTo("Hello from JWSGI\n");
        rss.awaitLog(Pattern.compile("\\.\\.\\.The work of process " + worker + " is done\\. Seeya!"),
                Duration.ofSeconds(10));
        rss.awaitLog(Pattern.compile("Respawned uWSGI worker 1 \\(new pid: \\d+\\)"), Duration.ofSeconds(10));
        assertThat(get(rssPort)).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void evilReloadOnRssKillsAWorkerOverTheLimitAndRespawnsIt() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("evil.ini", hello("127.0.0.1:" + port, "evil-reload-on-rss = 1\n")
                .replace("processes = 2", "processes = 1"));
        v.awaitLog(Pattern.compile("\\*\\*\\* EVIL RELOAD ON WORKER 1 RSS: \\d+ \\(pid: \\d+\\) \\*\\*\\*"),
                Duration.ofSeconds(60));
        v.awaitLog(Pattern.compile("DAMN ! worker 1 \\(pid: \\d+\\) died, killed by signal 9"), Duration.ofSeconds(20));
    }

    @Test
    void harakiriKillsAWorkerStuckInARequestAndTheMasterRespawnsIt() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("stuck.ini", blocking("127.0.0.1:" + port, "harakiri = 2\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        long worker = EmperorFixture.workers(v.pid()).iterator().next();
        Path release = dir.resolve("never-released");
        long sent = System.nanoTime();
        CompletableFuture<String> stuck = CompletableFuture.supplyAsync(() -> RawHttp.send(port,
                "GET /block?file=" + release + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(60)).bodyText());
        await("request in flight").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Path.of(release + ".entered")));

        v.awaitLog(Pattern.compile("\\*\\*\\* HARAKIRI ON WORKER 1 \\(pid: " + worker
                + ", try: 1, graceful: no\\) \\*\\*\\*"), Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThan(Duration.ofSeconds(2));
        v.awaitLog(Pattern.compile("HARAKIRI \\[core 0\\] 127\\.0\\.0\\.1 - GET /block\\?file=\\S+ since \\d{10}"),
                Duration.ofSeconds(5));
        v.awaitLog(Pattern.compile("DAMN ! worker 1 \\(pid: " + worker + "\\) died, killed by signal 9 :\\( trying respawn"),
                Duration.ofSeconds(10));
        v.awaitLog(Pattern.compile("Respawned uWSGI worker 1 \\(new pid: \\d+\\)"), Duration.ofSeconds(10));
        assertThat(stuck).as("the stuck request's connection is closed without an answer")
                .failsWithin(Duration.ofSeconds(10));
        await().atMost(START).ignoreExceptions().until(() -> "ok\n".equals(get(port)));
        assertThat(Orphans.running(worker)).isFalse();
    }

    @Test
    void sighupReplacesTheWorkersAndSigtermStops() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("hello.ini", hello("127.0.0.1:" + port, ""));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
        Set<Long> before = EmperorFixture.workers(v.pid());
        assertThat(before).hasSize(2);

        v.signal("HUP");

        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        await().atMost(Duration.ofSeconds(20)).until(() -> before.stream().noneMatch(Orphans::running));
        assertThat(EmperorFixture.workers(v.pid())).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");

        v.signal("TERM");

        v.awaitLog(Pattern.compile("goodbye to uWSGI\\."), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void unixSocketWithPidfileLogtoAndVacuum() throws Exception {
        ManagedProcess v = vassals.start("unix.ini",
                hello("app.sock", "pidfile = vassal.pid\nlogto = vassal.log\nvacuum = true\n"));
        Path log = dir.resolve("vassal.log");
        await().atMost(START).until(() -> Files.exists(log) && Files.readString(log).contains("generation 1 accepting"));
        assertThat(Files.readString(dir.resolve("vassal.pid")).trim()).isEqualTo(Long.toString(v.pid()));
        assertThat(Files.readString(log)).contains("uwsgi socket 0 bound to UNIX address " + dir.resolve("app.sock"));

        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("app.sock")));
            ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: u\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (ch.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    break;
                }
            }
            assertThat(new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200 OK").endsWith("Hello from JWSGI\n");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("GET / => generated 17 bytes"));

        v.signal("TERM");

        await().atMost(Duration.ofSeconds(30)).until(() -> !v.isAlive());
        assertThat(dir.resolve("app.sock")).doesNotExist();
        assertThat(dir.resolve("vassal.pid")).doesNotExist();
        assertThat(Files.readString(log)).contains("VACUUM: pidfile removed.", "goodbye to uWSGI.");
    }

    @Test
    void portOnlyAddressBindsEveryInterface() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("any.ini", hello(":" + port, "processes = 1\n"));
        v.awaitLog(Pattern.compile("bound to TCP address 0\\.0\\.0\\.0:" + port), START);
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void sigintStopsAtOnce() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("hello.ini", hello("127.0.0.1:" + port, ""));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);

        v.signal("INT");

        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.log()).contains("SIGINT/SIGTERM received...killing workers...");
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void badFileIsRefusedNamingFileLineAndOption() throws Exception {
        ManagedProcess v = vassals.start("bad.ini",
                "[uwsgi]\nhttp-socket = 127.0.0.1:1\nwsgi-file = app.py\nharakri = 30\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).as("EX_CONFIG: a bad config").isEqualTo(78);
        assertThat(v.log())
                .containsPattern("bad\\.ini:3: unsupported: .*'wsgi-file'")
                .containsPattern("bad\\.ini:4: warning: .*'harakri'.*harakiri");
    }
    @Test
    void failedReloadKeepsServingClosesItsNewPortAndStillStops() throws Exception {
        int port = FreePorts.next();
        int next = FreePorts.next();
        ManagedProcess v = vassals.start("hello.ini", hello("127.0.0.1:" + port, "processes = 1\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);

        Files.writeString(dir.resolve("hello.ini"), hello("127.0.0.1:" + next, "processes = 1\njvm-opt = -Xbogus\n"));
        v.signal("HUP");

        v.awaitLog(Pattern.compile("reload failed: new worker 1 exited with code 1"), START);
        await("the failed generation's port is closed").atMost(Duration.ofSeconds(10))
                .until(() -> !Ports.isListening(next));
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");

        Files.writeString(dir.resolve("hello.ini"), hello("127.0.0.1:" + next, "processes = 1\n"));
        v.signal("HUP");

        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        assertThat(get(next)).isEqualTo("Hello from JWSGI\n");
        await("the old port is closed").atMost(Duration.ofSeconds(20)).until(() -> !Ports.isListening(port));

        Files.writeString(dir.resolve("hello.ini"), hello("127.0.0.1:" + next, "processes = 1\njvm-opt = -Xbogus\n"));
        v.signal("HUP");
        v.awaitLog(Pattern.compile("(?s)generation 2 accepting.*reload failed"), START);
        v.signal("TERM");

        v.awaitLog(Pattern.compile("goodbye to uWSGI\\."), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
    }

    @Test
    void gracefulStopDuringAReloadLetsTheOldGenerationFinishItsRequests() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("block.ini", blocking("127.0.0.1:" + port, "processes = 1\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Path release = dir.resolve("release");
        CompletableFuture<String> inFlight = block(port, release);

        v.signal("HUP");
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        v.signal("TERM");
        v.awaitLog(Pattern.compile("SIGTERM received"), Duration.ofSeconds(10));
        Files.writeString(release, "");

        assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo("released\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
    }

    @Test
    void aBusyWorkerLeavesNewConnectionsToAnIdleOne() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("block.ini", blocking("127.0.0.1:" + port, "processes = 2\nthreads = 1\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Path release = dir.resolve("release");
        CompletableFuture<String> inFlight = block(port, release);

        for (int i = 0; i < 20; i++) {
            assertThat(get(port)).as("request %d, served by the idle worker", i).isEqualTo("ok\n");
        }
        assertThat(inFlight).isNotDone();

        Files.writeString(release, "");
        assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo("released\n");
    }

    @Test
    void typedAppsAreStartedAndStoppedWithTheirWorkers() throws Exception {
        int port = FreePorts.next();
        Path lifecycle = dir.resolve("lifecycle.txt");
        ManagedProcess v = vassals.start("app.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nprocesses = 1\n"
                + "jvm-classpath = " + Dist.testApps() + "\nimperium-app = dev.imperium.tests.apps.LifecycleApp\n"
                + "env = LIFECYCLE_FILE=" + lifecycle + "\n");
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);

        v.signal("HUP");
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        await("the retired worker's app stopped").atMost(Duration.ofSeconds(20))
                .until(() -> Files.readAllLines(lifecycle).equals(List.of("start 1", "start 1", "stop 1")));
        v.signal("TERM");

        await().atMost(Duration.ofSeconds(30)).until(() -> !v.isAlive());
        assertThat(Files.readAllLines(lifecycle)).containsExactly("start 1", "start 1", "stop 1", "stop 1");
    }

    @Test
    void signalsWorkWhenStartedUnderNohup() throws Exception {
        int port = FreePorts.next();
        Files.writeString(dir.resolve("hello.ini"), hello("127.0.0.1:" + port, "processes = 1\n"));
        ManagedProcess v = vassals.start(ManagedProcess.builder("vassal",
                        List.of("nohup", Dist.bin("vassal").toString(), "hello.ini"))
                .directory(dir).log(dir.resolve("console.log")).env("JAVA_HOME", System.getProperty("java.home")));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);

        v.signal("HUP");

        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
    }

    @Test
    void ifReloadIsTrueAfterAReload() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("hello.ini", hello("127.0.0.1:" + port,
                "processes = 1\nif-reload =\nprocesses = 2\nendif =\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting: 1 worker"), START);

        v.signal("HUP");

        v.awaitLog(Pattern.compile("generation 2 accepting: 2 worker"), START);
    }
}
