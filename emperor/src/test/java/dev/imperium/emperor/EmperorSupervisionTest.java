package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static dev.imperium.emperor.FakeVassals.drop;
import static dev.imperium.emperor.FakeVassals.isAlive;
import static dev.imperium.emperor.FakeVassals.pidOf;
import static dev.imperium.emperor.FakeVassals.touch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The emperor supervising real {@link FakeVassal} processes, in this JVM: spawn, readiness, reload, refused reload,
 * stop, crash and backoff, touch during backoff, SIGKILL after the mercy, isolation between vassals.
 */
@Timeout(120)
class EmperorSupervisionTest {
    /** A vassal JVM may take a few seconds to start on a loaded 2-core machine. */
    private static final Duration T = Duration.ofSeconds(30);
    private static final String STAMP = "^\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} - ";

    @TempDir
    Path dir;

    private final String marker = "emperor-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Emperor emperor;

    private void start(UnaryOperator<EmperorSettings> tweak) throws Exception {
        EmperorSettings settings = FakeVassals.testSettings(dir, marker);
        emperor = new Emperor(tweak.apply(settings), out, new CommonsExecLauncher(out), Clock.systemDefaultZone(),
                new Random(7));
        emperor.start();
    }

    private void start() throws Exception {
        start(UnaryOperator.identity());
    }

    @AfterEach
    void bury() throws Exception {
        FakeVassals.bury(emperor, marker);
    }

    @Test
    void droppedFileIsSpawnedAndReportedReadyInUwsgiWords() throws Exception {
        start();
        out.await(0, "^\\*\\*\\* starting Imperium Emperor \\*\\*\\*$", T);
        drop(dir, "app.ini", "mode = ok\nloyal = true\n");
        out.await(0, STAMP + "\\[emperor] vassal app\\.ini has been spawned$", T);
        out.await(0, STAMP + "\\[emperor] vassal app\\.ini is ready to accept requests$", T);
        out.await(0, STAMP + "\\[emperor] vassal app\\.ini is now loyal$", T);
        out.await(0, "\\[emperor] vassal app\\.ini generation 1 accepting \\(pid \\d+, \\d+ ms after spawn\\)", T);
        assertThat(emperor.stateOf("app.ini")).isEqualTo(VassalState.RUNNING);
        // The vassal runs in the vassal directory and knows it, the socket and its token.
        String started = out.await(0, "fake-vassal app\\.ini pid \\d+ started", T);
        assertThat(started).contains("started in " + dir.toRealPath()).endsWith("vassals-dir " + dir.toRealPath());
        assertThat(out.count(0, "spawning vassal app\\.ini: .*FakeVassal app\\.ini$")).isEqualTo(1);
    }

    @Test
    void touchReloadsGracefullyAndTheNewGenerationIsReported() throws Exception {
        start();
        drop(dir, "app.ini", "mode = ok\n");
        out.await(0, "vassal app\\.ini is ready to accept requests", T);
        long pid = pidOf(out, "app.ini");
        int mark = out.mark();
        touch(dir.resolve("app.ini"));
        out.await(mark, STAMP + "\\[emperor] reload the uwsgi instance app\\.ini$", T);
        out.await(mark, STAMP + "\\[emperor] vassal app\\.ini is ready to accept requests$", T);
        out.await(mark, "vassal app\\.ini generation 2 accepting \\(pid " + pid + ", \\d+ ms after reload\\)", T);
        assertThat(emperor.stateOf("app.ini")).isEqualTo(VassalState.RUNNING);
        assertThat(isAlive(pid)).as("a reload keeps the vassal process").isTrue();
    }

    @Test
    void aRefusedReloadIsLoggedAndTheOldGenerationKeepsServing() throws Exception {
        start();
        drop(dir, "app.ini", "mode = ok\n");
        out.await(0, "vassal app\\.ini is ready to accept requests", T);
        long pid = pidOf(out, "app.ini");
        int mark = out.mark();
        drop(dir, "app.ini", "mode = ok\nreload = fail\n");
        out.await(mark, "reload the uwsgi instance app\\.ini", T);
        out.await(mark, "\\[emperor] vassal app\\.ini refused the reload: config error: reload = fail in app\\.ini; "
                + "generation 1 keeps serving$", T);
        assertThat(emperor.stateOf("app.ini")).isEqualTo(VassalState.RUNNING);
        assertThat(isAlive(pid)).isTrue();
        assertThat(out.count(mark, "curse|respawning|stop the")).isZero();
        // Fixing the file and touching it reloads again.
        mark = out.mark();
        drop(dir, "app.ini", "mode = ok\nreload = ok\n");
        out.await(mark, "vassal app\\.ini generation 2 accepting", T);
    }

    @Test
    void removingTheFileStopsTheVassalAndItsProcessIsGone() throws Exception {
        start();
        drop(dir, "app.ini", "mode = ok\nchild = true\n");
        out.await(0, "vassal app\\.ini is ready to accept requests", T);
        long pid = pidOf(out, "app.ini");
        long child = FakeVassals.childOf(out, "app.ini");
        assertThat(isAlive(pid)).isTrue();
        assertThat(isAlive(child)).isTrue();
        int mark = out.mark();
        Files.delete(dir.resolve("app.ini"));
        out.await(mark, STAMP + "\\[emperor] stop the uwsgi instance app\\.ini$", T);
        out.await(mark, "fake-vassal app\\.ini stopping gracefully", T);
        out.await(mark, STAMP + "\\[emperor] removed uwsgi instance app\\.ini$", T);
        assertThat(out.indexOf(mark, "stop the uwsgi")).isLessThan(out.indexOf(mark, "removed uwsgi"));
        assertThat(out.count(mark, "exited with code 0")).isEqualTo(1);
        assertThat(emperor.stateOf("app.ini")).isNull();
        FakeVassals.assertAllGone(marker, pid, child); // the group sweep took the child too
    }

    @Test
    void aCrashingVassalIsRespawnedWithAGrowingBackoffAndTheReasonIsLogged() throws Exception {
        start();
        drop(dir, "crash.ini", "mode = crash-at-start\nexit-code = 3\n");
        out.await(0, STAMP + "\\[emperor] curse the uwsgi instance crash\\.ini \\(pid: \\d+\\)$", T);
        out.await(0, "vassal crash\\.ini reports a fatal error: cannot load app: boom", T);
        out.await(0, "vassal crash\\.ini \\(pid \\d+\\) exited with code 3; last FATAL: cannot load app: boom", T);
        out.await(0, "respawning vassal crash\\.ini now \\(failure 1 in a row: exited with code 3; "
                + "last FATAL: cannot load app: boom\\)", T);
        out.await(0, "respawning vassal crash\\.ini in 0\\.\\d s \\(failure 2 in a row: exited with code 3; "
                + "last FATAL: cannot load app: boom; touch the file to retry at once\\)", T);
        out.await(0, "respawning vassal crash\\.ini in \\d\\.\\d s \\(failure 3 in a row", T);
        assertThat(emperor.stateOf("crash.ini")).isIn(VassalState.BACKOFF, VassalState.STARTING);
        assertThat(out.count(0, "has been spawned")).isZero();
    }

    /** Issue 8, bad configs: a vassal that exits with EX_CONFIG is reported once and waits for its file to change. */
    @Test
    void aBadConfigIsReportedOnceAndRetriedOnlyWhenTheFileChanges() throws Exception {
        start();
        drop(dir, "bad.ini", "mode = crash-at-start\nexit-code = 78\n");
        out.await(0, "vassal bad\\.ini \\(pid \\d+\\) exited with code 78 \\(bad config\\); last FATAL: cannot load app",
                T);
        out.await(0, STAMP + "\\[emperor] vassal bad\\.ini has a bad config: not respawned until its file changes", T);
        drop(dir, "ok.ini", "mode = ok\n"); // another vassal starts meanwhile (a JVM start: long enough to see a loop)
        out.await(0, "vassal ok\\.ini is ready to accept requests", T);
        assertThat(out.count(0, "spawning vassal bad\\.ini")).isEqualTo(1);
        assertThat(out.count(0, "respawning")).isZero();
        assertThat(emperor.stateOf("bad.ini")).isEqualTo(VassalState.BACKOFF);
        int mark = out.mark();
        drop(dir, "bad.ini", "mode = ok\n");
        out.await(mark, "vassal bad\\.ini changed during its backoff: retrying now", T);
        out.await(mark, "vassal bad\\.ini is ready to accept requests", T);
    }

    @Test
    void aVassalThatDiesAfterRunningIsRespawnedAtOnce() throws Exception {
        start();
        drop(dir, "app.ini", "mode = crash-later\ncrash-after-ms = 300\nexit-code = 4\n");
        out.await(0, "vassal app\\.ini is ready to accept requests", T);
        out.await(0, "curse the uwsgi instance app\\.ini", T);
        out.await(0, "respawning vassal app\\.ini now \\(failure 1 in a row: exited with code 4\\)$", T);
        out.await(0, "spawning vassal app\\.ini: .*\\(spawn 2\\)$", T);
        int respawning = out.indexOf(0, "respawning vassal app\\.ini now");
        // No waiting: the very next emperor line is the new spawn.
        assertThat(out.indexOf(respawning + 1, "\\[emperor]")).isEqualTo(out.indexOf(0, "\\(spawn 2\\)$"));
    }

    @Test
    void aVassalThatStayedUpLongEnoughHasItsBackoffForgiven() throws Exception {
        start(s -> s.withStableAfter(Duration.ofMillis(500)));
        // Runs 1.2 s after accepting each time: longer than the 0.5 s stability time, so every crash is a first one.
        drop(dir, "app.ini", "mode = crash-later\ncrash-after-ms = 1200\n");
        out.await(0, "spawning vassal app\\.ini: .*\\(spawn 3\\)$", T);
        assertThat(out.count(0, "respawning vassal app\\.ini now \\(failure 1 in a row")).isGreaterThanOrEqualTo(2);
        assertThat(out.count(0, "failure 2 in a row")).isZero();
    }

    @Test
    void touchDuringBackoffRetriesAtOnce() throws Exception {
        start(s -> s.withBackoff(new BackoffPolicy(Duration.ofSeconds(60), Duration.ofSeconds(60), 0)));
        drop(dir, "crash.ini", "mode = crash-at-start\n");
        out.await(0, "respawning vassal crash\\.ini in 60 s \\(failure 2 in a row", T);
        assertThat(emperor.stateOf("crash.ini")).isEqualTo(VassalState.BACKOFF);
        int mark = out.mark();
        drop(dir, "crash.ini", "mode = ok\n"); // the fix, deployed
        long t0 = System.nanoTime();
        out.await(mark, "\\[emperor] vassal crash\\.ini changed during its backoff: retrying now$", T);
        long retryMillis = (System.nanoTime() - t0) / 1_000_000;
        out.await(mark, "vassal crash\\.ini is ready to accept requests", T);
        assertThat(retryMillis).as("no 60 s wait").isLessThan(5000);
        assertThat(emperor.stateOf("crash.ini")).isEqualTo(VassalState.RUNNING);
    }

    @Test
    void aVassalIgnoringStopIsKilledWithItsWholeGroupAfterTheMercy() throws Exception {
        start(s -> s.withReloadMercy(Duration.ofSeconds(1)));
        drop(dir, "stubborn.ini", "mode = ignore-stop\nchild = true\n");
        out.await(0, "vassal stubborn\\.ini is ready to accept requests", T);
        long pid = pidOf(out, "stubborn.ini");
        long child = FakeVassals.childOf(out, "stubborn.ini");
        assertThat(isAlive(child)).isTrue();
        int mark = out.mark();
        long t0 = System.nanoTime();
        Files.delete(dir.resolve("stubborn.ini"));
        out.await(mark, "stop the uwsgi instance stubborn\\.ini", T);
        out.await(mark, "fake-vassal stubborn\\.ini ignoring stop", T);
        out.await(mark, STAMP + "\\[emperor] NO MERCY for vassal stubborn\\.ini !!!$", T);
        out.await(mark, "vassal stubborn\\.ini \\(pid " + pid + "\\) was killed by signal 9 \\(SIGKILL\\)", T);
        out.await(mark, "removed uwsgi instance stubborn\\.ini", T);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).as("killed after about the mercy").isBetween(900L, 10_000L);
        FakeVassals.assertAllGone(marker, pid, child);
    }

    @Test
    void oneBrokenVassalDoesNotDisturbAnother() throws Exception {
        start();
        drop(dir, "good.ini", "mode = ok\n");
        out.await(0, "vassal good\\.ini is ready to accept requests", T);
        long good = pidOf(out, "good.ini");
        drop(dir, "bad.ini", "mode = crash-at-start\n");
        out.await(0, "respawning vassal bad\\.ini in .*failure 3 in a row", T);
        int mark = out.mark();
        touch(dir.resolve("good.ini"));
        out.await(mark, "vassal good\\.ini generation 2 accepting", T);
        out.await(mark, "respawning vassal bad\\.ini in .*failure 4 in a row", T);
        assertThat(isAlive(good)).isTrue();
        assertThat(pidOf(out, "good.ini")).isEqualTo(good);
        assertThat(emperor.stateOf("good.ini")).isEqualTo(VassalState.RUNNING);
        assertThat(out.count(0, "curse the uwsgi instance good\\.ini|stop the uwsgi instance good")).isZero();
    }

    @Test
    void changesWhileStartingQueueExactlyOneReload() throws Exception {
        start();
        drop(dir, "slow.ini", "mode = ok\nstart-delay-ms = 2000\n");
        out.await(0, "vassal slow\\.ini has been spawned", T);
        touch(dir.resolve("slow.ini"));
        out.await(0, "vassal slow\\.ini changed while starting: one more reload queued", T);
        touch(dir.resolve("slow.ini")); // a second change, after the first was settled and queued
        out.await(0, "vassal slow\\.ini generation 2 accepting", T);
        await("no second reload").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> out.count(0, "generation 3") == 0);
        assertThat(out.count(0, "reload the uwsgi instance slow\\.ini")).isEqualTo(1);
        assertThat(emperor.stateOf("slow.ini")).isEqualTo(VassalState.RUNNING);
    }

    @Test
    void aVassalThatNeverBecomesReadyIsKilledAndRetried() throws Exception {
        start(s -> s.withStartTimeout(Duration.ofSeconds(3)));
        drop(dir, "stuck.ini", "mode = never-ready\n");
        out.await(0, "vassal stuck\\.ini has been spawned", T);
        out.await(0, "vassal stuck\\.ini \\(pid \\d+\\) not ready within 3 s: killing it", T);
        out.await(0, "respawning vassal stuck\\.ini now \\(failure 1 in a row: not ready within 3 s, then was "
                + "killed by signal 9 \\(SIGKILL\\)\\)", T);
        out.await(0, "spawning vassal stuck\\.ini: .*\\(spawn 2\\)", T);
    }

    @Test
    void sighupReloadsEveryVassal() throws Exception {
        start();
        drop(dir, "a.ini", "mode = ok\n");
        drop(dir, "b.ini", "mode = ok\n");
        out.await(0, "vassal a\\.ini is ready", T);
        out.await(0, "vassal b\\.ini is ready", T);
        int mark = out.mark();
        emperor.reloadAll();
        out.await(mark, "vassal a\\.ini generation 2 accepting", T);
        out.await(mark, "vassal b\\.ini generation 2 accepting", T);
        assertThat(out.count(mark, "reload the uwsgi instance")).isEqualTo(2);
    }

    @Test
    void aFileRecreatedWhileItsVassalStopsStartsAFreshOneOnceTheOldIsGone() throws Exception {
        start(s -> s.withReloadMercy(Duration.ofSeconds(1)));
        drop(dir, "app.ini", "mode = ignore-stop\n");
        out.await(0, "vassal app\\.ini is ready to accept requests", T);
        long old = pidOf(out, "app.ini");
        int mark = out.mark();
        Files.delete(dir.resolve("app.ini"));
        out.await(mark, "stop the uwsgi instance app\\.ini", T);
        drop(dir, "app.ini", "mode = ok\n");
        out.await(mark, "vassal app\\.ini is back while stopping: it will start again once the old one is gone", T);
        out.await(mark, "NO MERCY for vassal app\\.ini", T);
        out.await(mark, "spawning vassal app\\.ini: .*\\(spawn 2\\)$", T);
        out.await(mark, "vassal app\\.ini is ready to accept requests", T);
        assertThat(isAlive(old)).isFalse();
        assertThat(pidOf(out, "app.ini")).isNotEqualTo(old);
        assertThat(out.count(mark, "removed uwsgi instance")).isZero();
        assertThat(emperor.stateOf("app.ini")).isEqualTo(VassalState.RUNNING);
    }

    @Test
    void aMissingVassalProgramIsReportedAndRetriedWithBackoff() throws Exception {
        emperor = new Emperor(EmperorSettings.defaults(dir, java.util.List.of(dir.resolve("no-such-vassal").toString()))
                .withBackoff(new BackoffPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 0)),
                out, new CommonsExecLauncher(out), Clock.systemDefaultZone(), new Random(3));
        emperor.start();
        drop(dir, "app.ini", "mode = ok\n");
        out.await(0, "vassal app\\.ini could not be started: Cannot run program .*no-such-vassal", T);
        out.await(0, "respawning vassal app\\.ini in 0\\.1 s \\(failure 2 in a row: could not be started", T);
        out.await(0, "respawning vassal app\\.ini in 0\\.5 s \\(failure 5 in a row", T);
        assertThat(out.count(0, "curse")).as("nothing to curse: it never ran").isZero();
    }

    @Test
    void ragnarokStopsEveryVassalThenBuriesTheEmperor() throws Exception {
        start();
        drop(dir, "a.ini", "mode = ok\n");
        drop(dir, "b.json", "mode = ok\n");
        out.await(0, "vassal a\\.ini is ready", T);
        out.await(0, "vassal b\\.json is ready", T);
        int mark = out.mark();
        emperor.shutdown();
        emperor.shutdown();
        assertThat(emperor.awaitBuried(T)).isTrue();
        out.await(mark, "^\\[emperor] \\*\\*\\* RAGNAROK EVOKED \\*\\*\\*$", T);
        out.await(mark, "^\\[emperor] \\*\\*\\* RAGNAROK ALREADY EVOKED \\(mercyless in \\d+ seconds\\)\\*\\*\\*$", T);
        out.await(mark, "stop the uwsgi instance a\\.ini", T);
        out.await(mark, "stop the uwsgi instance b\\.json", T);
        out.await(mark, "removed uwsgi instance a\\.ini", T);
        out.await(mark, "removed uwsgi instance b\\.json", T);
        out.await(mark, STAMP + "The Emperor is buried\\.$", T);
        assertThat(out.indexOf(mark, "removed uwsgi instance b")).isLessThan(out.indexOf(mark, "buried"));
        assertThat(Files.exists(emperor.controlSocket())).as("control socket removed").isFalse();
        assertThat(Files.exists(emperor.controlSocket().getParent())).as("runtime dir removed").isFalse();
    }

    @Test
    void withStartConcurrencyOneTheSecondVassalIsLaunchedOnceTheFirstAccepts() throws Exception {
        start(s -> s.withStartConcurrency(1));
        drop(dir, "a.ini", "mode = ok\nstart-delay-ms = 1500\n");
        out.await(0, "spawning vassal a\\.ini", T);
        drop(dir, "b.ini", "mode = ok\n");
        out.await(0, STAMP + "\\[emperor] vassal b\\.ini waits to start: 1 vassal is starting "
                + "\\(--start-concurrency 1\\)$", T);
        out.await(0, "vassal b\\.ini is ready to accept requests", T);
        assertThat(out.indexOf(0, "spawning vassal b\\.ini"))
                .as("b is launched after a accepts")
                .isGreaterThan(out.indexOf(0, "vassal a\\.ini is ready to accept requests"));
        assertThat(emperor.stateOf("a.ini")).isEqualTo(VassalState.RUNNING);
        assertThat(emperor.stateOf("b.ini")).isEqualTo(VassalState.RUNNING);
    }

    @Test
    void aVassalRemovedWhileWaitingToStartIsNeverLaunched() throws Exception {
        start(s -> s.withStartConcurrency(1));
        drop(dir, "slow.ini", "mode = never-ready\n");
        out.await(0, "spawning vassal slow\\.ini", T);
        drop(dir, "b.ini", "mode = ok\n");
        out.await(0, "vassal b\\.ini waits to start", T);
        Files.delete(dir.resolve("b.ini"));
        out.await(0, STAMP + "\\[emperor] vassal b\\.ini was stopped while waiting to start$", T);
        out.await(0, "removed uwsgi instance b\\.ini", T);
        assertThat(out.count(0, "spawning vassal b\\.ini")).isZero();
        assertThat(emperor.stateOf("b.ini")).isNull();
    }

    @Test
    void aVassalThatDoesNotAcceptGivesItsStartSlotBackAfterTheLease() throws Exception {
        start(s -> s.withStartConcurrency(1));
        drop(dir, "hung.ini", "mode = never-ready\n");
        out.await(0, "spawning vassal hung\\.ini", T);
        long t0 = System.nanoTime();
        drop(dir, "b.ini", "mode = ok\n");
        out.await(0, "vassal b\\.ini waits to start", T);
        out.await(0, "vassal b\\.ini is ready to accept requests", T.plus(Supervisor.START_SLOT_LEASE));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Supervisor.START_SLOT_LEASE.minusSeconds(1));
        assertThat(emperor.stateOf("hung.ini")).isEqualTo(VassalState.STARTING);
    }
}
