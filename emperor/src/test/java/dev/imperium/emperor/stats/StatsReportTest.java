package dev.imperium.emperor.stats;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a vassal's STATS_REPORT (the contract in vassal-runtime CONFIG.md, "The report to the emperor": uWSGI's
 * stats document plus an "imperium" object), as /metrics, the fleet page and imperium status/top use it.
 */
public class StatsReportTest {
    /** Shaped as uWSGI 2.0's stats document (uwsgi-measured.md §7), workers shortened, without Imperium's object. */
    private static final String UWSGI = """
            {"version":"2.0.21-debian","listen_queue":0,"listen_queue_errors":0,"signal_queue":0,"load":0,
             "pid":30321,"uid":0,"gid":0,"cwd":"/srv",
             "sockets":[{"name":"127.0.0.1:53385","proto":"http","queue":0,"max_queue":100,"shared":0}],
             "workers":[
               {"id":1,"pid":30326,"accepting":1,"requests":1154,"status":"idle","rss":1000,"cores":[]},
               {"id":2,"pid":30327,"accepting":1,"requests":847,"status":"busy","rss":2000,"cores":[]},
               {"id":3,"pid":0,"accepting":0,"requests":0,"status":"cheap","rss":0,"cores":[]}]}
            """;

    /**
     * Returns a full report as an Imperium vassal sends it: three worker slots (busy, idle, cheap), two sockets.
     *
     * @return the report's text
     */
    public static String sample() {
        try (InputStream in = StatsReportTest.class.getResourceAsStream("stats-report-sample.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheUwsgiFieldsAndTheImperiumObject() {
        StatsReport r = StatsReport.parse(sample());

        assertThat(r.listenQueue()).isEqualTo(3);
        assertThat(r.sockets()).containsExactly(new StatsReport.Socket("127.0.0.1:8090", "http", 3, 100),
                new StatsReport.Socket("/run/app.sock", "uwsgi", 0, 128));
        assertThat(r.hasWorkers()).isTrue();
        assertThat(r.workers()).hasSize(3);
        assertThat(r.busyWorkers()).isEqualTo(1);
        assertThat(r.idleWorkers()).isEqualTo(1); // the third is cheap
        assertThat(r.runningWorkers()).isEqualTo(2);
        assertThat(r.generation()).isEqualTo(3);
        assertThat(r.requestsByClass()).containsExactly(Map.entry("1xx", 0L), Map.entry("2xx", 1990L),
                Map.entry("3xx", 4L), Map.entry("4xx", 6L), Map.entry("5xx", 1L));
        assertThat(r.duration().bounds()).containsExactly(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0);
        assertThat(r.duration().counts()).startsWith(1500L, 1800L).endsWith(2000L);
        assertThat(r.duration().count()).isEqualTo(2001);
        assertThat(r.duration().sum()).isEqualTo(28.7);
        assertThat(r.bytesSent()).isEqualTo(178089);
        assertThat(r.harakiriTotal()).isEqualTo(1);
        assertThat(r.workerRestarts()).containsEntry("harakiri", 1L).containsEntry("reload", 1L).hasSize(8);
        assertThat(r.rssBytes()).isEqualTo(104857600);
        assertThat(r.totalRssBytes()).as("Imperium's figure, the master included").isEqualTo(104857600);
        assertThat(r.requests()).as("requests_by_class summed").isEqualTo(2001);
    }

    @Test
    void readsEachWorkerAsUwsgitopShowsIt() {
        StatsReport r = StatsReport.parse(sample());

        assertThat(r.workers().getFirst()).isEqualTo(
                new StatsReport.Worker(1, 30326, "busy", 1154, 11, 11624448, 102706, 1, 0, 1));
        assertThat(r.workers().getFirst().busy()).isTrue();
        assertThat(r.workers().get(2).status()).isEqualTo("cheap");
        assertThat(r.workers().get(2).running()).isFalse();
    }

    @Test
    void aPlainUwsgiDocumentHasOnlyItsOwnFields() {
        StatsReport r = StatsReport.parse(UWSGI);

        assertThat(r.busyWorkers()).isEqualTo(1);
        assertThat(r.runningWorkers()).as("the cheaped worker is not running").isEqualTo(2);
        assertThat(r.workers()).hasSize(3);
        assertThat(r.requests()).as("the workers' requests summed").isEqualTo(2001);
        assertThat(r.generation()).isEqualTo(-1);
        assertThat(r.requestsByClass()).isEmpty();
        assertThat(r.workerRestarts()).isEmpty();
        assertThat(r.duration()).isNull();
        assertThat(r.bytesSent()).isEqualTo(-1);
        assertThat(r.harakiriTotal()).isEqualTo(-1);
        assertThat(r.rssBytes()).isEqualTo(-1);
        assertThat(r.totalRssBytes()).as("the workers' rss summed").isEqualTo(3000);
        assertThat(r.workers().getFirst().avgRtMicros()).as("a field the document lacks").isEqualTo(-1);
    }

    @Test
    void prefersImperiumsRequestTotalWhichSurvivesReloads() {
        String report = UWSGI.strip().substring(0, UWSGI.strip().length() - 1)
                + ",\"imperium\":{\"generation\":3,\"requests_by_class\":{\"1xx\":0,\"2xx\":5000,\"3xx\":1,"
                + "\"4xx\":2,\"5xx\":3}}}";

        assertThat(StatsReport.parse(report).requests()).isEqualTo(5006);
    }

    @Test
    void withoutWorkersThereAreNoWorkerCountsAndNoRequests() {
        StatsReport none = StatsReport.parse("{\"pid\":1}");
        assertThat(none.hasWorkers()).isFalse();
        assertThat(none.workers()).isEmpty();
        assertThat(none.requests()).isEqualTo(-1);
        assertThat(none.totalRssBytes()).isZero();

        StatsReport empty = StatsReport.parse("{\"workers\":[]}");
        assertThat(empty.hasWorkers()).isTrue();
        assertThat(empty.busyWorkers()).isZero();
        assertThat(empty.requests()).as("no worker counts requests").isEqualTo(-1);

        StatsReport uncounted = StatsReport.parse("{\"workers\":[{\"status\":\"idle\"}]}");
        assertThat(uncounted.idleWorkers()).isEqualTo(1);
        assertThat(uncounted.requests()).isEqualTo(-1);
    }

    @Test
    void wrongTypesAreLeftOutFieldByField() {
        StatsReport r = StatsReport.parse("{\"listen_queue\":\"x\",\"workers\":7,\"imperium\":{\"bytes_sent\":-5,"
                + "\"requests_by_class\":{\"2xx\":3,\"4xx\":\"many\"},\"rss_bytes\":12,\"generation\":1e12}}");

        assertThat(r.listenQueue()).isEqualTo(-1);
        assertThat(r.hasWorkers()).isFalse();
        assertThat(r.bytesSent()).isEqualTo(-1);
        assertThat(r.requestsByClass()).containsExactly(Map.entry("2xx", 3L));
        assertThat(r.requests()).isEqualTo(3);
        assertThat(r.rssBytes()).isEqualTo(12);
        assertThat(r.generation()).as("too large for a generation").isEqualTo(-1);

        StatsReport.Worker w = StatsReport.parse("{\"workers\":[{\"id\":\"1\",\"pid\":-3,\"status\":5,"
                + "\"requests\":true},\"junk\"]}").workers().getFirst();
        assertThat(w).isEqualTo(new StatsReport.Worker(-1, -1, "", -1, -1, -1, -1, -1, -1, -1));
    }

    @Test
    void anInconsistentHistogramIsLeftOut() {
        String decreasing = "{\"imperium\":{\"request_duration_seconds\":{\"buckets\":[0.1,0.5],\"counts\":[5,4],"
                + "\"count\":5,\"sum\":1}}}";
        String unordered = "{\"imperium\":{\"request_duration_seconds\":{\"buckets\":[0.5,0.1],\"counts\":[1,2],"
                + "\"count\":2,\"sum\":1}}}";
        String countBelowBuckets = "{\"imperium\":{\"request_duration_seconds\":{\"buckets\":[0.1],\"counts\":[9],"
                + "\"count\":2,\"sum\":1}}}";
        String lengths = "{\"imperium\":{\"request_duration_seconds\":{\"buckets\":[0.1,1],\"counts\":[1],"
                + "\"count\":2,\"sum\":1}}}";

        for (String json : new String[] {decreasing, unordered, countBelowBuckets, lengths}) {
            assertThat(StatsReport.parse(json).duration()).as(json).isNull();
        }
    }

    @Test
    void theSameTextReadsAsEqualReports() {
        assertThat(StatsReport.parse(sample())).isEqualTo(StatsReport.parse(sample().replace("\n", "")));
    }

    @Test
    void nothingIsReadWithoutAReportOrFromABrokenOne() {
        assertThat(StatsReport.parse(null)).isNull();
        assertThat(StatsReport.parse("")).isNull();
        assertThat(StatsReport.parse("  ")).isNull();
        assertThat(StatsReport.parse("{\"workers\":[")).isNull();
        assertThat(StatsReport.parse("[1,2]")).isNull();
    }
}
