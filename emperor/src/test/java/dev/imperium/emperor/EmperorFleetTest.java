package dev.imperium.emperor;

import dev.imperium.emperor.dashboard.FleetSnapshot;
import dev.imperium.emperor.dashboard.FleetSource;
import dev.imperium.emperor.dashboard.VassalRow;
import dev.imperium.emperor.stats.StatsReportTest;
import org.awaitility.Awaitility;
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
import java.util.concurrent.TimeoutException;

import static dev.imperium.emperor.FakeVassals.drop;
import static dev.imperium.emperor.FakeVassals.pidOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fleet page's view of a real emperor supervising {@link FakeVassal} processes. */
@Timeout(120)
class EmperorFleetTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Duration ASK = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    private final String marker = "emperor-fleet-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Emperor emperor;

    @AfterEach
    void bury() throws Exception {
        if (emperor != null && !emperor.isBuried()) {
            emperor.shutdown();
            assertThat(emperor.awaitBuried(Duration.ofSeconds(30))).as("buried").isTrue();
        }
        try {
            FakeVassals.assertAllGone(marker);
        } finally {
            FakeVassals.alive(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static VassalRow find(FleetSnapshot s, String name) {
        return s.vassals().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    @Test
    void showsEachVassalAsTheEmperorSeesIt() throws Exception {
        EmperorSettings settings = EmperorSettings.defaults(dir, FakeVassals.command(marker))
                .withReloadMercy(Duration.ofSeconds(2))
                .withBackoff(new BackoffPolicy(Duration.ofMillis(300), Duration.ofSeconds(2), 0.25));
        emperor = new Emperor(settings, out, new CommonsExecLauncher(out), Clock.systemDefaultZone(), new Random(7));
        FleetSource fleet = emperor.fleet();
        emperor.start();

        FleetSnapshot empty = fleet.snapshot(ASK);
        assertThat(empty.vassals()).isEmpty();
        assertThat(empty.emperorPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(empty.vassalDir()).isEqualTo(dir.toAbsolutePath().normalize().toString());

        drop(dir, "idle.ini", "mode = ok\n");
        out.await(0, "vassal idle\\.ini generation 1 accepting", T);
        VassalRow idle = find(fleet.snapshot(ASK), "idle.ini");
        assertThat(idle.state()).isEqualTo("RUNNING");
        assertThat(idle.pid()).isEqualTo(pidOf(out, "idle.ini"));
        assertThat(idle.generation()).isEqualTo(1);
        assertThat(idle.restarts()).isZero();
        assertThat(idle.uptimeMillis()).isNotNull().isNotNegative();
        assertThat(idle.lastError()).isNull();
        assertThat(idle.workersTotal()).as("no stats report").isNull();
        assertThat(idle.requestsTotal()).as("no stats report").isNull();

        // A vassal's STATS_REPORT: uWSGI's workers (busy, idle, cheap) and Imperium's request totals.
        Path report = Files.writeString(scratch.resolve("report.json"), StatsReportTest.sample());
        drop(dir, "app.ini", "mode = ok\nreport = " + report + "\n");
        out.await(0, "fake-vassal app\\.ini reported stats", T);
        VassalRow app = Awaitility.await().atMost(T).until(() -> find(fleet.snapshot(ASK), "app.ini"),
                r -> r != null && r.workersTotal() != null);
        assertThat(app.workersBusy()).isEqualTo(1);
        assertThat(app.workersTotal()).as("the cheaped worker is not running").isEqualTo(2);
        assertThat(app.requestsTotal()).isEqualTo(2001);

        drop(dir, "crash.ini", "mode = crash-at-start\nexit-code = 3\n");
        out.await(0, "respawning vassal crash\\.ini in \\d\\.\\d s \\(failure 3 in a row", T);
        FleetSnapshot s = fleet.snapshot(ASK);
        assertThat(s.vassals()).extracting(VassalRow::name).containsExactly("app.ini", "crash.ini", "idle.ini");
        VassalRow crash = find(s, "crash.ini");
        assertThat(crash.restarts()).isGreaterThanOrEqualTo(2);
        assertThat(crash.failures()).isGreaterThanOrEqualTo(2);
        assertThat(crash.lastError()).isNotNull();
        assertThat(crash.lastError().message()).isIn("exited with code 3; last FATAL: cannot load app: boom",
                "FATAL: cannot load app: boom");
        assertThat(crash.lastError().atMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset
                .offset(30_000L));
        assertThat(crash.lastError().log()).as("no log lines kept yet").isEmpty();
        if (crash.state().equals("BACKOFF")) {
            assertThat(crash.pid()).isNull();
            assertThat(crash.backoffMillis()).isNotNull().isBetween(0L, 2_000L);
        }

        emperor.shutdown();
        assertThat(emperor.awaitBuried(Duration.ofSeconds(30))).isTrue();
        assertThatThrownBy(() -> fleet.snapshot(Duration.ofMillis(200))).isInstanceOf(TimeoutException.class);
    }
}
