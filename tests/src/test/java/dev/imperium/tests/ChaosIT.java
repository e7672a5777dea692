package dev.imperium.tests;

import dev.imperium.tests.support.ChaosLoad;
import dev.imperium.tests.support.ChaosLoad.Cause;
import dev.imperium.tests.support.ChaosLoad.Window;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Nginx;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Chaos under load (issue 8): an emperor with three Java vassals, {@code web.ini} (an {@code http-socket}, reached
 * directly and through nginx's {@code proxy_pass}), {@code api.ini} (a uwsgi {@code socket} behind nginx's
 * {@code uwsgi_pass}, with {@code max-requests} recycling) and {@code spare.ini}, under a paced client load, while
 * one event at a time happens: graceful operations (touch reload, FIFO chain reload {@code c}, max-requests
 * recycling, {@code rm} of another vassal), then SIGKILL of a worker, of a vassal master and of the emperor itself,
 * which is then started again. Every request counts in the window of the event it started in, every failure by its
 * cause; the figures are printed, then checked against the promise: graceful operations fail nothing, a SIGKILL
 * fails at most the requests in flight on the killed process (at most one per client, none refused), the restarted
 * emperor gets every vassal serving again with no duplicate, and no process is left behind.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ChaosIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** One request per client every PACE. */
    private static final Duration PACE = Duration.ofMillis(25);
    private static final int WEB_CLIENTS = 4; // direct 2 keep-alive + 1 fresh, nginx 1
    private static final int API_CLIENTS = 2;

    @TempDir
    Path root;

    private EmperorFixture emperor;
    private EmperorFixture second;
    private ManagedProcess nginx;

    @AfterEach
    void cleanUp() {
        try {
            if (second != null) {
                second.close();
            }
        } finally {
            try {
                if (emperor != null) {
                    emperor.close(); // also: nothing with the first emperor's marker is left (its vassals' orphans)
                }
            } finally {
                if (nginx != null) {
                    nginx.close();
                }
            }
        }
    }

    private static String hello(String socketLine, int processes, String extra) {
        return """
                [uwsgi]
                %s
                processes = %d
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                %s
                """.formatted(socketLine, processes, Dist.helloJar(), extra);
    }

    @Test
    void chaosUnderLoad() throws Exception {
        Assumptions.assumeTrue(Nginx.installed(), "nginx is not installed");
        int web = FreePorts.next();
        int api = FreePorts.next();
        int spare = FreePorts.next();
        int webFront = FreePorts.next();
        int apiFront = FreePorts.next();
        Path fifo = root.resolve("api.fifo");
        nginx = Nginx.start(Files.createDirectories(root.resolve("nginx")), """
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; proxy_read_timeout 20s; }
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            include /etc/nginx/uwsgi_params;
                            uwsgi_pass 127.0.0.1:%d;
                            uwsgi_read_timeout 20s;
                        }
                    }
                """.formatted(webFront, web, apiFront, api), List.of(webFront, apiFront));

        emperor = EmperorFixture.start(root.resolve("first"));
        Path vassals = emperor.vassals();
        emperor.deploy("web.ini", hello("http-socket = 127.0.0.1:" + web, 2, ""));
        emperor.deploy("api.ini", hello("socket = 127.0.0.1:" + api, 2,
                "master-fifo = " + fifo + "\nmax-requests = 150\nmin-worker-lifetime = 0"));
        emperor.deploy("spare.ini", hello("http-socket = 127.0.0.1:" + spare, 1, ""));
        long webMaster = emperor.awaitGeneration("web.ini", 1, START);
        emperor.awaitGeneration("api.ini", 1, START);
        emperor.awaitGeneration("spare.ini", 1, START);

        ChaosLoad load = ChaosLoad.create(Duration.ofSeconds(180), PACE, Duration.ofSeconds(15))
                .clients("web-direct", web, 2, 1)
                .clients("web-nginx", webFront, 1, 0)
                .clients("api-nginx", apiFront, 1, 1);
        Duration recovery;
        Duration masterRecovery;
        try (load) {
            try {
            settle(load);

            // graceful operations: zero failures
            Set<Long> oldWorkers = EmperorFixture.workers(webMaster);
            load.window("touch reload web.ini");
            emperor.touch("web.ini");
            emperor.awaitGeneration("web.ini", 2, START);
            await("web's old workers gone").atMost(Duration.ofSeconds(40))
                    .until(() -> oldWorkers.stream().noneMatch(Orphans::running));
            settle(load);

            Pattern chained = Pattern.compile("\\[api\\.ini] .*chain reloading complete");
            long chains = chained.matcher(emperor.log()).results().count();
            load.window("chain reload api.ini (c)");
            Files.write(fifo, "c".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
            await("chain reload done").atMost(START)
                    .until(() -> chained.matcher(emperor.log()).results().count() > chains);
            settle(load);

            Pattern recycled = Pattern.compile("\\[api\\.ini] \\.\\.\\.The work of process \\d+ is done\\. Seeya!");
            long recycles = recycled.matcher(emperor.log()).results().count();
            load.window("max-requests api.ini");
            await("two workers recycled by max-requests").atMost(START)
                    .until(() -> recycled.matcher(emperor.log()).results().count() >= recycles + 2);
            settle(load);

            load.window("rm spare.ini");
            emperor.remove("spare.ini");
            emperor.awaitLog("\\[emperor] removed uwsgi instance spare\\.ini", START);
            await("spare's port closed").atMost(Duration.ofSeconds(20)).until(() -> !Ports.isListening(spare));
            settle(load);

            // SIGKILL of a worker: at most the requests in flight on it
            long master = emperor.awaitGeneration("web.ini", 2, START);
            Set<Long> workers = EmperorFixture.workers(master);
            long victim = workers.iterator().next();
            load.window("SIGKILL web worker");
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            emperor.awaitLog("DAMN ! worker \\d \\(pid: " + victim + "\\) died", Duration.ofSeconds(20));
            await("worker respawned").atMost(START).until(() -> {
                Set<Long> now = EmperorFixture.workers(master);
                return now.size() == 2 && !now.contains(victim);
            });
            settle(load);

            // SIGKILL of a vassal master
            load.window("SIGKILL web master");
            long killedAt = System.nanoTime();
            ProcessHandle.of(master).orElseThrow().destroyForcibly();
            emperor.awaitGeneration("web.ini", 1, START, pid -> pid != master);
            masterRecovery = Duration.ofNanos(System.nanoTime() - killedAt);
            settle(load);

            // SIGKILL of the emperor, then a new one on the same directory
            load.window("SIGKILL emperor + restart");
            killedAt = System.nanoTime();
            emperor.process().signal("KILL");
            await("emperor dead").atMost(Duration.ofSeconds(10)).until(() -> !emperor.process().isAlive());
            second = EmperorFixture.startWatching(Files.createDirectories(root.resolve("second")),
                    vassals.toString());
            second.awaitGeneration("web.ini", 1, START);
            second.awaitGeneration("api.ini", 1, START);
            recovery = Duration.ofNanos(System.nanoTime() - killedAt);
            // the first emperor's processes (orphans kept serving, or gone with it) end
            Orphans.awaitNone(emperor.marker(), START);
            settle(load);

            load.window("after");
            settle(load);
            load.stop();
            } catch (RuntimeException | Error e) {
                System.out.printf("chaos run stopped: %s%n%s--- first emperor ---%n%s%n--- second emperor ---%n%s%n",
                        e, load.report(), emperor.process().logTail(80), second == null ? "" : second.process().logTail(80));
                throw e;
            }
        }

        System.out.printf("chaos under load: %d requests (%d ok), pace %d ms per client, %d clients%n%s"
                        + "web master SIGKILL -> new master accepting: %d ms%n"
                        + "emperor SIGKILL -> new emperor with every vassal accepting: %d ms%n",
                load.requests(), load.ok(), PACE.toMillis(), WEB_CLIENTS + API_CLIENTS + 1, load.report(),
                masterRecovery.toMillis(), recovery.toMillis());

        for (Window w : load.windows()) {
            w.samples().forEach(sample -> System.out.println("  " + w.name() + ": " + sample));
        }
        SoftAssertions soft = new SoftAssertions();
        for (Window w : load.windows()) {
            soft.assertThat(w.requests()).as("requests in window %s", w.name()).isPositive();
            switch (w.name()) {
                case "SIGKILL web worker", "SIGKILL web master" -> {
                    // each client had at most one request in flight on (or one idle connection to) the process
                    soft.assertThat(w.failed(Cause.REFUSED)).as("refused in %s: %s", w.name(), w.failures())
                            .isZero();
                    soft.assertThat(w.failed()).as("failures in %s (at most one per web client): %s", w.name(),
                            w.failures()).isLessThanOrEqualTo(WEB_CLIENTS);
                    soft.assertThat(w.failures()).as("failures in %s outside web.ini", w.name())
                            .doesNotContainKey("api-nginx");
                }
                // the emperor serves no request: its death and the takeover fail none
                default -> soft.assertThat(w.failed()).as("failures in %s: %s", w.name(), w.failures()).isZero();
            }
        }
        // the restarted emperor found a clean state: no bind error, one master per vassal, spare.ini stays gone
        soft.assertThat(second.log()).doesNotContain("Address already in use").doesNotContain("unable to bind")
                .doesNotContain("spare.ini");
        soft.assertThat(masters(second)).as("masters of the second emperor").hasSize(2);
        soft.assertThat(Orphans.withMarker(emperor.marker())).as("processes left of the first emperor").isEmpty();
        soft.assertAll();
    }

    /** Waits until the load got 150 more complete answers: the system serves again before the next event. */
    private static void settle(ChaosLoad load) {
        long ok = load.ok();
        await("load served again").atMost(START).pollInterval(Duration.ofMillis(50))
                .until(() -> load.ok() >= ok + 150);
    }

    /** The vassal masters of an emperor: its live children running the vassal program. */
    private static List<Long> masters(EmperorFixture e) {
        return e.process().pid() < 0 ? List.of() : ProcessHandle.of(e.process().pid()).stream()
                .flatMap(ProcessHandle::children).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").toLowerCase(Locale.ROOT).contains("vassal"))
                .map(ProcessHandle::pid).toList();
    }
}
