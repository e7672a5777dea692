package dev.imperium.emperor;

import dev.imperium.emperor.stats.StatsReport;
import dev.imperium.emperor.stats.StatsReportTest;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The {@code imperium_*} families: from the emperor's state and from a vassal's STATS_REPORT. */
class VassalMetricsCollectorTest {
    private static final Function<VassalSnapshot, StatsReport> PARSE =
            v -> StatsReport.parse(v.statsJson());

    private static EmperorSnapshot fleet() {
        return Snapshots.emperor(Snapshots.running("app.ini", StatsReportTest.sample()),
                Snapshots.failing("crash.ini"));
    }

    private static String text(List<MetricFamilySamples> families) throws IOException {
        StringWriter w = new StringWriter();
        TextFormat.write004(w, Collections.enumeration(families));
        return w.toString();
    }

    private static Map<String, MetricFamilySamples> byName(List<MetricFamilySamples> families) {
        return families.stream().collect(Collectors.toMap(f -> f.name, f -> f));
    }

    private static double value(MetricFamilySamples f, String sample, String... labels) {
        for (MetricFamilySamples.Sample s : f.samples) {
            if (s.name.equals(sample) && s.labelValues.equals(List.of(labels))) {
                return s.value;
            }
        }
        throw new AssertionError("no sample " + sample + List.of(labels) + " in " + f.samples);
    }

    @Test
    void theLatestHeartbeatIsAGaugeOnlyForVassalsThatSendOne() {
        VassalSnapshot r = Snapshots.running("app.ini", null);
        VassalSnapshot beating = new VassalSnapshot("beating.ini", r.config(), r.state(), false, r.pid(),
                r.generation(), r.spawns(), r.reloads(), 0, r.restarts(), 0, 0, r.born(), r.lastMod(), 1795432590L,
                true, true, true, r.lastLoyal(), r.lastReady(), r.lastAccepting(), r.firstRun(), r.lastRun(), 0, 0, 0,
                r.processStartMillis(), 0, null, 0, null);
        Map<String, MetricFamilySamples> f = byName(VassalMetricsCollector.families(Snapshots.emperor(r, beating),
                PARSE));
        MetricFamilySamples heartbeat = f.get("imperium_vassal_last_heartbeat_seconds");
        assertThat(heartbeat.samples).hasSize(1);
        assertThat(value(heartbeat, "imperium_vassal_last_heartbeat_seconds", "beating.ini")).isEqualTo(1795432590.0);
    }

    @Test
    void emperorStatePerVassal() {
        Map<String, MetricFamilySamples> f = byName(VassalMetricsCollector.families(fleet(), PARSE));

        assertThat(value(f.get("imperium_vassal_up"), "imperium_vassal_up", "app.ini")).isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_up"), "imperium_vassal_up", "crash.ini")).isEqualTo(0);
        assertThat(value(f.get("imperium_vassal_state"), "imperium_vassal_state", "app.ini", "running")).isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_state"), "imperium_vassal_state", "app.ini", "backoff")).isEqualTo(0);
        assertThat(value(f.get("imperium_vassal_state"), "imperium_vassal_state", "crash.ini", "backoff")).isEqualTo(1);
        assertThat(f.get("imperium_vassal_state").samples).hasSize(2 * VassalSnapshot.STATUSES.size());
        assertThat(value(f.get("imperium_vassal_generation"), "imperium_vassal_generation", "app.ini")).isEqualTo(2);
        assertThat(value(f.get("imperium_vassal_restarts"), "imperium_vassal_restarts_total", "crash.ini", "exit"))
                .isEqualTo(3);
        assertThat(value(f.get("imperium_vassal_restarts"), "imperium_vassal_restarts_total", "app.ini", "signal"))
                .isEqualTo(1);
        assertThat(f.get("imperium_vassal_restarts").samples).as("every reason, even at 0")
                .hasSize(2 * RestartReason.values().length);
        assertThat(value(f.get("imperium_vassal_backoff_seconds"), "imperium_vassal_backoff_seconds", "crash.ini"))
                .isEqualTo(2.5);
        assertThat(value(f.get("imperium_vassal_consecutive_failures"), "imperium_vassal_consecutive_failures",
                "crash.ini")).isEqualTo(3);
        assertThat(value(f.get("imperium_vassal_spawns"), "imperium_vassal_spawns_total", "app.ini")).isEqualTo(3);
        assertThat(value(f.get("imperium_vassal_reloads"), "imperium_vassal_reloads_total", "app.ini")).isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_start_time_seconds"), "imperium_vassal_start_time_seconds",
                "app.ini")).isEqualTo(1795432500);
        assertThat(f.get("imperium_vassal_start_time_seconds").samples).as("no process, no start time").hasSize(1);
        assertThat(value(f.get("imperium_emperor_vassals"), "imperium_emperor_vassals")).isEqualTo(2);
    }

    @Test
    void reportMetricsPerVassal() {
        Map<String, MetricFamilySamples> f = byName(VassalMetricsCollector.families(fleet(), PARSE));

        assertThat(value(f.get("imperium_vassal_workers"), "imperium_vassal_workers", "app.ini")).isEqualTo(3);
        assertThat(value(f.get("imperium_vassal_workers_busy"), "imperium_vassal_workers_busy", "app.ini"))
                .isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_workers_idle"), "imperium_vassal_workers_idle", "app.ini"))
                .isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_requests"), "imperium_vassal_requests_total", "app.ini", "2xx"))
                .isEqualTo(1990);
        assertThat(value(f.get("imperium_vassal_requests"), "imperium_vassal_requests_total", "app.ini", "5xx"))
                .isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_sent_bytes"), "imperium_vassal_sent_bytes_total", "app.ini"))
                .isEqualTo(178089);
        assertThat(value(f.get("imperium_vassal_harakiri"), "imperium_vassal_harakiri_total", "app.ini"))
                .isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_worker_restarts"), "imperium_vassal_worker_restarts_total",
                "app.ini", "reload")).isEqualTo(1);
        assertThat(value(f.get("imperium_vassal_listen_queue"), "imperium_vassal_listen_queue", "app.ini"))
                .isEqualTo(3);
        assertThat(value(f.get("imperium_vassal_socket_listen_queue_max"), "imperium_vassal_socket_listen_queue_max",
                "app.ini", "/run/app.sock", "uwsgi")).isEqualTo(128);
        assertThat(value(f.get("imperium_vassal_rss_bytes"), "imperium_vassal_rss_bytes", "app.ini"))
                .isEqualTo(104857600);
        assertThat(value(f.get("imperium_vassal_last_report_timestamp_seconds"),
                "imperium_vassal_last_report_timestamp_seconds", "app.ini")).isEqualTo(1795432598.5);
        assertThat(f.get("imperium_vassal_rss_bytes").samples).as("crash.ini has no report").hasSize(1);
    }

    @Test
    void aFieldTheReportLacksLeavesOnlyItsMetricOut() {
        EmperorSnapshot s = Snapshots.emperor(
                Snapshots.running("plain.ini", "{\"listen_queue\":0,\"workers\":[{\"status\":\"idle\",\"rss\":9}]}"),
                Snapshots.running("bare.ini", "{\"pid\":1}"));
        Map<String, MetricFamilySamples> f = byName(VassalMetricsCollector.families(s, PARSE));

        assertThat(f.get("imperium_vassal_workers").samples).extracting(x -> x.labelValues.get(0))
                .containsExactly("plain.ini");
        assertThat(value(f.get("imperium_vassal_listen_queue"), "imperium_vassal_listen_queue", "plain.ini"))
                .isZero();
        assertThat(f).as("no rss_bytes: not the workers' rss, which leaves the master out")
                .doesNotContainKeys("imperium_vassal_rss_bytes", "imperium_vassal_requests",
                        "imperium_vassal_request_duration_seconds", "imperium_vassal_sent_bytes");
    }

    @Test
    void theDurationIsARealPrometheusHistogram() throws IOException {
        List<MetricFamilySamples> families = VassalMetricsCollector.families(fleet(), PARSE);
        MetricFamilySamples h = byName(families).get("imperium_vassal_request_duration_seconds");

        assertThat(h.type).isEqualTo(Collector.Type.HISTOGRAM);
        assertThat(value(h, "imperium_vassal_request_duration_seconds_bucket", "app.ini", "0.005")).isEqualTo(1500);
        assertThat(value(h, "imperium_vassal_request_duration_seconds_bucket", "app.ini", "1.0")).isEqualTo(2000);
        assertThat(value(h, "imperium_vassal_request_duration_seconds_bucket", "app.ini", "+Inf")).isEqualTo(2001);
        assertThat(value(h, "imperium_vassal_request_duration_seconds_count", "app.ini")).isEqualTo(2001);
        assertThat(value(h, "imperium_vassal_request_duration_seconds_sum", "app.ini")).isEqualTo(28.7);
        assertThat(text(families))
                .contains("# TYPE imperium_vassal_request_duration_seconds histogram\n")
                .contains("imperium_vassal_request_duration_seconds_bucket{vassal=\"app.ini\",le=\"0.25\",} 1998.0\n");
    }

    @Test
    void namesFollowPrometheusConventionsAndEveryFamilyHasHelp() throws IOException {
        List<MetricFamilySamples> families = VassalMetricsCollector.families(fleet(), PARSE);
        Pattern name = Pattern.compile("imperium_[a-z_]+");

        for (MetricFamilySamples f : families) {
            assertThat(f.name).matches(name).doesNotEndWith("_total");
            assertThat(f.help).as(f.name).isNotBlank();
            for (MetricFamilySamples.Sample s : f.samples) {
                assertThat(s.name).startsWith(f.name);
                if (f.type == Collector.Type.COUNTER) {
                    assertThat(s.name).isEqualTo(f.name + "_total");
                }
            }
        }
        String text = text(families);
        assertThat(text).contains("# TYPE imperium_vassal_requests_total counter\n")
                .contains("# TYPE imperium_vassal_rss_bytes gauge\n")
                .contains("imperium_vassal_up{vassal=\"app.ini\",} 1.0\n");
    }

    @Test
    void theOutputPassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool (Debian package prometheus) is not installed");
        String text = text(VassalMetricsCollector.families(fleet(), PARSE));

        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void openMetricsTooForPrometheusWhichAsksForIt() throws IOException {
        StringWriter w = new StringWriter();
        TextFormat.writeOpenMetrics100(w, Collections.enumeration(VassalMetricsCollector.families(fleet(), PARSE)));

        assertThat(w.toString()).contains("# TYPE imperium_vassal_requests counter\n")
                .contains("imperium_vassal_requests_total{vassal=\"app.ini\",class=\"2xx\"} 1990.0\n")
                .endsWith("# EOF\n");
    }

    @Test
    void aScrapeParsesOnlyReportsThatChangedAndForgetsRemovedVassals() {
        String report = StatsReportTest.sample();
        AtomicInteger snapshots = new AtomicInteger();
        EmperorSnapshot[] current = {Snapshots.emperor(Snapshots.running("app.ini", report))};
        VassalMetricsCollector collector = new VassalMetricsCollector(() -> {
            snapshots.incrementAndGet();
            return CompletableFuture.completedFuture(current[0]);
        }, Duration.ofSeconds(1), new StatsReportCache());

        List<MetricFamilySamples> first = collector.collect();
        List<MetricFamilySamples> second = collector.collect();
        current[0] = Snapshots.emperor(Snapshots.running("app.ini", "{\"workers\":[]}"));
        List<MetricFamilySamples> third = collector.collect();

        assertThat(snapshots).hasValue(3);
        assertThat(value(byName(second).get("imperium_vassal_workers"), "imperium_vassal_workers", "app.ini"))
                .isEqualTo(3);
        assertThat(value(byName(third).get("imperium_vassal_workers"), "imperium_vassal_workers", "app.ini"))
                .isEqualTo(0);
        assertThat(byName(first)).containsKey("imperium_vassal_request_duration_seconds");
        assertThat(byName(third)).doesNotContainKey("imperium_vassal_request_duration_seconds");
    }

    @Test
    void aBrokenReportLeavesOnlyThatVassalsReportMetricsOut() {
        EmperorSnapshot s = Snapshots.emperor(Snapshots.running("bad.ini", "{nope"),
                Snapshots.running("good.ini", StatsReportTest.sample()));
        VassalMetricsCollector collector = new VassalMetricsCollector(() -> CompletableFuture.completedFuture(s),
                Duration.ofSeconds(1), new StatsReportCache());

        Map<String, MetricFamilySamples> f = byName(collector.collect());

        assertThat(f.get("imperium_vassal_workers").samples).extracting(x -> x.labelValues.get(0))
                .containsExactly("good.ini");
        assertThat(f.get("imperium_vassal_up").samples).hasSize(2);
    }

    @Test
    void noSnapshotInTimeMeansNoImperiumMetrics() {
        VassalMetricsCollector collector = new VassalMetricsCollector(CompletableFuture::new, Duration.ofMillis(50),
                new StatsReportCache());

        assertThat(collector.collect()).isEmpty();
    }
}
