package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code attach-daemon} and its kin with a real vassal: external processes started with it, restarted when they die
 * or their touch file is touched, restarted on reload, and stopped with it, with nothing left behind even when the
 * master is killed; a smart (pidfile) daemon survives the master's death and is adopted by the next one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttachDaemonIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private ManagedProcess start(String file, String extra) {
        return vassals.start(file, "[uwsgi]\nhttp-socket = 127.0.0.1:" + FreePorts.next()
                + "\nprocesses = 1\njvm-classpath = " + Dist.helloJar()
                + "\njwsgi = dev.imperium.samples.hello.HelloApp\nreload-mercy = 2\n" + extra);
    }

    /** The pids a daemon wrote, one line per start. */
    private List<Long> starts(String file) throws IOException {
        Path path = dir.resolve(file);
        if (!Files.exists(path)) {
            return List.of();
        }
        return Files.readAllLines(path).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
    }

    private static long readPid(Path pidfile) {
        try {
            String text = Files.readString(pidfile).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Test
    void aDaemonStartsWithTheVassalIsRestartedWhenItDiesOrIsTouchedOrTheVassalReloadsAndStopsWithIt()
            throws Exception {
        Path touch = Files.writeString(dir.resolve("restart.txt"), "");
        Files.setLastModifiedTime(touch, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        ManagedProcess v = start("d.ini", "attach-daemon = echo $$ >> worker.pids; exec sleep 300\n"
                + "attach-daemon2 = cmd=echo $$ >> touched.pids; sleep 301,touch=restart.txt\n");
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        v.awaitLog(Pattern.compile("\\[uwsgi-daemons\\] spawning \"echo \\$\\$ >> worker\\.pids; exec sleep 300\""
                + " \\(uid: \\d+ gid: \\d+\\)"), Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> starts("worker.pids").size() == 1
                && starts("touched.pids").size() == 1);

        // it dies: the master starts it again
        long first = starts("worker.pids").getFirst();
        new ProcessBuilder("kill", "-9", Long.toString(first)).start().waitFor();
        v.awaitLog(Pattern.compile("\\[uwsgi-daemons\\] respawning \"echo \\$\\$ >> worker\\.pids; exec sleep 300\""),
                Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> starts("worker.pids").size() == 2);
        assertThat(Orphans.running(first)).isFalse();

        // its touch file is touched: it gets its stop signal and comes back
        Files.setLastModifiedTime(touch, FileTime.fromMillis(System.currentTimeMillis()));
        v.awaitLog(Pattern.compile("\\*\\*\\* restart\\.txt has been touched\\.\\.\\. reloading daemon \"echo \\$\\$ >>"
                + " touched\\.pids; sleep 301\" \\(pid: \\d+\\) !!! \\*\\*\\*"), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> starts("touched.pids").size() == 2);

        // a reload restarts the foreground daemons, as uWSGI's reload does
        v.signal("HUP");
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        v.awaitLog(Pattern.compile("\\[uwsgi-daemons\\] stopping daemon \\(pid: \\d+\\): echo \\$\\$ >> worker\\.pids"),
                Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> starts("worker.pids").size() == 3
                && starts("touched.pids").size() == 3);

        // the vassal stops: so do they
        List<Long> last = List.of(starts("worker.pids").getLast(), starts("touched.pids").getLast());
        v.signal("TERM");
        v.awaitLog(Pattern.compile("goodbye to uWSGI\\."), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
        assertThat(last).noneMatch(Orphans::running);
        Orphans.awaitNone(vassals.marker(), Duration.ofSeconds(5));
    }

    @Test
    void killingTheMasterTakesEveryForegroundDaemonAndItsChildrenWithIt() throws Exception {
        ManagedProcess v = start("kill.ini", "attach-daemon = sleep 302 & sleep 303; echo never\n");
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        await().atMost(Duration.ofSeconds(10)).until(() -> Orphans.describe(vassals.marker()).contains("sleep 302")
                && Orphans.describe(vassals.marker()).contains("sleep 303"));

        v.signal("KILL");

        Orphans.awaitNone(vassals.marker(), Duration.ofSeconds(10));
    }

    @Test
    void theVassalStopsWhenItsControlDaemonDies() throws Exception {
        ManagedProcess v = start("control.ini", "attach-control-daemon = sleep 2\n");
        v.awaitLog(Pattern.compile("graceful shutdown triggered\\.\\.\\."), Duration.ofSeconds(30));
        v.awaitLog(Pattern.compile("goodbye to uWSGI\\."), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
        assertThat(v.log()).doesNotContain("respawning");
    }

    @Test
    void aSmartDaemonIsRestartedThroughItsPidfileSurvivesTheMastersDeathAndIsAdoptedByTheNextMaster()
            throws Exception {
        Path pidfile = dir.resolve("smart.pid");
        String config = "smart-attach-daemon2 = smart.pid exec sleep 304\n";
        ManagedProcess v = start("smart.ini", config);
        v.awaitLog(Pattern.compile("generation 1 accepting"), START);
        await().atMost(Duration.ofSeconds(10)).until(() -> Orphans.running(readPid(pidfile)));
        long first = readPid(pidfile);

        // its pid is gone: the master's once-a-second pidfile check starts it again
        new ProcessBuilder("kill", "-9", Long.toString(first)).start().waitFor();
        v.awaitLog(Pattern.compile("\\[uwsgi-daemons\\] respawning \"exec sleep 304\""), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> readPid(pidfile) != first
                && Orphans.running(readPid(pidfile)));
        long second = readPid(pidfile);

        // the master dies: the smart daemon lives on, and the next master adopts it
        v.signal("KILL");
        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(Orphans.running(second)).isTrue();
        ManagedProcess next = start("smart.ini", config);
        next.awaitLog(Pattern.compile("\\[uwsgi-daemons\\] found valid/active pidfile for \"exec sleep 304\" \\(pid: "
                + second + "\\)"), START);
        next.awaitLog(Pattern.compile("generation 1 accepting"), START);

        // a stop of the vassal stops it (uWSGI would leave it running)
        next.signal("TERM");
        next.awaitLog(Pattern.compile("\\[uwsgi-daemons\\] stopping daemon \\(pid: " + second + "\\): exec sleep 304"),
                Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> !next.isAlive());
        assertThat(Orphans.running(second)).isFalse();
    }
}
