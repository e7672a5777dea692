package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many vassals in one directory (issue 7, emperor/README.md "Many vassals"): small native command vassals
 * ({@code imperium-runtime = command} running {@code sleep}) next to two real Java vassals that keep serving. The
 * emperor must start them all from its first scan, react to a touch and a removal at once while it supervises them
 * all, and stay small. The figures are printed ({@code [scale] ...}) for the README.
 *
 * <p>The README's test command runs the full size the issue names, {@value #DEFAULT_VASSALS} command vassals;
 * {@code -Dimperium.scale.vassals=N} (tests/bench/scale.sh) runs another size.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScaleIT {
    private static final int DEFAULT_VASSALS = 1000;
    private static final Pattern FIRST_ACCEPT = Pattern.compile("\\[emperor] vassal c\\d+\\.ini generation 1 accepting");

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    private static String javaVassal(int port) {
        return """
                [uwsgi]
                plugins = jvm,jwsgi
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                master = true
                processes = 1
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                """.formatted(port, Dist.helloJar());
    }

    private static String commandVassal() {
        return """
                [uwsgi]
                imperium-runtime = command
                imperium-command = sleep infinity
                """;
    }

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    private int count(Pattern pattern) {
        Matcher m = pattern.matcher(emperor.log());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static long pidOf(String log, String vassal, int generation) {
        Matcher m = Pattern.compile("\\[emperor] vassal " + Pattern.quote(vassal) + " generation " + generation
                + " accepting \\(pid (\\d+)").matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void manyVassalsStartFromTheFirstScanAndEachReactsAtOnce() throws IOException {
        int n = Integer.getInteger("imperium.scale.vassals", DEFAULT_VASSALS);
        Path dir = Files.createDirectories(root.resolve("vassals"));
        for (int i = 1; i <= n; i++) {
            Files.writeString(dir.resolve(String.format(Locale.ROOT, "c%04d.ini", i)), commandVassal());
        }
        int[] ports = {FreePorts.next(), FreePorts.next()};
        for (int i = 0; i < ports.length; i++) {
            Files.writeString(dir.resolve("java" + i + ".ini"), javaVassal(ports[i]));
        }

        long t0 = System.nanoTime();
        emperor = EmperorFixture.start(root);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(FIRST_ACCEPT) >= n);
        double allRunning = seconds(System.nanoTime() - t0);
        long[] javaPids = new long[ports.length];
        for (int i = 0; i < ports.length; i++) {
            javaPids[i] = emperor.awaitGeneration("java" + i + ".ini", 1, Duration.ofSeconds(120));
        }
        double allJava = seconds(System.nanoTime() - t0);
        for (int port : ports) {
            assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
        }
        long emperorPid = emperor.process().pid();
        Usage atStart = Usage.of(emperorPid);

        // A touch reloads one vassal among all of them: its program is replaced (a new generation, a new pid).
        long before = pidOf(emperor.log(), "c0001.ini", 1);
        long t1 = System.nanoTime();
        emperor.touch("c0001.ini");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> emperor.log().contains("[emperor] vassal c0001.ini generation 2 accepting"));
        double touchToReload = seconds(System.nanoTime() - t1);
        assertThat(Orphans.running(before)).isFalse();

        // A removal stops one vassal: its program is gone, the others are untouched.
        long doomed = pidOf(emperor.log(), "c0002.ini", 1);
        long t2 = System.nanoTime();
        emperor.remove("c0002.ini");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> emperor.log().contains("[emperor] removed uwsgi instance c0002.ini")
                        && !Orphans.running(doomed));
        double deleteToStop = seconds(System.nanoTime() - t2);

        // Idle with everything supervised: the emperor's CPU over a few seconds.
        Usage idleFrom = Usage.of(emperorPid);
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        Usage idleTo = Usage.of(emperorPid);
        double idleCpu = (idleTo.cpuSeconds() - idleFrom.cpuSeconds()) / seconds(idleTo.nanos() - idleFrom.nanos());

        for (int i = 0; i < ports.length; i++) { // the Java vassals served throughout, never restarted
            assertThat(get(ports[i])).isEqualTo("Hello from JWSGI\n");
            assertThat(pidOf(emperor.log(), "java" + i + ".ini", 2)).isEqualTo(-1);
            assertThat(Orphans.running(javaPids[i])).isTrue();
        }
        assertThat(emperor.log()).doesNotContain("respawning vassal").doesNotContain("output lines dropped");

        System.out.printf(Locale.ROOT, "[scale] %d command vassals + %d Java vassals, %d CPUs%n", n, ports.length,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "[scale] first scan to all %d command vassals running: %.2f s (Java vassals"
                + " accepting: %.2f s)%n", n, allRunning, allJava);
        System.out.printf(Locale.ROOT, "[scale] touch -> new generation accepting: %.0f ms%n", touchToReload * 1000);
        System.out.printf(Locale.ROOT, "[scale] rm -> program gone, vassal removed: %.0f ms%n", deleteToStop * 1000);
        System.out.printf(Locale.ROOT, "[scale] emperor after the start: %.1f s CPU, RSS %d MiB, %d threads; idle:"
                + " %.1f %% of one CPU%n", atStart.cpuSeconds(), atStart.rssKib() / 1024, atStart.threads(),
                idleCpu * 100);

        // Bounds a user would notice; generous for a shared CI machine.
        assertThat(touchToReload).isLessThan(5);
        assertThat(deleteToStop).isLessThan(5);
        assertThat(idleCpu).isLessThan(0.5);
        assertThat(atStart.rssKib() / 1024).isLessThan(256 + n / 2);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A process's CPU time, RSS and threads from /proc. */
    private record Usage(double cpuSeconds, long rssKib, int threads, long nanos) {
        static Usage of(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            long rss = 0;
            int threads = 0;
            List<String> status = new ArrayList<>(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
            for (String line : status) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            return new Usage(ticks / 100.0, rss, threads, System.nanoTime());
        }
    }
}
