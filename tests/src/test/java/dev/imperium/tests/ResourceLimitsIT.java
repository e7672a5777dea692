package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 8: resource limits, as an operator meets them with the built {@code bin/emperor} and {@code bin/vassal}: a
 * port another process holds, a worker and an emperor out of file descriptors, log files on a full disk. Each
 * gives a clear error, no crash loop or log flood, and recovers when the cause goes away. Figures are printed
 * (taken on a loaded 2-CPU machine).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResourceLimitsIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path root;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> root);

    private EmperorFixture emperor;
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        if (emperor != null) {
            emperor.close();
        }
        if (mounted != null) {
            sh("umount", "-l", mounted.toString());
        }
    }

    private static RawHttp.Response get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10));
    }

    private static int sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return p.exitValue();
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** CPU time (user + system) a process has used, in clock ticks (1/100 s on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    private static int openFds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) s.count();
        }
    }

    private static boolean hasInotify(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains("inotify");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static long hardNofile(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? 1 << 20 : Long.parseLong(hard);
            }
        }
        throw new IOException("no open files limit for " + pid);
    }

    @Test
    void aVassalWhosePortIsTakenBacksOffQuietlyAndStartsSecondsAfterThePortIsFreed() throws Exception {
        int port = FreePorts.next();
        try (ServerSocket occupant = new ServerSocket()) {
            occupant.setReuseAddress(true);
            occupant.bind(new InetSocketAddress("127.0.0.1", port));
            // a long backoff (20 s, then 40 s...), as after a few failures with the defaults
            emperor = EmperorFixture.start(root, "--emperor-throttle", "20000");
            long t0 = System.nanoTime();
            emperor.deploy("app.ini", Dist.helloVassal(port, ""));
            emperor.awaitLog("\\[app\\.ini] probably another instance of uWSGI is running on the same address "
                    + "\\(127\\.0\\.0\\.1:" + port + "\\)\\.", START);
            emperor.awaitLog("\\[app\\.ini] bind\\(\\): Address already in use", START);
            emperor.awaitLog("vassal app\\.ini: 127\\.0\\.0\\.1:" + port + " is in use by another process; it will be "
                    + "respawned as soon as the address is free", START);
            // no crash loop: after the two quick tries, nothing is spawned during the backoff
            await("no respawn while the port is taken").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> count(emperor.log(), "] spawning vassal app\\.ini") == 2);
            String log = emperor.log();
            double minutes = (System.nanoTime() - t0) / 60e9;
            System.out.printf("[ResourceLimitsIT] port in use: %d spawns, %d log lines (%d of them the emperor's) "
                    + "in %.1f s%n", count(log, "] spawning vassal app\\.ini"), log.lines().count(),
                    count(log, "\\[emperor]"), minutes * 60);
        }
        long freed = System.nanoTime();
        emperor.awaitGeneration("app.ini", 1, START);
        double recovery = (System.nanoTime() - freed) / 1e9;
        assertThat(emperor.log()).contains("127.0.0.1:" + port + " is free again: respawning vassal app.ini now");
        assertThat(get(port).status()).isEqualTo(200);
        System.out.printf("[ResourceLimitsIT] port in use: serving %.1f s after the port was freed (backoff then "
                + "pending: about 20 s)%n", recovery);
        assertThat(recovery).as("the respawn follows the port, not the 20 s backoff").isLessThan(12);
    }

    @Test
    void aWorkerOutOfDescriptorsNeitherSpinsNorFloodsTheLogAndServesOnceTheyAreBack() throws Exception {
        int port = FreePorts.next();
        Files.writeString(root.resolve("fd.ini"), Dist.helloVassal(port, "socket-timeout = 60"));
        ManagedProcess vassal = vassals.start(ManagedProcess.builder("vassal fd.ini", List.of(
                        Dist.bin("vassal").toString(), "fd.ini"))
                .directory(root).log(root.resolve("fd.ini.log")).env("JAVA_HOME", System.getProperty("java.home")));
        vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
        Matcher w = Pattern.compile("spawned uWSGI worker 1 \\(pid: (\\d+)").matcher(vassal.log());
        assertThat(w.find()).isTrue();
        long worker = Long.parseLong(w.group(1));
        // the descriptors run out under the worker (something else took them): 40 left for connections, far below
        // its imperium-max-connections (1000, sized at start for its real limit)
        long hard = hardNofile(worker);
        assertThat(sh("prlimit", "--pid", Long.toString(worker), "--nofile=" + (openFds(worker) + 40) + ":" + hard))
                .isZero();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 160; i++) { // more than the descriptors the worker has left
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    held.add(s);
                } catch (IOException e) {
                    s.close(); // the listen queue is full too
                    break;
                }
            }
            vassal.awaitLog(Pattern.compile("accept\\(\\): Too many open files \\(retrying every"), START);
            long ticks0 = cpuTicks(worker);
            int lines0 = (int) vassal.log().lines().count();
            long m0 = System.nanoTime();
            Thread.sleep(3000); // the measuring window: CPU and log lines of a worker stuck on EMFILE
            double seconds = (System.nanoTime() - m0) / 1e9;
            double cpu = (cpuTicks(worker) - ticks0) / 100.0 / seconds;
            int lines = (int) vassal.log().lines().count() - lines0;
            System.out.printf("[ResourceLimitsIT] EMFILE: %d connections held, worker at %d descriptors, CPU %.1f %% "
                    + "of a core, %d log lines in %.1f s%n", held.size(), openFds(worker), cpu * 100, lines, seconds);
            assertThat(cpu).as("the accept loop does not spin").isLessThan(0.2);
            assertThat(lines).as("no log flood").isLessThanOrEqualTo(2);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        long freed = System.nanoTime();
        await("served again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> get(port).status() == 200);
        System.out.printf("[ResourceLimitsIT] EMFILE: serving %.2f s after the connections closed%n",
                (System.nanoTime() - freed) / 1e9);
        vassal.awaitLog(Pattern.compile("accept\\(\\) works again after \\d+ failures? in"), Duration.ofSeconds(10));
        assertThat(vassal.isAlive()).isTrue();
    }

    @Test
    void anEmperorOutOfDescriptorsSaysSoAndSpawnsTheVassalOnceTheyAreBack() throws Exception {
        emperor = EmperorFixture.start(root);
        long pid = emperor.process().pid();
        long hard = hardNofile(pid);
        await("the emperor watches its directory").atMost(START).pollInterval(Duration.ofMillis(50))
                .until(() -> hasInotify(pid));
        // leave the emperor two descriptors: not enough to launch a process (its pipes); the vassal's JVM raises
        // its own soft limit to the hard one at start
        int fds = openFds(pid);
        assertThat(sh("prlimit", "--pid", Long.toString(pid), "--nofile=" + (fds + 2) + ":" + hard)).isZero();
        int port = FreePorts.next();
        emperor.deploy("app.ini", Dist.helloVassal(port, ""));
        emperor.awaitLog("vassal app\\.ini could not be started: the emperor is out of file descriptors \\(EMFILE: "
                + "raise its limit, ulimit -n or systemd's LimitNOFILE=\\)", START);
        emperor.awaitLog("respawning vassal app\\.ini in", START);
        long ticks0 = cpuTicks(pid);
        long m0 = System.nanoTime();
        Thread.sleep(2000); // the measuring window
        double cpu = (cpuTicks(pid) - ticks0) / 100.0 / ((System.nanoTime() - m0) / 1e9);
        assertThat(cpu).as("the emperor does not spin").isLessThan(0.2);
        assertThat(emperor.log()).doesNotContain("Possible reasons");
        assertThat(sh("prlimit", "--pid", Long.toString(pid), "--nofile=" + hard + ":" + hard)).isZero();
        long freed = System.nanoTime();
        emperor.awaitGeneration("app.ini", 1, START);
        assertThat(get(port).status()).isEqualTo(200);
        System.out.printf("[ResourceLimitsIT] emperor EMFILE: CPU %.1f %% of a core; vassal accepting %.1f s after "
                + "the limit was raised (%d failed spawns before)%n", cpu * 100, (System.nanoTime() - freed) / 1e9,
                count(emperor.log(), "vassal app\\.ini could not be started"));
        assertThat(emperor.process().isAlive()).isTrue();
    }

    @Test
    void logFilesOnAFullDiskAreReportedOnceWhileRequestsAreServedAndResumeWhenSpaceFrees() throws Exception {
        Path disk = Files.createDirectories(root.resolve("disk"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here (needs root in a container that allows mount)");
        mounted = disk;
        int port = FreePorts.next();
        emperor = EmperorFixture.start(root);
        emperor.deploy("app.ini", Dist.helloVassal(port, """
                logto = %s
                req-logger = file:%s
                """.formatted(disk.resolve("app.log"), disk.resolve("req.log")))
                .replace("disable-logging = true", "disable-logging = false"));
        emperor.awaitGeneration("app.ini", 1, START);
        assertThat(get(port).status()).isEqualTo(200);
        try (FileChannel fill = FileChannel.open(disk.resolve("fill"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            while (true) {
                block.clear();
                try {
                    fill.write(block);
                } catch (IOException full) {
                    break;
                }
            }
        }
        int served = 0;
        for (int i = 0; i < 100; i++) {
            if (get(port).status() == 200) {
                served++;
            }
        }
        assertThat(served).as("requests served while the log's disk is full").isEqualTo(100);
        emperor.awaitLog("\\[app\\.ini] .* - log file " + Pattern.quote(disk.resolve("req.log").toString())
                + ": write error: No space left on device; log lines are dropped until it can be written again",
                START);
        Files.delete(disk.resolve("fill"));
        assertThat(get(port).status()).isEqualTo(200);
        emperor.awaitLog("\\[app\\.ini] .* - log file " + Pattern.quote(disk.resolve("req.log").toString())
                + ": writing again: \\d+ lines \\(\\d+ bytes\\) were lost in [\\d.]+ s \\(No space left on device\\)",
                START);
        assertThat(count(emperor.log(), "write error: No space left on device")).as("reported once").isEqualTo(1);
        String requests = Files.readString(disk.resolve("req.log"));
        assertThat(requests).contains("writing again:");
        assertThat(requests.lines().reduce((a, b) -> b).orElseThrow()).contains("GET / =>");
        Matcher lost = Pattern.compile("writing again: (\\d+) lines").matcher(requests);
        assertThat(lost.find()).isTrue();
        System.out.printf("[ResourceLimitsIT] full disk: %d of 100 requests served while full, %s request lines "
                + "lost and counted, 1 error line%n", served, lost.group(1));
    }
}
