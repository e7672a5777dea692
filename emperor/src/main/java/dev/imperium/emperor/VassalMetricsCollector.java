package dev.imperium.emperor;

import dev.imperium.emperor.stats.StatsReport;
import io.prometheus.client.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code imperium_*} metrics of {@code /metrics}: per vassal (label {@code vassal}, the file name) what the
 * emperor knows itself (state, up, generation, spawns, reloads, restarts by reason, backoff) and what the vassal's
 * latest STATS_REPORT says (workers, requests by status class, the request duration histogram, bytes sent,
 * harakiri, worker restarts, listen queues, RSS).
 *
 * <p>Each scrape takes one snapshot on the emperor's event loop (a copy of plain fields, no parsing there) and
 * parses, on the scraping thread, only the reports no reader has parsed yet ({@link StatsReportCache}): a vassal
 * reports every 2 s, so parsing at scrape time costs at most one parse per vassal per scrape, and nothing between
 * scrapes. A report that cannot be parsed only leaves that vassal's report metrics out, and a field the report
 * lacks only its metric.
 *
 * <p>Names follow Prometheus' conventions: base units ({@code _seconds}, {@code _bytes}), counters end in
 * {@code _total}; the histogram is a real Prometheus histogram made from the report's cumulative buckets.
 */
final class VassalMetricsCollector extends Collector {
    private static final List<String> VASSAL = List.of("vassal");
    private static final List<String> VASSAL_STATE = List.of("vassal", "state");
    private static final List<String> VASSAL_REASON = List.of("vassal", "reason");
    private static final List<String> VASSAL_CLASS = List.of("vassal", "class");
    private static final List<String> VASSAL_LE = List.of("vassal", "le");
    private static final List<String> VASSAL_SOCKET = List.of("vassal", "socket", "proto");

    private final Supplier<CompletableFuture<EmperorSnapshot>> snapshots;
    private final Duration timeout;
    private final StatsReportCache reports;

    /**
     * Creates the collector.
     *
     * @param snapshots takes a snapshot of the emperor on its event loop
     * @param timeout how long a scrape waits for the snapshot; past it the scrape has no {@code imperium_*} metrics
     * @param reports the vassals' parsed reports, shared with the other readers of the snapshot
     */
    VassalMetricsCollector(Supplier<CompletableFuture<EmperorSnapshot>> snapshots, Duration timeout,
                           StatsReportCache reports) {
        this.snapshots = snapshots;
        this.timeout = timeout;
        this.reports = reports;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        EmperorSnapshot snapshot;
        try {
            snapshot = snapshots.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException e) {
            return List.of(); // the emperor is stopping, or its loop is stuck: the JVM metrics still answer
        }
        List<MetricFamilySamples> families = families(snapshot, v -> reports.report(v.name(), v.statsJson()));
        Set<String> names = new HashSet<>();
        for (VassalSnapshot v : snapshot.vassals()) {
            names.add(v.name());
        }
        reports.retain(names);
        return families;
    }

    /**
     * Builds every {@code imperium_*} family from a snapshot.
     *
     * @param s the snapshot
     * @param reports a vassal's parsed report, or null if it has none
     * @return the families that have samples, in a fixed order
     */
    static List<MetricFamilySamples> families(EmperorSnapshot s, Function<VassalSnapshot, StatsReport> reports) {
        Family info = new Family("imperium_emperor_info", Type.GAUGE,
                "Imperium emperor running this version (always 1).");
        info.add(List.of("version"), List.of(s.version()), 1);
        Family vassals = new Family("imperium_emperor_vassals", Type.GAUGE,
                "Vassal files the emperor supervises.");
        vassals.add(List.of(), List.of(), s.vassals().size());
        Family starting = new Family("imperium_emperor_starting_vassals", Type.GAUGE,
                "Vassals launched and not yet accepting requests (holding a --start-concurrency slot).");
        starting.add(List.of(), List.of(), s.starting());
        Family waiting = new Family("imperium_emperor_waiting_vassals", Type.GAUGE,
                "Vassals waiting for a --start-concurrency slot.");
        waiting.add(List.of(), List.of(), s.waiting());

        Family up = new Family("imperium_vassal_up", Type.GAUGE,
                "1 if a generation of the vassal's workers accepts requests (running, or reloading while the old "
                        + "generation serves), else 0.");
        Family state = new Family("imperium_vassal_state", Type.GAUGE,
                "The vassal's supervision state: 1 for the current state, 0 for the others.");
        Family generation = new Family("imperium_vassal_generation", Type.GAUGE,
                "Generation of workers the vassal last reported accepting requests (0 before the first).");
        Family spawns = new Family("imperium_vassal_spawns", Type.COUNTER,
                "Vassal processes the emperor launched for this vassal file.");
        Family reloads = new Family("imperium_vassal_reloads", Type.COUNTER,
                "Graceful reloads the emperor sent to the vassal (uWSGI's emperor stats respawns).");
        Family restarts = new Family("imperium_vassal_restarts", Type.COUNTER,
                "Vassal processes that failed and were respawned by the emperor, by reason.");
        Family failures = new Family("imperium_vassal_consecutive_failures", Type.GAUGE,
                "Failures of the vassal in a row; 0 once it has been accepting requests for 10 s.");
        Family backoff = new Family("imperium_vassal_backoff_seconds", Type.GAUGE,
                "Seconds until the emperor respawns the failed vassal; 0 when it is not in backoff.");
        Family startTime = new Family("imperium_vassal_start_time_seconds", Type.GAUGE,
                "Start time of the vassal's current process since the Unix epoch, in seconds.");
        Family lastReport = new Family("imperium_vassal_last_report_timestamp_seconds", Type.GAUGE,
                "Time of the vassal's latest stats report to the emperor since the Unix epoch, in seconds.");
        Family lastHeartbeat = new Family("imperium_vassal_last_heartbeat_seconds", Type.GAUGE,
                "Time of the vassal's latest heartbeat (its heartbeat option) since the Unix epoch, in seconds.");

        Family workers = new Family("imperium_vassal_workers", Type.GAUGE,
                "Worker processes of the vassal (configured slots, cheaped ones included).");
        Family busy = new Family("imperium_vassal_workers_busy", Type.GAUGE,
                "Workers of the vassal serving a request.");
        Family idle = new Family("imperium_vassal_workers_idle", Type.GAUGE,
                "Workers of the vassal waiting for a request.");
        Family requests = new Family("imperium_vassal_requests", Type.COUNTER,
                "Requests the vassal answered, by status class (1xx..5xx).");
        Family duration = new Family("imperium_vassal_request_duration_seconds", Type.HISTOGRAM,
                "Time the vassal took to answer requests, in seconds.");
        Family sent = new Family("imperium_vassal_sent_bytes", Type.COUNTER,
                "Bytes the vassal's workers sent (headers and bodies).");
        Family harakiri = new Family("imperium_vassal_harakiri", Type.COUNTER,
                "Workers the vassal's master killed for running a request longer than harakiri.");
        Family workerRestarts = new Family("imperium_vassal_worker_restarts", Type.COUNTER,
                "Workers the vassal's master replaced, by reason.");
        Family listenQueue = new Family("imperium_vassal_listen_queue", Type.GAUGE,
                "Connections waiting to be accepted on the vassal's fullest socket (uWSGI's listen_queue).");
        Family socketQueue = new Family("imperium_vassal_socket_listen_queue", Type.GAUGE,
                "Connections waiting to be accepted on one socket of the vassal.");
        Family socketQueueMax = new Family("imperium_vassal_socket_listen_queue_max", Type.GAUGE,
                "Length of one socket's accept queue (the listen option): connections beyond it are refused.");
        Family rss = new Family("imperium_vassal_rss_bytes", Type.GAUGE,
                "Resident memory of the vassal's master and workers, in bytes.");

        for (VassalSnapshot v : s.vassals()) {
            List<String> name = List.of(v.name());
            up.add(VASSAL, name, v.up() ? 1 : 0);
            String status = v.status();
            for (String st : VassalSnapshot.STATUSES) {
                state.add(VASSAL_STATE, List.of(v.name(), st), st.equals(status) ? 1 : 0);
            }
            generation.add(VASSAL, name, v.generation());
            spawns.add(VASSAL, name, v.spawns());
            reloads.add(VASSAL, name, v.reloads());
            for (RestartReason r : RestartReason.values()) {
                restarts.add(VASSAL_REASON, List.of(v.name(), r.label()), v.restarts(r));
            }
            failures.add(VASSAL, name, v.failures());
            backoff.add(VASSAL, name, v.backoffRemainingMillis() / 1000.0);
            if (v.processStartMillis() > 0) {
                startTime.add(VASSAL, name, v.processStartMillis() / 1000.0);
            }
            if (v.lastReportMillis() > 0) {
                lastReport.add(VASSAL, name, v.lastReportMillis() / 1000.0);
            }
            if (v.lastHeartbeat() > 0) {
                lastHeartbeat.add(VASSAL, name, v.lastHeartbeat());
            }

            StatsReport r = reports.apply(v);
            if (r == null) {
                continue;
            }
            if (r.hasWorkers()) {
                workers.add(VASSAL, name, r.workers().size());
                busy.add(VASSAL, name, r.busyWorkers());
                idle.add(VASSAL, name, r.idleWorkers());
            }
            r.requestsByClass().forEach((cls, n) -> requests.add(VASSAL_CLASS, List.of(v.name(), cls), n));
            StatsReport.Histogram h = r.duration();
            if (h != null) {
                for (int i = 0; i < h.bounds().size(); i++) {
                    duration.add(duration.name + "_bucket", VASSAL_LE,
                            List.of(v.name(), Collector.doubleToGoString(h.bounds().get(i))), h.counts().get(i));
                }
                duration.add(duration.name + "_bucket", VASSAL_LE, List.of(v.name(), "+Inf"), h.count());
                duration.add(duration.name + "_count", VASSAL, name, h.count());
                duration.add(duration.name + "_sum", VASSAL, name, h.sum());
            }
            if (r.bytesSent() >= 0) {
                sent.add(VASSAL, name, r.bytesSent());
            }
            if (r.harakiriTotal() >= 0) {
                harakiri.add(VASSAL, name, r.harakiriTotal());
            }
            r.workerRestarts().forEach((reason, n) -> workerRestarts.add(VASSAL_REASON, List.of(v.name(), reason), n));
            if (r.listenQueue() >= 0) {
                listenQueue.add(VASSAL, name, r.listenQueue());
            }
            for (StatsReport.Socket socket : r.sockets()) {
                List<String> labels = List.of(v.name(), socket.name(), socket.proto());
                if (socket.queue() >= 0) {
                    socketQueue.add(VASSAL_SOCKET, labels, socket.queue());
                }
                if (socket.maxQueue() >= 0) {
                    socketQueueMax.add(VASSAL_SOCKET, labels, socket.maxQueue());
                }
            }
            if (r.rssBytes() >= 0) {
                rss.add(VASSAL, name, r.rssBytes());
            }
        }

        List<MetricFamilySamples> out = new ArrayList<>();
        for (Family f : List.of(info, vassals, starting, waiting, up, state, generation, spawns, reloads, restarts,
                failures, backoff, startTime, lastReport, lastHeartbeat, workers, busy, idle, requests, duration, sent,
                harakiri, workerRestarts, listenQueue, socketQueue, socketQueueMax, rss)) {
            if (!f.samples.isEmpty()) {
                out.add(new MetricFamilySamples(f.name, f.type, f.help, f.samples));
            }
        }
        return out;
    }

    /** A family being filled; a counter's samples get the {@code _total} suffix its family name lacks. */
    private static final class Family {
        final String name;
        final Type type;
        final String help;
        final List<MetricFamilySamples.Sample> samples = new ArrayList<>();

        Family(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void add(List<String> labelNames, List<String> labelValues, double value) {
            add(type == Type.COUNTER ? name + "_total" : name, labelNames, labelValues, value);
        }

        void add(String sampleName, List<String> labelNames, List<String> labelValues, double value) {
            samples.add(new MetricFamilySamples.Sample(sampleName, labelNames, labelValues, value));
        }
    }
}
