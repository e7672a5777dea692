package dev.imperium.emperor;

import dev.imperium.os.Posix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.imperium.emperor.FakeVassals.drop;
import static dev.imperium.emperor.FakeVassals.isAlive;
import static dev.imperium.emperor.FakeVassals.pidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real emperor JVM ({@code java ... EmperorMain --vassals DIR}) running fake vassals: signals end to end.
 */
@Timeout(120)
class EmperorProcessTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final String marker = "emperor-process-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Process emperor;
    private Path dir;
    private Path pidFile;

    private void startEmperor(String... extra) throws IOException {
        dir = Files.createDirectory(tmp.resolve("vassals"));
        pidFile = tmp.resolve("emperor.pid");
        List<String> cmd = new ArrayList<>();
        cmd.add(FakeVassals.java());
        cmd.addAll(FakeVassals.jvmOptions());
        cmd.add("-Dimperium.test.marker=" + marker);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EmperorMain.class.getName());
        cmd.addAll(List.of("--vassals", dir.toString(), "--emperor-pidfile", pidFile.toString(),
                "--vassal-command", FakeVassals.script(tmp, marker).toString()));
        cmd.addAll(List.of(extra));
        emperor = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(emperor.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            } catch (IOException e) {
                // emperor gone
            }
        });
        out.await(0, "\\*\\*\\* starting Imperium Emperor \\*\\*\\*", T);
    }

    @AfterEach
    void cleanUp() {
        if (emperor != null && emperor.isAlive()) {
            emperor.destroyForcibly();
        }
        try {
            FakeVassals.assertAllGone(marker);
        } finally {
            FakeVassals.alive(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private Path runtimeDir() {
        Matcher m = Pattern.compile("control socket (\\S+)/control\\.sock").matcher(
                out.await(0, "control socket ", T));
        assertThat(m.find()).isTrue();
        return Path.of(m.group(1));
    }

    @Test
    void sigtermStopsEveryVassalGracefullyAndExitsZero() throws Exception {
        startEmperor("--reload-mercy", "10");
        drop(dir, "a.ini", "mode = ok\n");
        drop(dir, "b.yaml", "mode = ok\n");
        out.await(0, "vassal a\\.ini is ready to accept requests", T);
        out.await(0, "vassal b\\.yaml is ready to accept requests", T);
        long a = pidOf(out, "a.ini");
        long b = pidOf(out, "b.yaml");
        assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(emperor.pid()));
        Path runtime = runtimeDir();
        assertThat(Files.isDirectory(runtime)).isTrue();
        assertThat(Files.getPosixFilePermissions(runtime))
                .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        int mark = out.mark();
        Posix.kill(emperor.pid(), Posix.SIGTERM);
        assertThat(emperor.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(emperor.exitValue()).isZero();
        out.await(mark, "^\\[emperor] \\*\\*\\* RAGNAROK EVOKED \\*\\*\\*$", T);
        out.await(mark, "fake-vassal a\\.ini stopping gracefully", T);
        out.await(mark, "fake-vassal b\\.yaml stopping gracefully", T);
        out.await(mark, "removed uwsgi instance a\\.ini", T);
        out.await(mark, "removed uwsgi instance b\\.yaml", T);
        out.await(mark, " - The Emperor is buried\\.$", T);
        assertThat(out.count(mark, "NO MERCY")).isZero();
        assertThat(isAlive(a) || isAlive(b)).isFalse();
        assertThat(Files.exists(pidFile)).as("pid file removed").isFalse();
        assertThat(Files.exists(runtime)).as("runtime dir removed").isFalse();
    }

    @Test
    void aSecondSignalOnlyLogsAndStubbornVassalsGetNoMercy() throws Exception {
        startEmperor("--reload-mercy", "3");
        drop(dir, "stubborn.ini", "mode = ignore-stop\n");
        drop(dir, "fine.ini", "mode = ok\n");
        out.await(0, "vassal stubborn\\.ini is ready to accept requests", T);
        out.await(0, "vassal fine\\.ini is ready to accept requests", T);
        long stubborn = pidOf(out, "stubborn.ini");
        int mark = out.mark();
        Posix.kill(emperor.pid(), Posix.SIGINT);
        out.await(mark, "RAGNAROK EVOKED", T);
        out.await(mark, "removed uwsgi instance fine\\.ini", T);
        Posix.kill(emperor.pid(), Posix.SIGTERM);
        out.await(mark, "^\\[emperor] \\*\\*\\* RAGNAROK ALREADY EVOKED \\(mercyless in [0-3] seconds\\)\\*\\*\\*$", T);
        out.await(mark, "NO MERCY for vassal stubborn\\.ini !!!", T);
        assertThat(emperor.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(emperor.exitValue()).isZero();
        assertThat(out.count(mark, "RAGNAROK EVOKED")).isEqualTo(1);
        assertThat(isAlive(stubborn)).isFalse();
    }

    @Test
    void sighupReloadsEveryVassal() throws Exception {
        startEmperor();
        drop(dir, "a.ini", "mode = ok\n");
        out.await(0, "vassal a\\.ini is ready to accept requests", T);
        int mark = out.mark();
        Posix.kill(emperor.pid(), Posix.SIGHUP);
        out.await(mark, "reload the uwsgi instance a\\.ini", T);
        out.await(mark, "vassal a\\.ini generation 2 accepting", T);
        Posix.kill(emperor.pid(), Posix.SIGUSR1);
        out.await(mark, "\\[emperor] vassal a\\.ini: RUNNING, pid \\d+, generation 2", T);
        Posix.kill(emperor.pid(), Posix.SIGTERM);
        assertThat(emperor.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(emperor.exitValue()).isZero();
    }

    @Test
    void killingTheEmperorWithSigkillTakesItsVassalsDown() throws Exception {
        startEmperor();
        drop(dir, "a.ini", "mode = ok\n");
        drop(dir, "b.ini", "mode = ignore-stop\n");
        out.await(0, "vassal a\\.ini is ready to accept requests", T);
        out.await(0, "vassal b\\.ini is ready to accept requests", T);
        long a = pidOf(out, "a.ini");
        long b = pidOf(out, "b.ini");
        assertThat(isAlive(a) && isAlive(b)).isTrue();
        Posix.kill(emperor.pid(), Posix.SIGKILL);
        assertThat(emperor.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // PR_SET_PDEATHSIG (and the dropped control connection) end every vassal.
        FakeVassals.assertAllGone(marker, a, b);
    }
}
