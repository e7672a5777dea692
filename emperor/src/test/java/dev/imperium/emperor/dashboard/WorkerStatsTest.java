package dev.imperium.emperor.dashboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerStatsTest {
    /** Shaped as uWSGI 2.0's stats document (uwsgi-measured.md §7), workers shortened. */
    private static final String UWSGI = """
            {"version":"2.0.21-debian","listen_queue":0,"listen_queue_errors":0,"signal_queue":0,"load":0,
             "pid":30321,"uid":0,"gid":0,"cwd":"/srv",
             "sockets":[{"name":"127.0.0.1:53385","proto":"http","queue":0,"max_queue":100,"shared":0}],
             "workers":[
               {"id":1,"pid":30326,"accepting":1,"requests":1154,"status":"idle","cores":[]},
               {"id":2,"pid":30327,"accepting":1,"requests":847,"status":"busy","cores":[]},
               {"id":3,"pid":0,"accepting":0,"requests":0,"status":"cheap","cores":[]}]}
            """;

    @Test
    void countsBusyAndRunningWorkersAndSumsTheirRequests() {
        WorkerStats s = WorkerStats.parse(UWSGI);

        assertThat(s.busy()).isEqualTo(1);
        assertThat(s.total()).as("the cheaped worker is not running").isEqualTo(2);
        assertThat(s.requests()).isEqualTo(2001);
    }

    @Test
    void prefersImperiumsTotalsWhichSurviveReloads() {
        String report = UWSGI.strip().substring(0, UWSGI.strip().length() - 1)
                + ",\"imperium\":{\"generation\":3,\"requests_by_class\":{\"1xx\":0,\"2xx\":5000,\"3xx\":1,"
                + "\"4xx\":2,\"5xx\":3}}}";

        assertThat(WorkerStats.parse(report)).isEqualTo(new WorkerStats(1, 2, 5006L));
    }

    @Test
    void nothingIsKnownWithoutAReportOrFromABrokenOne() {
        assertThat(WorkerStats.parse(null)).isEqualTo(WorkerStats.NONE);
        assertThat(WorkerStats.parse("")).isEqualTo(WorkerStats.NONE);
        assertThat(WorkerStats.parse("{\"workers\":[")).isEqualTo(WorkerStats.NONE);
        assertThat(WorkerStats.parse("[1,2]")).isEqualTo(WorkerStats.NONE);
        assertThat(WorkerStats.parse("{\"pid\":1}")).isEqualTo(WorkerStats.NONE);
    }
}
