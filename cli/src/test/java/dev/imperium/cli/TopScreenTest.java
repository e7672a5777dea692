package dev.imperium.cli;

import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.VassalStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames of imperium top: per-worker rows from the stats report, rates between frames, no-stats fallback. */
class TopScreenTest {
    private static final ControlReply.EmperorInfo EMPEROR = new ControlReply.EmperorInfo(77, "0.1", "/v", 65);
    private static final Instant NOON = Instant.parse("2026-11-25T12:00:00Z");

    /** A stats report in uWSGI 2.0's shape (uwsgi-measured.md §7) with Imperium's extra object. */
    private static String stats(long requests1, long requests2) {
        return "{\"version\":\"2.0.21\",\"listen_queue\":0,\"pid\":30321,\"workers\":["
                + "{\"id\":1,\"pid\":30326,\"accepting\":1,\"requests\":" + requests1 + ",\"status\":\"idle\","
                + "\"rss\":11624448,\"vsz\":61190144,\"tx\":102706,\"avg_rt\":11,\"respawn_count\":1},"
                + "{\"id\":2,\"pid\":30327,\"accepting\":1,\"requests\":" + requests2 + ",\"status\":\"busy\","
                + "\"rss\":11624448,\"tx\":2048,\"avg_rt\":2500,\"respawn_count\":1}],"
                + "\"imperium\":{\"generation\":1,\"rss_bytes\":104857600}}";
    }

    private static VassalStatus running(String stats) {
        return new VassalStatus("app.ini", VassalStatus.State.RUNNING, "RUNNING", 30321, 1, 30, 0, 0, -1, null, 0,
                1, 2, stats);
    }

    @Test
    void workersAreRowsAndRatesComeFromTheSecondFrame() {
        TopScreen screen = new TopScreen(ZoneOffset.UTC);
        String first = screen.render(new ControlReply.Status(EMPEROR, List.of(running(stats(1154, 10)))), 0, NOON, 1);
        assertThat(first).isEqualTo("""
                imperium top - 12:00:00, emperor pid 77, up 0:01:05, 1 vassal (1 serving), refresh 1 s
                requests: 1164 served, 0.0 req/s; memory: 100.0M RSS

                VASSAL   WID    PID  STATUS   REQ  RPS   AVG    RSS      TX  RESPAWN
                app.ini    1  30326  idle    1154    -  11us  11.1M  100.3K        1
                app.ini    2  30327  busy      10    -   2ms  11.1M    2.0K        1
                """);
        String second = screen.render(new ControlReply.Status(EMPEROR, List.of(running(stats(1254, 13)))),
                2_000_000_000L, NOON.plusSeconds(2), 1);
        assertThat(second).contains("imperium top - 12:00:02").contains("requests: 1267 served, 51.5 req/s")
                .contains("app.ini    1  30326  idle    1254   50  11us")
                .contains("app.ini    2  30327  busy      13  1.5   2ms");
    }

    @Test
    void aRespawnedWorkerStartsItsRateAgain() {
        TopScreen screen = new TopScreen(ZoneOffset.UTC);
        screen.render(new ControlReply.Status(EMPEROR, List.of(running(stats(100, 10)))), 0, NOON, 0.5);
        String after = screen.render(new ControlReply.Status(EMPEROR, List.of(running(stats(5, 11)
                .replace("30326", "40000")))), 1_000_000_000L, NOON, 0.5);
        assertThat(after).contains("refresh 0.5 s").contains("app.ini    1  40000  idle      5    -  11us")
                .contains("app.ini    2  30327  busy     11  1.0   2ms");
    }

    @Test
    void withoutStatsReportsItShowsWhatTheEmperorKnowsAndSaysSo() {
        VassalStatus starting = new VassalStatus("new.ini", VassalStatus.State.STARTING, "STARTING", 99, 0, 1, 0, 0,
                -1, null, 0, -1, -1, null);
        VassalStatus noReport = new VassalStatus("app.ini", VassalStatus.State.RUNNING, "RUNNING", 42, 1, 1, 0, 0,
                -1, null, 0, -1, -1, null);
        String frame = new TopScreen(ZoneOffset.UTC).render(new ControlReply.Status(EMPEROR,
                List.of(noReport, starting)), 0, NOON, 1);
        assertThat(frame).isEqualTo("""
                imperium top - 12:00:00, emperor pid 77, up 0:01:05, 2 vassals (1 serving), refresh 1 s

                VASSAL   WID  PID  STATUS    REQ  RPS  AVG  RSS  TX  RESPAWN
                app.ini    -   42  RUNNING     -    -    -    -   -        -
                new.ini    -   99  STARTING    -    -    -    -   -        -

                stats are not available: no vassal has reported yet (a serving vassal reports every 2 s); showing \
                what the emperor knows
                """);
    }

    @Test
    void aVassalWithoutAReportAmongOthersIsNamed() {
        VassalStatus noReport = new VassalStatus("b.ini", VassalStatus.State.RUNNING, "RUNNING", 42, 1, 1, 0, 0,
                -1, null, 0, -1, -1, null);
        String frame = new TopScreen(ZoneOffset.UTC).render(new ControlReply.Status(EMPEROR,
                List.of(running(stats(1, 1)), noReport)), 0, NOON, 1);
        assertThat(frame).endsWith("\nstats are not available for 1 serving vassal: no report yet\n");
    }

    @Test
    void noVassalsAtAll() {
        assertThat(new TopScreen(ZoneOffset.UTC).render(new ControlReply.Status(EMPEROR, List.of()), 0, NOON, 1))
                .endsWith("\nno vassals in /v\n");
    }
}
