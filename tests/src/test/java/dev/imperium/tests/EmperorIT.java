package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The emperor as a user meets it: the built {@code bin/emperor} watching a directory, real vassal and worker JVMs,
 * real sockets on 127.0.0.1, real signals. Every test ends with no process of the emperor's tree left
 * ({@link EmperorFixture#close()} fails the test otherwise).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmperorIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    /** A JWSGI vassal in uWSGI's own syntax, on {@code port}, with {@code processes} workers. */
    private static String helloIni(int port, int processes) {
        return """
                [uwsgi]
                plugins = jvm,jwsgi
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                master = true
                processes = %d
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                """.formatted(port, processes, Dist.helloJar());
    }

    private static String get(int port, String path) {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    @Test
    void droppedVassalFileIsSpawnedAndServes() {
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();

        emperor.deploy("hello.ini", helloIni(port, 2));

        emperor.awaitGeneration("hello.ini", 1, START);
        assertThat(get(port, "/")).isEqualTo("Hello from JWSGI\n");
        assertThat(emperor.log())
                .contains("[emperor] vassal hello.ini has been spawned")
                .contains("[emperor] vassal hello.ini is ready to accept requests");
        emperor.awaitLog("\\[emperor] vassal hello.ini is now loyal", Duration.ofSeconds(10));
    }

    @Test
    void touchUnderLoadReplacesEveryWorkerWithoutFailingARequest() throws Exception {
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        emperor.deploy("hello.ini", helloIni(port, 2));
        long master = emperor.awaitGeneration("hello.ini", 1, START);
        Set<Long> before = EmperorFixture.workers(master);
        assertThat(before).hasSize(2);

        try (LoadLoop load = LoadLoop.start(port, "/", 2, 2, Duration.ofSeconds(90))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.ok() > 200);

            emperor.touch("hello.ini");

            assertThat(emperor.awaitGeneration("hello.ini", 2, START)).as("same master").isEqualTo(master);
            await("old workers gone").atMost(Duration.ofSeconds(30))
                    .until(() -> before.stream().noneMatch(Orphans::running));
            long served = load.ok();
            await("served by the new generation").atMost(Duration.ofSeconds(20))
                    .until(() -> load.ok() > served + 200);
            load.stop();

            Set<Long> after = EmperorFixture.workers(master);
            assertThat(after).hasSize(2).doesNotContainAnyElementsOf(before);
            System.out.printf("reload under load: %d requests served, failures %s, slowest %d ms%n",
                    load.ok(), load.failures(), load.maxLatency().toMillis());
            assertThat(load.failures()).as("failed requests").isEmpty();
        }
    }

    @Test
    void brokenEditKeepsTheOldGenerationServing() {
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        emperor.deploy("hello.ini", helloIni(port, 1));
        long master = emperor.awaitGeneration("hello.ini", 1, START);
        Set<Long> workers = EmperorFixture.workers(master);

        emperor.deploy("hello.ini", helloIni(port, 1) + "wsgi-file = app.py\n");

        emperor.awaitLog("reload failed: .*unsupported: option 'wsgi-file'", Duration.ofSeconds(30));
        emperor.awaitLog("\\[emperor] vassal hello.ini refused the reload", Duration.ofSeconds(10));
        assertThat(get(port, "/")).isEqualTo("Hello from JWSGI\n");
        assertThat(EmperorFixture.workers(master)).isEqualTo(workers);

        emperor.deploy("hello.ini", helloIni(port, 1).replace("HelloApp", "NoSuchApp") + "need-app = true\n");

        emperor.awaitLog("reload failed: new worker 1 exited with code 22", Duration.ofSeconds(60));
        assertThat(get(port, "/")).isEqualTo("Hello from JWSGI\n");
        assertThat(EmperorFixture.workers(master)).isEqualTo(workers);

        emperor.deploy("hello.ini", helloIni(port, 1));
        emperor.awaitGeneration("hello.ini", 2, START);
        assertThat(get(port, "/")).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void removedVassalClosesItsPortAndLeavesNoProcess() {
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        emperor.deploy("hello.ini", helloIni(port, 2));
        long master = emperor.awaitGeneration("hello.ini", 1, START);
        Set<Long> tree = new HashSet<>(EmperorFixture.workers(master));
        tree.add(master);

        emperor.remove("hello.ini");

        emperor.awaitLog("\\[emperor] removed uwsgi instance hello.ini", Duration.ofSeconds(40));
        assertThat(Ports.isListening(port)).as("port closed").isFalse();
        await("every process of the vassal gone").atMost(Duration.ofSeconds(10))
                .until(() -> tree.stream().noneMatch(Orphans::running));
    }

    @Test
    void killedWorkerAndKilledMasterAreReplaced() {
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        emperor.deploy("hello.ini", helloIni(port, 2));
        long master = emperor.awaitGeneration("hello.ini", 1, START);
        Set<Long> workers = EmperorFixture.workers(master);
        long victim = workers.iterator().next();

        ProcessHandle.of(victim).orElseThrow().destroyForcibly();

        emperor.awaitLog("DAMN ! worker \\d \\(pid: " + victim + "\\) died, killed by signal 9", Duration.ofSeconds(20));
        await("worker respawned").atMost(Duration.ofSeconds(30)).until(() -> {
            Set<Long> now = EmperorFixture.workers(master);
            return now.size() == 2 && !now.contains(victim);
        });
        assertThat(get(port, "/")).isEqualTo("Hello from JWSGI\n");

        ProcessHandle.of(master).orElseThrow().destroyForcibly();

        emperor.awaitLog("\\[emperor] curse the uwsgi instance hello.ini \\(pid: " + master + "\\)",
                Duration.ofSeconds(20));
        long newMaster = emperor.awaitGeneration("hello.ini", 1, START, pid -> pid != master);
        assertThat(newMaster).isNotEqualTo(master);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ports.isListening(port));
        assertThat(get(port, "/")).isEqualTo("Hello from JWSGI\n");
        await("the killed master's workers die with it").atMost(Duration.ofSeconds(10))
                .until(() -> workers.stream().noneMatch(Orphans::running));
    }

    @Test
    void sigtermStopsEveryVassalAndExitsZero() throws Exception {
        emperor = EmperorFixture.start(root);
        int first = FreePorts.next();
        int second = FreePorts.next();
        emperor.deploy("one.ini", helloIni(first, 1));
        emperor.deploy("two.ini", helloIni(second, 2));
        emperor.awaitGeneration("one.ini", 1, START);
        emperor.awaitGeneration("two.ini", 1, START);

        emperor.process().signal("TERM");

        emperor.awaitLog("The Emperor is buried\\.", Duration.ofSeconds(40));
        await().atMost(Duration.ofSeconds(10)).until(() -> !emperor.process().isAlive());
        assertThat(emperor.process().exitValue()).isZero();
        Orphans.awaitNone(emperor.marker(), Duration.ofSeconds(10));
        assertThat(Ports.isListening(first)).isFalse();
        assertThat(Ports.isListening(second)).isFalse();
    }

    /** With {@code imperium-emperor-grace = 0}, uWSGI's behaviour: every vassal dies with its emperor (ChaosIT: the default). */
    @Test
    void sigkilledEmperorLeavesNoOrphans() {
        emperor = EmperorFixture.start(root);
        int port = FreePorts.next();
        emperor.deploy("hello.ini", helloIni(port, 2) + "imperium-emperor-grace = 0\n");
        long master = emperor.awaitGeneration("hello.ini", 1, START);
        assertThat(EmperorFixture.workers(master)).hasSize(2);

        emperor.process().signal("KILL");

        Orphans.awaitNone(emperor.marker(), Duration.ofSeconds(10));
        assertThat(Ports.isListening(port)).isFalse();
    }
}
