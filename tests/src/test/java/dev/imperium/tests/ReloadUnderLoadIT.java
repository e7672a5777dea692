package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Nginx;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Zero failed requests while the workers are replaced, with real nginx in front ({@code uwsgi_pass} to the vassal's
 * uwsgi socket) and a bounded client loop through nginx: a graceful reload (SIGHUP), a chain reload
 * ({@code touch-chain-reload}) and {@code max-requests} recycling. nginx answers 502 for any request the vassal
 * drops, and the loop counts it. Skipped without nginx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ReloadUnderLoadIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);

    private Path work;
    private ManagedProcess nginx;
    /** The vassal's uwsgi socket (the same for every test: nginx's upstream) and nginx's port. */
    private int upstream;
    private int front;
    /** Each test's vassal, stopped after it (nginx lives as long as the class). */
    @RegisterExtension
    final Vassals vassals = new Vassals(() -> work);

    @BeforeAll
    void startNginx(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Nginx.installed(), "nginx is not installed");
        work = dir;
        upstream = FreePorts.next();
        front = FreePorts.next();
        Path nginxDir = Files.createDirectories(work.resolve("nginx"));
        nginx = Nginx.start(nginxDir, """
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            include /etc/nginx/uwsgi_params;
                            uwsgi_pass 127.0.0.1:%d;
                        }
                    }
                """.formatted(front, upstream), List.of(front));
    }

    @AfterAll
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    private ManagedProcess start(String file, String extra) {
        ManagedProcess vassal = vassals.start(file, "[uwsgi]\nsocket = 127.0.0.1:" + upstream + "\nprocesses = 2\n"
                + "jvm-classpath = " + Dist.helloJar() + "\njwsgi = dev.imperium.samples.hello.HelloApp\n"
                + "disable-logging = true\n" + extra);
        vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Ports.awaitListening(vassal, upstream, START);
        return vassal;
    }

    /** Runs the loop through nginx until it served some requests, runs {@code action}, then asserts no failure. */
    private LoadLoop underLoad(ThrowingRunnable action) throws Exception {
        try (LoadLoop load = LoadLoop.start(front, "/", 2, 2, LOAD_LIMIT)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.ok() > 100 || load.failed() > 0);
            action.run();
            long served = load.ok();
            await("served afterwards").atMost(Duration.ofSeconds(20)).until(() -> load.ok() > served + 100);
            load.stop();
            System.out.printf("%d requests through nginx, failures %s, slowest %d ms%n", load.ok(), load.failures(),
                    load.maxLatency().toMillis());
            assertThat(load.failures()).as("failed requests (nginx error log:%n%s)",
                    Nginx.errorLog(work.resolve("nginx"))).isEmpty();
            return load;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void gracefulReloadFailsNoRequest() throws Exception {
        ManagedProcess v = start("graceful.ini", "");
        Set<Long> before = EmperorFixture.workers(v.pid());

        underLoad(() -> {
            v.signal("HUP");
            v.awaitLog(Pattern.compile("generation 2 accepting"), START);
            await("old workers gone").atMost(Duration.ofSeconds(30))
                    .until(() -> before.stream().noneMatch(Orphans::running));
        });

        assertThat(EmperorFixture.workers(v.pid())).hasSize(2).doesNotContainAnyElementsOf(before);
    }

    @Test
    void chainReloadReplacesOneWorkerAtATimeAndFailsNoRequest() throws Exception {
        Path trigger = Files.writeString(work.resolve("chain.trigger"), "");
        Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        ManagedProcess v = start("chain.ini", "processes = 3\ntouch-chain-reload = chain.trigger\n");
        Set<Long> before = EmperorFixture.workers(v.pid());
        assertThat(before).hasSize(3);

        underLoad(() -> {
            Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis()));
            v.awaitLog(Pattern.compile("chain reloading complete"), START);
            await("old workers gone").atMost(Duration.ofSeconds(30))
                    .until(() -> before.stream().noneMatch(Orphans::running));
        });

        String log = v.log();
        assertThat(log).contains("*** chain.trigger has been touched... chain reload !!! ***", "chain reload starting...")
                .doesNotContain("DAMN");
        // for each slot in turn: the replacement starts, accepts, and only then is the old worker retired, before
        // the next slot's replacement starts: at every moment each slot has an accepting worker
        List<Integer> order = new ArrayList<>();
        for (int slot = 1; slot <= 3; slot++) {
            Matcher spawned = Pattern.compile("Respawned uWSGI worker " + slot + " \\(new pid: (\\d+)\\)").matcher(log);
            assertThat(spawned.find()).as("replacement of worker %d", slot).isTrue();
            String fresh = spawned.group(1);
            int victim = log.indexOf("chain next victim is worker " + slot + " (its replacement, pid " + fresh
                    + ", accepts)");
            Matcher killed = Pattern.compile("Gracefully killing worker " + slot + " \\(pid: (\\d+)\\)").matcher(log);
            assertThat(killed.find(victim)).as("old worker %d retired after its replacement accepts", slot).isTrue();
            assertThat(before).contains(Long.parseLong(killed.group(1)));
            order.add(spawned.start());
            order.add(victim);
            order.add(killed.start());
        }
        order.add(log.indexOf("chain reloading complete"));
        assertThat(order).doesNotContain(-1).isSorted();
        assertThat(EmperorFixture.workers(v.pid())).hasSize(3).doesNotContainAnyElementsOf(before);
    }

    @Test
    void maxRequestsRecyclingFailsNoRequest() throws Exception {
        ManagedProcess v = start("recycle.ini", "max-requests = 20\nmin-worker-lifetime = 0\n");
        Pattern done = Pattern.compile("\\.\\.\\.The work of process \\d+ is done\\. Seeya!");

        underLoad(() -> await("workers recycled").atMost(Duration.ofSeconds(40))
                .until(() -> done.matcher(v.log()).results().count() >= 6));

        assertThat(v.log()).contains("Respawned uWSGI worker 1", "Respawned uWSGI worker 2").doesNotContain("DAMN");
    }
}
