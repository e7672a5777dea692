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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * uWSGI's emperor options (issue 7) as an operator uses them, with the built {@code bin/emperor} and real JWSGI
 * vassals: extra config for every vassal (vassals-include/-inherit, vassal-set, from an emperor ini file), the
 * heartbeat (a vassal master stopped with SIGSTOP is killed and respawned), tyrant mode (a vassal file owned by
 * {@code nobody} runs as {@code nobody}), a glob monitor over two app directories, and the blacklist options.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmperorOptionsIT {
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

    /** A JWSGI hello vassal on {@code port} with one worker, plus {@code extra} lines. */
    private static String helloIni(Path jar, int port, String extra) {
        return Dist.helloVassal(port, extra).replace(Dist.helloJar().toString(), jar.toString());
    }

    private static RawHttp.Response get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10));
    }

    private static String metrics(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static String uidOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2]; // effective uid
            }
        }
        throw new IOException("no Uid line for " + pid);
    }

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }

    @Test
    void includesInheritsAndSetsFromTheEmperorIniReachEveryVassal() throws Exception {
        Path conf = Files.createDirectories(root.resolve("conf"));
        Path before = Files.writeString(conf.resolve("defaults.ini"),
                "[uwsgi]\nprocesses = 3\nadd-header = X-Before: 1\n");
        Path after = Files.writeString(conf.resolve("extra.ini"), "[uwsgi]\nadd-header = X-After: 1\n");
        Path template = Files.writeString(conf.resolve("template.ini"), "[uwsgi]\nadd-header = X-Template: 1\n");
        Path emperorIni = Files.writeString(root.resolve("emperor.ini"), """
                [uwsgi]
                vassals-include-before = %s
                vassals-include = %s
                vassals-inherit = %s
                """.formatted(before, after, template));
        emperor = EmperorFixture.start(root, "--ini", emperorIni.toString(), "--vassal-set", "add-header=X-Set: 1");
        int port = FreePorts.next();

        emperor.deploy("hello.ini", helloIni(Dist.helloJar(), port, ""));

        long master = emperor.awaitGeneration("hello.ini", 1, START);
        RawHttp.Response r = get(port);
        assertThat(r.bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(r.header("X-Before")).isEqualTo("1");
        assertThat(r.header("X-After")).isEqualTo("1");
        assertThat(r.header("X-Template")).isEqualTo("1");
        assertThat(r.header("X-Set")).isEqualTo("1");
        assertThat(EmperorFixture.workers(master)).as("the vassal file's processes = 1 overrides include-before")
                .hasSize(1);
        assertThat(emperor.log()).contains("--include " + before + " --set add-header=X-Set: 1 --ini hello.ini "
                + "--inherit " + template + " --include " + after);
    }

    @Test
    void aVassalWhoseMasterStopsBeatingIsKilledAndRespawned() throws Exception {
        int metricsPort = FreePorts.next();
        emperor = EmperorFixture.start(root, "--emperor-required-heartbeat", "3",
                "--emperor-metrics", "127.0.0.1:" + metricsPort);
        int port = FreePorts.next();
        emperor.deploy("hb.ini", helloIni(Dist.helloJar(), port, "heartbeat = 1"));
        long master = emperor.awaitGeneration("hb.ini", 1, START);
        Set<Long> workers = EmperorFixture.workers(master);
        await("a heartbeat on /metrics").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> metrics(metricsPort).contains("imperium_vassal_last_heartbeat_seconds{vassal=\"hb.ini\",}"));

        sh("kill", "-STOP", Long.toString(master)); // its event loop stops: no more heartbeats

        emperor.awaitLog("\\[emperor] vassal hb\\.ini sent no heartbeat in last 3 seconds, brutally respawning "
                + "it\\.\\.\\.", Duration.ofSeconds(15));
        long respawned = emperor.awaitGeneration("hb.ini", 1, START, pid -> pid != master);
        assertThat(get(port).bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(Orphans.running(master)).as("the stopped master was killed").isFalse();
        assertThat(workers).noneMatch(Orphans::running);
        assertThat(respawned).isNotEqualTo(master);
        assertThat(emperor.log()).containsPattern("respawning vassal hb\\.ini now \\(failure 1 in a row: no heartbeat "
                + "in the last 3 s, then was killed by signal 9");
        assertThat(metrics(metricsPort)).contains(
                "imperium_vassal_restarts_total{vassal=\"hb.ini\",reason=\"heartbeat\",} 1.0");
    }

    @Test
    void inTyrantModeAVassalRunsAsTheOwnerOfItsFileAndRootsFilesAreRefused() throws Exception {
        assumeTrue("0".equals(uidOf(ProcessHandle.current().pid())), "needs root");
        // the vassal's user must reach its file, its jar and its working directory (the vassal directory)
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        emperor = EmperorFixture.start(root, "--emperor-tyrant");
        Files.setPosixFilePermissions(emperor.vassals(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Dist.helloJar(), root.resolve("hello.jar"));
        int port = FreePorts.next();
        Path staged = Files.writeString(emperor.vassals().resolve(".app.ini.tmp"), helloIni(jar, port, ""));
        Files.setAttribute(staged, "unix:uid", 65534);
        Files.setAttribute(staged, "unix:gid", 65534);

        Files.move(staged, emperor.vassals().resolve("app.ini"), StandardCopyOption.ATOMIC_MOVE);
        emperor.deploy("root.ini", helloIni(jar, FreePorts.next(), ""));

        long master = emperor.awaitGeneration("app.ini", 1, START);
        assertThat(uidOf(master)).as("the master itself").isEqualTo("65534");
        for (long worker : EmperorFixture.workers(master)) {
            assertThat(uidOf(worker)).as("worker " + worker).isEqualTo("65534");
        }
        assertThat(get(port).bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(emperor.log()).contains("[emperor-tyrant] dropping privileges to 65534 65534 for instance app.ini");
        // issue 8: resource limits. The user's control socket is its own, in a directory only it can enter
        java.util.regex.Matcher cs = Pattern.compile("control socket (/run/imperium-emperor-\\d+-\\d+)/control\\.sock")
                .matcher(emperor.log());
        assertThat(cs.find()).as("the runtime directory is under /run, not /tmp").isTrue();
        Path userDir = Path.of(cs.group(1), "uid-65534");
        assertThat(Files.getPosixFilePermissions(Path.of(cs.group(1))))
                .isEqualTo(PosixFilePermissions.fromString("rwx--x--x"));
        assertThat(Files.getPosixFilePermissions(userDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getAttribute(userDir, "unix:uid")).isEqualTo(65534);
        assertThat(Files.getPosixFilePermissions(userDir.resolve("control.sock")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        emperor.awaitLog("\\[emperor-tyrant] invalid permissions for vassal root\\.ini: the file is owned by root",
                Duration.ofSeconds(10));
        assertThat(emperor.log()).doesNotContain("spawning vassal root.ini");

        Files.setAttribute(emperor.vassals().resolve("app.ini"), "unix:uid", 65533); // given to another user
        emperor.awaitLog("!!! permissions of file app\\.ini changed\\. stopping the instance\\.\\.\\. !!!",
                Duration.ofSeconds(10));
        long again = emperor.awaitGeneration("app.ini", 1, START, pid -> pid != master);
        assertThat(uidOf(again)).as("the new owner").isEqualTo("65533");
        assertThat(get(port).bodyText()).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void aGlobOverTwoAppDirectoriesRunsOneVassalPerFileNamedByItsPath() throws Exception {
        Path srv = Files.createDirectories(root.resolve("srv"));
        emperor = EmperorFixture.startWatching(root, srv + "/*/vassal.ini", "--emperor-graceful-shutdown");
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        for (String app : new String[] {"a", "b"}) {
            Path dir = Files.createDirectories(srv.resolve(app));
            Path staged = Files.writeString(dir.resolve(".vassal.ini.tmp"),
                    helloIni(Dist.helloJar(), app.equals("a") ? portA : portB, ""));
            Files.move(staged, dir.resolve("vassal.ini"), StandardCopyOption.ATOMIC_MOVE);
        }
        String a = srv.resolve("a/vassal.ini").toString();
        String b = srv.resolve("b/vassal.ini").toString();

        emperor.awaitGeneration(a, 1, START);
        emperor.awaitGeneration(b, 1, START);
        assertThat(get(portA).bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(get(portB).bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(emperor.log()).contains("vassals glob " + srv + "/*/vassal.ini in " + root);

        dev.imperium.tests.support.ImperiumCli.Result stopped = dev.imperium.tests.support.ImperiumCli.run("stop", a,
                "--control-socket", emperor.controlSocket().toString());
        assertThat(stopped.exit()).as(stopped.toString()).isZero();
        emperor.awaitLog("removed uwsgi instance " + Pattern.quote(a), Duration.ofSeconds(30));
        Files.delete(srv.resolve("b/vassal.ini"));
        emperor.awaitLog("removed uwsgi instance " + Pattern.quote(b), Duration.ofSeconds(30));
    }

    @Test
    void theBlacklistThrottlesAFailingVassalAndNoBlacklistRespawnsItAtOnce() throws Exception {
        // an app that cannot load (exit 22): a bad config would wait for a change instead (issue 8, bad configs)
        String broken = Dist.helloVassal(FreePorts.next(), "need-app = true").replace("HelloApp", "NoSuchApp");
        emperor = EmperorFixture.start(root.resolve("one"), "--emperor-throttle", "300", "--emperor-max-throttle",
                "600");
        emperor.deploy("bad.ini", broken);
        emperor.awaitLog("respawning vassal bad\\.ini now \\(failure 1 in a row: exited with code 22", START);
        emperor.awaitLog("respawning vassal bad\\.ini in 0\\.\\d s \\(failure 2 in a row", START);
        emperor.awaitLog("\\[emperor] unloyal bad behaving vassal found: bad\\.ini throttling it\\.\\.\\.", START);
        emperor.awaitLog("respawning vassal bad\\.ini in 0\\.\\d s \\(failure 3 in a row", START);
        emperor.awaitLog("\\[emperor] maximum throttle level for vassal bad\\.ini reached !!!", START);
        emperor.close();

        emperor = EmperorFixture.start(root.resolve("two"), "--emperor-no-blacklist");
        emperor.deploy("bad.ini", broken);
        emperor.awaitLog("respawning vassal bad\\.ini now \\(failure 3 in a row", START);
        assertThat(emperor.log()).doesNotContain("respawning vassal bad.ini in ").doesNotContain("throttling it");
    }
}
