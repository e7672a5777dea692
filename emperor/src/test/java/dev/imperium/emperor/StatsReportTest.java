package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a vassal's STATS_REPORT (ISSUE6's contract: uWSGI's stats document plus an "imperium" object). */
class StatsReportTest {
    static String sample() {
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
        assertThat(r.workers()).isEqualTo(3);
        assertThat(r.busyWorkers()).isEqualTo(1);
        assertThat(r.idleWorkers()).isEqualTo(1); // the third is cheap
        assertThat(r.requestsByClass()).containsExactly(Map.entry("1xx", 0L), Map.entry("2xx", 1990L),
                Map.entry("3xx", 4L), Map.entry("4xx", 6L), Map.entry("5xx", 1L));
        assertThat(r.duration().bounds()).containsExactly(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
        assertThat(r.duration().counts()).startsWith(1500, 1800).endsWith(2000);
        assertThat(r.duration().count()).isEqualTo(2001);
        assertThat(r.duration().sum()).isEqualTo(28.7);
        assertThat(r.bytesSent()).isEqualTo(178089);
        assertThat(r.harakiriTotal()).isEqualTo(1);
        assertThat(r.workerRestarts()).containsEntry("harakiri", 1L).containsEntry("reload", 1L).hasSize(8);
        assertThat(r.rssBytes()).isEqualTo(104857600);
    }

    @Test
    void aPlainUwsgiDocumentHasOnlyItsOwnFields() {
        StatsReport r = StatsReport.parse("{\"listen_queue\":0,\"sockets\":[],\"workers\":[{\"status\":\"idle\"}]}");

        assertThat(r.workers()).isEqualTo(1);
        assertThat(r.idleWorkers()).isEqualTo(1);
        assertThat(r.requestsByClass()).isEmpty();
        assertThat(r.duration()).isNull();
        assertThat(r.bytesSent()).isEqualTo(-1);
        assertThat(r.harakiriTotal()).isEqualTo(-1);
        assertThat(r.rssBytes()).isEqualTo(-1);
    }

    @Test
    void wrongTypesAreLeftOutFieldByField() {
        StatsReport r = StatsReport.parse("{\"listen_queue\":\"x\",\"workers\":7,\"imperium\":{\"bytes_sent\":-5,"
                + "\"requests_by_class\":{\"2xx\":3,\"4xx\":\"many\"},\"rss_bytes\":12}}");

        assertThat(r.listenQueue()).isEqualTo(-1);
        assertThat(r.workers()).isEqualTo(-1);
        assertThat(r.bytesSent()).isEqualTo(-1);
        assertThat(r.requestsByClass()).containsExactly(Map.entry("2xx", 3L));
        assertThat(r.rssBytes()).isEqualTo(12);
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
    void somethingThatIsNoJsonObjectIsRefused() {
        assertThatThrownBy(() -> StatsReport.parse("{\"workers\":[")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> StatsReport.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a JSON object");
    }
}
