package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static dev.imperium.emperor.FakeVassals.drop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * uWSGI's emperor options (issue 7) with real {@link FakeVassal} processes in this JVM: extra config on the vassal's
 * command line, the required heartbeat, the blacklist switch.
 */
@Timeout(120)
class EmperorOptionsTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final String marker = "emperor-options-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Emperor emperor;

    private void start(UnaryOperator<EmperorSettings> tweak) throws Exception {
        EmperorSettings settings = FakeVassals.testSettings(dir, marker);
        emperor = new Emperor(tweak.apply(settings), out, new CommonsExecLauncher(out), Clock.systemDefaultZone(),
                new Random(7));
        emperor.start();
    }

    private static UnaryOperator<EmperorSettings> fleet(UnaryOperator<FleetOptions> f) {
        return s -> s.withFleet(f.apply(s.fleet()));
    }

    @AfterEach
    void bury() throws Exception {
        FakeVassals.bury(emperor, marker);
    }

    @Test
    void includesInheritsAndSetsGoOnTheVassalsCommandLineInUwsgisOrder() throws Exception {
        VassalArguments args = new VassalArguments(List.of("/t/tb.ini"), List.of("/t/cb.ini"), List.of("a=1"),
                List.of("/t/t.ini"), List.of("/t/c.ini"));
        start(fleet(f -> new FleetOptions(args, f.noBlacklist(), f.requiredHeartbeat(), f.gracefulShutdown(),
                f.tyrant())));
        drop(dir, "app.ini", "mode = ok\n");
        out.await(0, "vassal app\\.ini is ready to accept requests", T);
        out.await(0, "fake-vassal app\\.ini args --inherit /t/tb\\.ini --include /t/cb\\.ini --set a=1 --ini app\\.ini "
                + "--inherit /t/t\\.ini --include /t/c\\.ini$", T);
    }

    @Test
    void aVassalWhoseHeartbeatStopsIsKilledAndRespawnedInUwsgisWords() throws Exception {
        start(fleet(f -> new FleetOptions(f.arguments(), f.noBlacklist(), Duration.ofSeconds(1),
                f.gracefulShutdown(), f.tyrant())));
        drop(dir, "hb.ini", "mode = ok\nheartbeat-ms = 200\nheartbeats = 3\n");
        out.await(0, "fake-vassal hb\\.ini no more heartbeats", T);
        out.await(0, "\\[emperor] vassal hb\\.ini sent no heartbeat in last 1 seconds, brutally respawning it\\.\\.\\.$",
                T);
        out.await(0, "respawning vassal hb\\.ini now \\(failure 1 in a row: no heartbeat in the last 1 s, then was killed "
                + "by signal 9", T);
        out.await(0, "spawning vassal hb\\.ini: .*\\(spawn 2\\)$", T);
        EmperorSnapshot s = emperor.snapshot().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(s.vassals().getFirst().restarts(RestartReason.HEARTBEAT)).isEqualTo(1);
    }

    @Test
    void aVassalThatKeepsBeatingIsLeftAloneAndAVassalThatNeverBeatsIsNotWatched() throws Exception {
        start(fleet(f -> new FleetOptions(f.arguments(), f.noBlacklist(), Duration.ofSeconds(1),
                f.gracefulShutdown(), f.tyrant())));
        drop(dir, "beating.ini", "mode = ok\nheartbeat-ms = 200\n");
        drop(dir, "quiet.ini", "mode = ok\n");
        out.await(0, "vassal beating\\.ini is ready to accept requests", T);
        out.await(0, "vassal quiet\\.ini is ready to accept requests", T);
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < until) { // three times the required heartbeat: nothing may happen meanwhile
            Thread.sleep(100);
        }
        assertThat(out.count(0, "sent no heartbeat")).isZero();
        assertThat(out.count(0, "\\(spawn 2\\)")).isZero();
        EmperorSnapshot s = emperor.snapshot().get(5, java.util.concurrent.TimeUnit.SECONDS);
        VassalSnapshot beating = s.vassals().stream().filter(v -> v.name().equals("beating.ini")).findFirst()
                .orElseThrow();
        assertThat(beating.lastHeartbeat()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset
                .offset(2L));
        assertThat(s.vassals().stream().filter(v -> v.name().equals("quiet.ini")).findFirst().orElseThrow()
                .lastHeartbeat()).isZero();
    }

    @Test
    void withoutBlacklistAFailingVassalIsRespawnedAtOnceEveryTime() throws Exception {
        start(fleet(f -> new FleetOptions(f.arguments(), true, f.requiredHeartbeat(), f.gracefulShutdown(),
                f.tyrant())));
        drop(dir, "crash.ini", "mode = crash-at-start\n");
        out.await(0, "respawning vassal crash\\.ini now \\(failure 3 in a row", T);
        assertThat(out.count(0, "respawning vassal crash\\.ini in ")).isZero();
        assertThat(out.count(0, "throttling it")).isZero();
    }

    @Test
    void theBlacklistLogsInUwsgisWordsWhenThrottlingBegins() throws Exception {
        start(UnaryOperator.identity());
        drop(dir, "crash.ini", "mode = crash-at-start\n");
        out.await(0, "respawning vassal crash\\.ini in 0\\.\\d s \\(failure 2 in a row", T);
        out.await(0, "\\[emperor] unloyal bad behaving vassal found: crash\\.ini throttling it\\.\\.\\.$", T);
    }

    @Test
    void tyrantModeRefusesRootsFileOnceAndRunsAUsersFileThroughSetpriv() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.imperium.os.Credentials.effectiveUid() == 0, "needs root");
        start(fleet(f -> new FleetOptions(f.arguments(), f.noBlacklist(), f.requiredHeartbeat(),
                f.gracefulShutdown(), new Tyrant(true, false, false))));
        drop(dir, "root.ini", "mode = ok\n");
        out.await(0, "\\[emperor-tyrant] invalid permissions for vassal root\\.ini: the file is owned by root", T);
        Path users = dir.resolve(".users.ini.tmp");
        java.nio.file.Files.writeString(users, "mode = ok\n");
        java.nio.file.Files.setAttribute(users, "unix:uid", 65534);
        java.nio.file.Files.setAttribute(users, "unix:gid", 65534);
        java.nio.file.Files.move(users, dir.resolve("users.ini"));
        out.await(0, "\\[emperor-tyrant] dropping privileges to 65534 65534 for instance users\\.ini$", T);
        out.await(0, "spawning vassal users\\.ini: \\S*setpriv --reuid=65534 --regid=65534 --clear-groups -- ", T);
        emperor.rescan();
        Thread.sleep(300);
        assertThat(out.count(0, "invalid permissions for vassal root\\.ini")).as("logged once").isEqualTo(1);
        assertThat(out.count(0, "spawning vassal root\\.ini")).isZero();
        java.nio.file.Files.setAttribute(dir.resolve("root.ini"), "unix:uid", 65534); // a chown retries at once
        java.nio.file.Files.setAttribute(dir.resolve("root.ini"), "unix:gid", 65534);
        out.await(0, "\\[emperor-tyrant] dropping privileges to 65534 65534 for instance root\\.ini$", T);
        EmperorSnapshot s = emperor.snapshot().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(s.tyrant()).isTrue();
        assertThat(new String(EmperorStatsJson.render(s, true), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"emperor_tyrant\":1").contains("\"uid\":65534,\"gid\":65534");
    }

    @Test
    void tyrantModeWithAllowRootRunsRootsFileAsTheEmperor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.imperium.os.Credentials.effectiveUid() == 0, "needs root");
        start(fleet(f -> new FleetOptions(f.arguments(), f.noBlacklist(), f.requiredHeartbeat(),
                f.gracefulShutdown(), new Tyrant(true, false, true))));
        drop(dir, "root.ini", "mode = ok\n");
        out.await(0, "vassal root\\.ini is ready to accept requests", T);
        assertThat(out.count(0, "spawning vassal root\\.ini: \\S*setpriv")).isZero();
        assertThat(out.count(0, "dropping privileges")).isZero();
    }

    @Test
    void aGlobMonitorRunsOneVassalPerMatchingFileNamedByItsPath() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        java.nio.file.Files.createDirectories(dir.resolve("a"));
        java.nio.file.Files.createDirectories(dir.resolve("b"));
        start(s -> EmperorSettings.defaults(cwd, s.vassalCommand()).withReloadMercy(s.reloadMercy())
                .withFleet(s.fleet().withGlob(dir + "/*/vassal.ini")));
        drop(dir.resolve("a"), "vassal.ini", "mode = ok\n");
        drop(dir.resolve("b"), "vassal.ini", "mode = ok\n");
        String a = java.util.regex.Pattern.quote(dir + "/a/vassal.ini");
        String b = java.util.regex.Pattern.quote(dir + "/b/vassal.ini");
        out.await(0, "vassal " + a + " is ready to accept requests", T);
        out.await(0, "vassal " + b + " is ready to accept requests", T);
        out.await(0, "fake-vassal " + a + " pid \\d+ started in " + java.util.regex.Pattern.quote(cwd.toString()), T);
        assertThat(out.count(0, "vassals glob " + java.util.regex.Pattern.quote(dir + "/*/vassal.ini"))).isOne();
        java.nio.file.Files.delete(dir.resolve("a/vassal.ini"));
        out.await(0, "removed uwsgi instance " + a, T);
        assertThat(emperor.stateOf(dir + "/b/vassal.ini")).isEqualTo(VassalState.RUNNING);
        EmperorSnapshot s = emperor.snapshot().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(s.monitor()).isEqualTo(dir + "/*/vassal.ini");
        assertThat(s.vassals()).extracting(VassalSnapshot::config).containsExactly(dir.resolve("b/vassal.ini"));
    }
}
