package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.config.ConfigLoader;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.OptionStatus;
import dev.imperium.config.OptionTable;
import dev.imperium.stats.RestartReason;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master's side of the stats: why a worker was replaced, and what an in-flight request shows. */
class VassalStatsTest {
    /** {@code reason(...)} for a worker of generation 2, the current one, told nothing special. */
    private static RestartReason reason(boolean stopping, boolean harakiri, RestartReason mark, boolean cheaped,
            boolean recycling, long served, boolean wasStopping, int generation) {
        return VassalStats.reason(stopping, harakiri, mark, cheaped, recycling, 1000, served, wasStopping, generation,
                2);
    }

    @Test
    void aWorkerThatDiesUntoldCrashed() {
        assertThat(reason(false, false, null, false, false, 5, false, 2)).isEqualTo(RestartReason.CRASH);
    }

    @Test
    void harakiriWinsOverWhatFollowsIt() {
        // a graceful harakiri with SIGHUP makes the worker recycle itself: still a harakiri
        assertThat(reason(false, true, null, false, true, 5, true, 2)).isEqualTo(RestartReason.HARAKIRI);
    }

    @Test
    void recyclingIsMaxRequestsWhenItServedThemElseReloadOnRss() {
        assertThat(reason(false, false, null, false, true, 1000, true, 2)).isEqualTo(RestartReason.MAX_REQUESTS);
        assertThat(reason(false, false, null, false, true, 999, true, 2)).isEqualTo(RestartReason.RELOAD_ON_RSS);
        assertThat(VassalStats.reason(false, false, null, false, true, 0, 50, true, 2, 2))
                .as("no max-requests at all").isEqualTo(RestartReason.RELOAD_ON_RSS);
    }

    @Test
    void whatTheMasterNotedWins() {
        assertThat(reason(false, false, RestartReason.MAX_WORKER_LIFETIME, false, true, 5, true, 2))
                .isEqualTo(RestartReason.MAX_WORKER_LIFETIME);
        assertThat(reason(false, false, RestartReason.EVIL_RELOAD_ON_RSS, false, false, 5, false, 2))
                .isEqualTo(RestartReason.EVIL_RELOAD_ON_RSS);
    }

    @Test
    void cheapedWorkersAreCheaperRestarts() {
        assertThat(reason(false, false, null, true, false, 5, true, 2)).isEqualTo(RestartReason.CHEAPER);
    }

    @Test
    void workersRetiredByAReloadAreReloadRestarts() {
        assertThat(reason(false, false, null, false, false, 5, true, 1)).as("an older generation retired")
                .isEqualTo(RestartReason.RELOAD);
        assertThat(reason(false, false, null, false, false, 5, true, 2)).as("a chain reload's old worker")
                .isEqualTo(RestartReason.RELOAD);
    }

    @Test
    void noRestartWhenTheVassalStopsOrANewGenerationFails() {
        assertThat(reason(true, false, null, false, false, 5, true, 2)).isNull();
        assertThat(reason(true, true, null, false, false, 5, false, 2)).isNull();
        assertThat(reason(false, false, null, false, false, 0, false, 3)).as("a new worker that failed").isNull();
        assertThat(reason(false, false, null, false, false, 0, true, 3)).as("a failed reload's worker").isNull();
    }

    @Test
    void anInFlightRequestShowsItsMethodUriAndAddress() {
        assertThat(VassalStats.vars("127.0.0.1 - GET /block?file=x y")).containsExactly("REQUEST_METHOD=GET",
                "REQUEST_URI=/block?file=x y", "REMOTE_ADDR=127.0.0.1");
        assertThat(VassalStats.vars("")).as("no descriptions written").isEmpty();
    }

    @Test
    void protocolsAreNamedAsUwsgiNamesThem() {
        assertThat(VassalStats.protoName(SocketProtocol.HTTP)).isEqualTo("http");
        assertThat(VassalStats.protoName(SocketProtocol.UWSGI)).isEqualTo("uwsgi");
        assertThat(VassalStats.protoName(SocketProtocol.FASTCGI_NPH)).isEqualTo("fastcgi-nph");
        assertThat(VassalStats.protoName(SocketProtocol.SCGI)).isEqualTo("scgi");
    }

    @Test
    void theStatsOptionsAreReadUnderUwsgisNamesAndAliases(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"stats", "stats-server", "stats-http", "stats-minified", "stats-min",
                "stats-no-cores", "stats-no-metrics"}) {
            assertThat(OptionTable.lookup(name).status()).as(name).isEqualTo(OptionStatus.SUPPORTED);
        }
        assertThat(OptionTable.lookup("stats-push").status()).isEqualTo(OptionStatus.UNSUPPORTED);
        Files.writeString(dir.resolve("v.ini"), "[uwsgi]\nhttp-socket = :8080\nstats-server = 127.0.0.1:9191\n"
                + "stats-http = true\nstats-min = true\nstats-no-cores = 1\nstats-no-metrics = true\n");
        VassalSettings s = VassalSettings.from(new ConfigLoader(new LoaderOptions(Map.of(), false, dir)).load("v.ini"));
        assertThat(s.stats()).isEqualTo("127.0.0.1:9191");
        assertThat(s.statsHttp()).isTrue();
        assertThat(s.statsMinified()).isTrue();
        assertThat(s.statsNoCores()).isTrue();
        Files.writeString(dir.resolve("w.ini"), "[uwsgi]\nhttp-socket = :8080\n");
        VassalSettings none = VassalSettings.from(new ConfigLoader(new LoaderOptions(Map.of(), false, dir))
                .load("w.ini"));
        assertThat(none.stats()).isNull();
        assertThat(none.statsHttp() || none.statsMinified() || none.statsNoCores()).isFalse();
    }

    @Test
    void memoryComesFromProcStatus() {
        ProcMemory m = ProcMemory.parse("Name:\tjava\nVmPeak:\t  999 kB\nVmSize:\t 4096 kB\nVmRSS:\t 1024 kB\n");
        assertThat(m).isEqualTo(new ProcMemory(1024L * 1024, 4096L * 1024));
        assertThat(ProcMemory.parse("Name:\tkthreadd\n")).isEqualTo(ProcMemory.NONE);
        assertThat(ProcMemory.self().rss()).isPositive();
        assertThat(ProcMemory.of(Long.MAX_VALUE)).isEqualTo(ProcMemory.NONE);
    }
}
