package dev.imperium.emperor;

import dev.imperium.emperor.dashboard.FleetSnapshot;
import dev.imperium.emperor.dashboard.VassalRow;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the emperor's snapshot becomes the fleet page's rows. */
class EmperorFleetSourceTest {
    private static final long NOW = 1_795_432_479_123L;
    private static final String REPORT = "{\"workers\":[{\"status\":\"busy\",\"requests\":5},"
            + "{\"status\":\"idle\",\"requests\":7}],\"imperium\":{\"requests_by_class\":{\"2xx\":40,\"5xx\":2}}}";

    private static VassalSnapshot vassal(String name, VassalState state, boolean waiting, long pid, int generation,
                                         long[] restarts, int failures, long backoffRemaining, long processStart,
                                         String lastError, long lastErrorAt, String stats) {
        return new VassalSnapshot(name, Path.of("/v", name), state, waiting, pid, generation, 1, 0, failures, restarts,
                0, backoffRemaining, 0, 0, 0, false, false, false, 0, 0, 0, 0, 0, 0, 0, 0, processStart, 0, lastError,
                lastErrorAt, stats);
    }

    private static FleetSnapshot fleet(VassalSnapshot... vassals) {
        EmperorSnapshot s = new EmperorSnapshot("0.1", 4242, 0, 0, "/", Path.of("/v"), NOW - 60_000, 2, 0, 0, NOW,
                List.of(vassals));
        return EmperorFleetSource.toFleet(s, "web1", name -> List.of("last line of " + name),
                new StatsReportCache());
    }

    @Test
    void aRunningVassalWithAStatsReport() {
        FleetSnapshot f = fleet(vassal("app.ini", VassalState.RUNNING, false, 4250, 2,
                new long[RestartReason.values().length], 0, 0, NOW - 79_100, null, 0, REPORT));

        assertThat(f.emperorPid()).isEqualTo(4242);
        assertThat(f.emperorStartedMillis()).isEqualTo(NOW - 60_000);
        assertThat(f.host()).isEqualTo("web1");
        assertThat(f.vassalDir()).isEqualTo("/v");
        assertThat(f.takenAtMillis()).isEqualTo(NOW);
        assertThat(f.vassals()).containsExactly(new VassalRow("app.ini", "RUNNING", false, 4250L, 2, 0, 0, null,
                79_100L, 1, 2, 42L, null));
    }

    @Test
    void aReportWithoutWorkersOrRequestCountsShowsNone() {
        VassalRow bare = fleet(vassal("bare.ini", VassalState.RUNNING, false, 4250, 1,
                new long[RestartReason.values().length], 0, 0, NOW - 1_000, null, 0, "{\"pid\":4250}"))
                .vassals().getFirst();
        VassalRow uncounted = fleet(vassal("idle.ini", VassalState.RUNNING, false, 4251, 1,
                new long[RestartReason.values().length], 0, 0, NOW - 1_000, null, 0,
                "{\"workers\":[{\"status\":\"idle\"},{\"status\":\"cheap\"}]}")).vassals().getFirst();

        assertThat(bare.workersBusy()).isNull();
        assertThat(bare.workersTotal()).isNull();
        assertThat(bare.requestsTotal()).isNull();
        assertThat(uncounted.workersBusy()).isZero();
        assertThat(uncounted.workersTotal()).isEqualTo(1);
        assertThat(uncounted.requestsTotal()).isNull();
    }

    @Test
    void aVassalInBackoffWithItsLastError() {
        long[] restarts = new long[RestartReason.values().length];
        restarts[0] = 2;
        restarts[1] = 1;
        VassalRow row = fleet(vassal("crash.ini", VassalState.BACKOFF, false, -1, 0, restarts, 3, 3_960, 0,
                "exited with code 3", 1_795_432_470L, null)).vassals().getFirst();

        assertThat(row.pid()).isNull();
        assertThat(row.generation()).isNull();
        assertThat(row.uptimeMillis()).isNull();
        assertThat(row.restarts()).isEqualTo(3);
        assertThat(row.failures()).isEqualTo(3);
        assertThat(row.backoffMillis()).isEqualTo(3_960L);
        assertThat(row.workersTotal()).isNull();
        assertThat(row.lastError()).isEqualTo(new VassalRow.Problem("exited with code 3", 1_795_432_470_000L,
                List.of("last line of crash.ini")));
    }

    @Test
    void aVassalWaitingForAStartSlot() {
        VassalRow row = fleet(vassal("b.ini", VassalState.STARTING, true, -1, 0,
                new long[RestartReason.values().length], 0, 0, 0, null, 0, null)).vassals().getFirst();
        assertThat(row.waiting()).isTrue();
        assertThat(row.backoffMillis()).as("only in backoff").isNull();
    }
}
