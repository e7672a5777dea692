package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker pool of a vassal run alone: {@code cheaper} scaling up under load and back down, {@code idle} putting
 * it to sleep and the next connection waking it, {@code die-on-idle}, and {@code threads} on platform or virtual
 * threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheaperIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private static String app(int port, String extra) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\njvm-classpath = " + Dist.testApps()
                + "\njwsgi = dev.imperium.tests.apps.ThreadApp\ndisable-logging = true\n" + extra;
    }

    /**
     * Sends {@code /block} on a thread of its own (not the common pool, which may have one thread); the future ends
     * with the body once the test creates {@code release}.
     */
    private static CompletableFuture<String> block(int port, Path release) {
        CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> RawHttp.send(port,
                "GET /block?file=" + release + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(60)).bodyText(), r -> Thread.ofVirtual().start(r));
        await("request in flight").atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(Path.of(release + ".entered")));
        return response;
    }

    private static String get(int port, String path) {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(30)).bodyText();
    }

    private static long count(ManagedProcess v, String regex) {
        return Pattern.compile(regex).matcher(v.log()).results().count();
    }

    @Test
    void spareAddsAWorkerWhileAllAreBusyAndCheapsTheIdleOnesAfterwards() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("spare.ini", app(port, "processes = 3\ncheaper = 1\ncheaper-overload = 1\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting: 1 worker\\(s\\)"), START);
        assertThat(EmperorFixture.workers(v.pid())).as("cheaper = 1: one worker at start").hasSize(1);

        // worker 1 busy: after more than cheaper-overload busy cycles the master adds worker 2, then worker 3
        Path first = dir.resolve("first");
        CompletableFuture<String> one = block(port, first);
        v.awaitLog(Pattern.compile("spawned uWSGI worker 2 \\(pid: \\d+, cores: 1\\)"), Duration.ofSeconds(20));
        Path second = dir.resolve("second");
        CompletableFuture<String> two = block(port, second);
        v.awaitLog(Pattern.compile("spawned uWSGI worker 3 \\(pid: \\d+, cores: 1\\)"), Duration.ofSeconds(20));
        assertThat(v.log()).as("processes is the maximum").doesNotContain("worker 4");

        Files.writeString(first, "");
        Files.writeString(second, "");
        assertThat(one.get(20, TimeUnit.SECONDS)).isEqualTo("released\n");
        assertThat(two.get(20, TimeUnit.SECONDS)).isEqualTo("released\n");

        // all idle: one worker cheaped per cheaper-overload cycle, down to cheaper
        await("two workers cheaped").atMost(Duration.ofSeconds(20))
                .until(() -> count(v, "uWSGI worker \\d cheaped\\.") == 2);
        assertThat(v.log()).containsPattern("worker 1 killed successfully \\(pid: \\d+\\)")
                .containsPattern("uWSGI worker 1 cheaped\\.");
        await().atMost(Duration.ofSeconds(10)).until(() -> EmperorFixture.workers(v.pid()).size() == 1);
        assertThat(get(port, "/")).isEqualTo("ok\n");
        assertThat(v.log()).doesNotContain("DAMN");
    }

    @Test
    void backlogAddsAWorkerWhenConnectionsQueueUp() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("backlog.ini", app(port, "processes = 2\ncheaper = 1\ncheaper-algo = backlog\n"
                + "cheaper-overload = 2\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting: 1 worker\\(s\\)"), START);
        Path release = dir.resolve("release");
        CompletableFuture<String> busy = block(port, release);

        // the only worker is busy: these wait in the accept queue (4 > cheaper-overload)
        List<SocketChannel> queued = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                queued.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            }
            v.awaitLog(Pattern.compile("spawned uWSGI worker 2 \\(pid: \\d+, cores: 1\\)"), Duration.ofSeconds(20));
        } finally {
            for (SocketChannel c : queued) {
                c.close();
            }
        }
        Files.writeString(release, "");
        assertThat(busy.get(20, TimeUnit.SECONDS)).isEqualTo("released\n");
        v.awaitLog(Pattern.compile("uWSGI worker \\d cheaped\\."), Duration.ofSeconds(20));
        assertThat(get(port, "/")).isEqualTo("ok\n");
    }

    @Test
    void idleCheapsEveryWorkerAndTheNextConnectionWakesTheVassalAndIsServed() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("idle.ini", app(port, "processes = 2\nidle = 1\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting: 2 worker\\(s\\)"), START);

        v.awaitLog(Pattern.compile("workers have been inactive for more than 1 seconds \\(\\d+-\\d+\\)"),
                Duration.ofSeconds(20));
        v.awaitLog(Pattern.compile("cheap mode enabled: waiting for socket connection\\.\\.\\."), Duration.ofSeconds(5));
        await("every worker gone").atMost(Duration.ofSeconds(20))
                .until(() -> EmperorFixture.workers(v.pid()).isEmpty());

        long sent = System.nanoTime();
        assertThat(get(port, "/")).as("the waking request waits in the accept queue and is served").isEqualTo("ok\n");
        Duration woke = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(woke).as("a worker JVM start, not a master cycle more").isLessThan(Duration.ofSeconds(15));
        assertThat(v.log()).containsPattern("Respawned uWSGI worker 1 \\(new pid: \\d+\\)")
                .containsPattern("Respawned uWSGI worker 2 \\(new pid: \\d+\\)");

        // and it sleeps again
        await().atMost(Duration.ofSeconds(20)).until(() -> count(v, "cheap mode enabled") == 2);
    }

    @Test
    void dieOnIdleStopsTheVassal() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("die.ini", app(port, "processes = 1\nidle = 1\ndie-on-idle = true\n"));
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(get(port, "/")).isEqualTo("ok\n");

        v.awaitLog(Pattern.compile("workers have been inactive for more than 1 seconds"), Duration.ofSeconds(20));
        v.awaitLog(Pattern.compile("goodbye to uWSGI\\."), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
        assertThat(v.log()).doesNotContain("cheap mode enabled");
    }

    @Test
    void underAnEmperorDieOnIdleIsStoppedAndStartedAgainAsUwsgiDoes() throws Exception {
        int port = FreePorts.next();
        try (EmperorFixture emperor = EmperorFixture.start(dir.resolve("emperor"))) {
            emperor.deploy("die.ini", app(port, "processes = 1\nidle = 1\ndie-on-idle = true\n"));
            // message 22: the emperor stops it gracefully; its file is still there, so it starts again (uWSGI's
            // emperor re-adds it at its next scan); an on-demand vassal would go to sleep instead (OnDemandIT)
            emperor.awaitLog("stop the uwsgi instance die\\.ini", START);
            emperor.awaitLog("spawning vassal die\\.ini: .* \\(spawn 2\\)", START);
            await().atMost(START).ignoreExceptions().until(() -> "ok\n".equals(get(port, "/")));
        }
    }

    @Test
    void threadsArePlatformThreadsPerWorkerOrVirtualThreads() throws Exception {
        int port = FreePorts.next();
        ManagedProcess v = vassals.start("platform.ini", app(port,
                "processes = 1\nthreads = 2\nthread-stacksize = 512\n")); // the default: platform threads
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(v.log()).contains("threads stack size set to 512k");
        assertThat(get(port, "/thread")).matches("uwsgi-core-[01] virtual=false\n");

        // two requests at once on the one worker's two threads
        Path release = dir.resolve("release");
        CompletableFuture<String> a = block(port, release);
        Path other = dir.resolve("other");
        CompletableFuture<String> b = block(port, other);
        Files.writeString(release, "");
        Files.writeString(other, "");
        assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo("released\n");
        assertThat(b.get(20, TimeUnit.SECONDS)).isEqualTo("released\n");
        v.close();

        int virtualPort = FreePorts.next();
        ManagedProcess virtual = vassals.start("virtual.ini", app(virtualPort, "processes = 1\nthreads = 2\n"
                + "imperium-virtual-threads = true\n"));
        virtual.awaitLog(Pattern.compile("generation 1 accepting"), START);
        assertThat(get(virtualPort, "/thread")).matches("imperium-conn-\\d+ virtual=true\n");
    }
}
