package dev.imperium.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Imperium's stats document against real uWSGI 2.0.21 documents (src/test/resources/stats): the same members, in the
 * same order, with the same types and nesting, in the same layout byte for byte, so that uwsgitop and exporters read
 * it unchanged. (uwsgitop itself cannot be installed here: Debian has no package and PyPI is out of reach.)
 */
class StatsDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String resource(String name) throws IOException {
        try (InputStream in = StatsDocumentTest.class.getResourceAsStream("/stats/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Imperium's snapshot holding the values of a real uWSGI document. */
    static StatsDocument.Snapshot snapshotOf(JsonNode real) {
        List<StatsDocument.Socket> sockets = new ArrayList<>();
        for (JsonNode s : real.get("sockets")) {
            sockets.add(new StatsDocument.Socket(s.get("name").asText(), s.get("proto").asText(),
                    s.get("queue").asLong(), s.get("max_queue").asLong(), s.get("shared").asLong() == 1,
                    s.get("can_offload").asLong() == 1));
        }
        List<StatsDocument.Worker> workers = new ArrayList<>();
        for (JsonNode w : real.get("workers")) {
            List<StatsDocument.Core> cores = new ArrayList<>();
            for (JsonNode c : w.get("cores")) {
                List<String> vars = new ArrayList<>();
                c.get("vars").forEach(v -> vars.add(v.asText()));
                if (!vars.isEmpty()) {
                    vars.removeLast(); // uWSGI's closing ""
                }
                cores.add(new StatsDocument.Core(c.get("id").asInt(), c.get("requests").asLong(),
                        c.get("static_requests").asLong(), c.get("routed_requests").asLong(),
                        c.get("write_errors").asLong(), c.get("read_errors").asLong(),
                        c.get("in_request").asLong() == 1, vars, c.get("req_info").path("request_start").asLong()));
            }
            workers.add(new StatsDocument.Worker(w.get("id").asInt(), w.get("pid").asLong(),
                    w.get("accepting").asLong() == 1, w.get("requests").asLong(), w.get("delta_requests").asLong(),
                    w.get("exceptions").asLong(), w.get("harakiri_count").asLong(), w.get("status").asText(),
                    w.get("rss").asLong(), w.get("vsz").asLong(), w.get("running_time").asLong(),
                    w.get("last_spawn").asLong(), w.get("respawn_count").asLong(), w.get("tx").asLong(),
                    w.get("avg_rt").asLong(), cores));
        }
        return new StatsDocument.Snapshot(real.get("version").asText(), real.get("listen_queue").asLong(),
                real.get("listen_queue_errors").asLong(), real.get("signal_queue").asLong(), real.get("load").asLong(),
                real.get("pid").asLong(), real.get("uid").asLong(), real.get("gid").asLong(), real.get("cwd").asText(),
                List.of(), sockets, workers);
    }

    /**
     * The real text with the members Imperium leaves empty by design emptied as uWSGI writes an empty list there:
     * {@code locks} (uWSGI's shared-memory locks) and each worker's {@code apps} (uWSGI's python plugin registers its
     * app; its JVM plugin does not).
     */
    static String withDocumentedEmptyLists(String real) {
        String text = real.replaceAll("(?s)\t\"locks\":\\[\n.*?\n\t\\],", "\t\"locks\":[\n\n\t],")
                .replaceAll("(?s)\t\t\t\"apps\":\\[\n.*?\n\t\t\t\\],", "\t\t\t\"apps\":[\n\n\t\t\t],");
        return text.replaceAll("\"locks\":\\[\\{.*?}],\"sockets\"", "\"locks\":[],\"sockets\"");
    }

    @Test
    void theTabIndentedLayoutIsUwsgisByteForByte() throws Exception {
        String real = resource("uwsgi-2.0.21-two-workers-two-threads.json");
        String ours = StatsJson.write(StatsDocument.tree(snapshotOf(JSON.readTree(real)), true), false);
        assertThat(ours).isEqualTo(withDocumentedEmptyLists(real));
    }

    @Test
    void theMinifiedLayoutIsUwsgisByteForByte() throws Exception {
        String real = resource("uwsgi-2.0.21-minified.json");
        String ours = StatsJson.write(StatsDocument.tree(snapshotOf(JSON.readTree(real)), true), true);
        assertThat(real).doesNotContain("\n", "\t");
        assertThat(ours).isEqualTo(withDocumentedEmptyLists(real));
    }

    @Test
    void aBusyCoreListsItsRequestsVarsAndStartAsUwsgiDoes() throws Exception {
        String real = resource("uwsgi-2.0.21-busy-worker.json");
        JsonNode parsed = JSON.readTree(real);
        assertThat(parsed.at("/workers/0/status").asText()).isEqualTo("busy");
        String ours = StatsJson.write(StatsDocument.tree(snapshotOf(parsed), true), false);
        assertThat(ours).isEqualTo(withDocumentedEmptyLists(real));
        assertThat(ours).contains("\"vars\":[\n\"REQUEST_METHOD=GET\",\n", "\"HTTP_ACCEPT=*/*\",\n\"\"\n",
                "\"req_info\":\t\t\t\t\t{\n\t\t\t\t\t\t\"request_start\":1795593149\n\t\t\t\t\t}");
    }

    @Test
    void everyMemberOfTheMeasuredSampleIsThereWithItsTypeAndNesting() throws Exception {
        JsonNode sample = JSON.readTree(resource("uwsgi-measured-sample.json"));
        StatsDocument.Snapshot snapshot = new StatsDocument.Snapshot("0.1.0", 0, 0, 0, 0, 42, 0, 0, "/srv", List.of(),
                List.of(new StatsDocument.Socket("127.0.0.1:8080", "http", 0, 100, false, false)),
                List.of(new StatsDocument.Worker(1, 43, true, 10, 10, 0, 0, "idle", 1 << 20, 1 << 22, 500,
                        1_795_432_482L, 1, 1000, 11,
                        List.of(new StatsDocument.Core(0, 10, 0, 0, 0, 0, false, List.of(), 0)))));
        JsonNode ours = JSON.readTree(StatsJson.write(StatsDocument.tree(snapshot, true), false));

        List<String> emptyByDesign = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        compare("", sample, ours, differences, emptyByDesign);

        assertThat(differences).as("uWSGI members missing, extra, out of order or of another type").isEmpty();
        assertThat(emptyByDesign).containsExactly("/locks", "/workers/0/apps");
    }

    /** Compares key sets, their order and value types, recursively; lists by their first element. */
    private static void compare(String path, JsonNode uwsgi, JsonNode ours, List<String> differences,
            List<String> emptyByDesign) {
        if (uwsgi.getNodeType() != ours.getNodeType()) {
            differences.add(path + ": uWSGI has " + uwsgi.getNodeType() + ", Imperium " + ours.getNodeType());
            return;
        }
        if (uwsgi.isObject()) {
            List<String> theirs = names(uwsgi);
            List<String> mine = names(ours);
            if (!theirs.equals(mine)) {
                differences.add(path + ": uWSGI members " + theirs + ", Imperium " + mine);
            }
            for (String name : theirs) {
                if (ours.has(name)) {
                    compare(path + "/" + name, uwsgi.get(name), ours.get(name), differences, emptyByDesign);
                }
            }
        } else if (uwsgi.isArray() && !uwsgi.isEmpty()) {
            if (ours.isEmpty()) {
                emptyByDesign.add(path);
            } else {
                compare(path + "/0", uwsgi.get(0), ours.get(0), differences, emptyByDesign);
            }
        } else if (uwsgi.isNumber() && !(uwsgi.isIntegralNumber() && ours.isIntegralNumber())) {
            differences.add(path + ": not an integer on both sides");
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void aMissingUwsgiMemberFailsTheComparison() throws Exception {
        JsonNode sample = JSON.readTree(resource("uwsgi-measured-sample.json"));
        JsonNode withoutTx = JSON.readTree(resource("uwsgi-measured-sample.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutTx.at("/workers/0")).remove("tx");
        List<String> differences = new ArrayList<>();
        compare("", sample, withoutTx, differences, new ArrayList<>());
        assertThat(differences).singleElement().asString().startsWith("/workers/0: uWSGI members").contains("tx");
    }

    @Test
    void statsNoCoresLeavesEachWorkersCoresOut() throws Exception {
        StatsDocument.Snapshot s = snapshotOf(JSON.readTree(resource("uwsgi-2.0.21-two-workers-two-threads.json")));
        JsonNode doc = JSON.readTree(StatsJson.write(StatsDocument.tree(s, false), true));
        assertThat(doc.at("/workers/0").has("cores")).isFalse();
        assertThat(names(doc.at("/workers/1"))).endsWith("avg_rt", "apps");
    }

    @Test
    void daemonsAppearOnlyWhenTheVassalHasSomeBeforeTheLocks() throws Exception {
        StatsDocument.Snapshot s = snapshotOf(JSON.readTree(resource("uwsgi-measured-sample.json")));
        assertThat(names(JSON.readTree(StatsJson.write(StatsDocument.tree(s, true), true)))).doesNotContain("daemons");
        StatsDocument.Snapshot withDaemon = new StatsDocument.Snapshot(s.version(), 0, 0, 0, 0, s.pid(), 0, 0, s.cwd(),
                List.of(new StatsDocument.Daemon("memcached -p 11311", 777, 2)), s.sockets(), s.workers());
        JsonNode doc = JSON.readTree(StatsJson.write(StatsDocument.tree(withDaemon, true), true));
        assertThat(names(doc)).containsSequence("cwd", "daemons", "locks");
        assertThat(doc.at("/daemons/0").toString()).isEqualTo("{\"cmd\":\"memcached -p 11311\",\"pid\":777,"
                + "\"respawns\":2}");
    }

    @Test
    void stringsAreEscaped() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("cwd", "/srv/\"odd\"\\dir\n");
        assertThat(StatsJson.write(doc, true)).isEqualTo("{\"cwd\":\"/srv/\\\"odd\\\"\\\\dir\\n\"}");
    }

    @Test
    void theImperiumObjectHasTheReportsMembers() throws Exception {
        WorkerCounters counters = new WorkerCounters();
        counters.add(0, WorkerCounters.STATUS_1XX + 1, 120);
        counters.add(1, WorkerCounters.STATUS_1XX + 3, 2);
        counters.add(0, WorkerCounters.DURATION_BUCKET_0, 100);
        counters.add(1, WorkerCounters.DURATION_BUCKET_0 + 7, 21);
        counters.add(1, WorkerCounters.DURATION_BUCKET_0 + RequestDurations.BOUNDS, 1);
        counters.add(0, WorkerCounters.RUNNING_MICROS, 1_234_000);
        counters.add(0, WorkerCounters.TX, 123_456);
        long[] restarts = new long[RestartReason.values().length];
        restarts[RestartReason.RELOAD.ordinal()] = 1;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", "x");
        StatsDocument.withImperium(doc, new ImperiumTotals(3, counters, 0, restarts, 104_857_600));

        JsonNode imperium = JSON.readTree(StatsJson.write(doc, true)).get("imperium");

        assertThat(imperium.toString()).isEqualTo("{\"generation\":3,"
                + "\"requests_by_class\":{\"1xx\":0,\"2xx\":120,\"3xx\":0,\"4xx\":2,\"5xx\":0},"
                + "\"request_duration_seconds\":{\"buckets\":[0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10],"
                + "\"counts\":[100,100,100,100,100,100,100,121,121,121,121],\"count\":122,\"sum\":1.234},"
                + "\"bytes_sent\":123456,\"harakiri_total\":0,"
                + "\"worker_restarts\":{\"harakiri\":0,\"max_requests\":0,\"max_worker_lifetime\":0,"
                + "\"reload_on_rss\":0,\"evil_reload_on_rss\":0,\"crash\":0,\"reload\":1,\"cheaper\":0},"
                + "\"rss_bytes\":104857600}");
    }
}
