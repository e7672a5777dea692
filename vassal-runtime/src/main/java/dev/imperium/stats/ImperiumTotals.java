package dev.imperium.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a vassal reports to its emperor beyond uWSGI's document: the {@code "imperium"} object (CONFIG.md, "The report to the emperor"), from
 * which the emperor serves Prometheus metrics. Every counter is a total since the vassal's master started: it
 * survives reloads, the master adding what each retired worker had counted.
 *
 * @param generation the generation serving now
 * @param counters everything the vassal's workers served (status classes, durations, bytes)
 * @param harakiriTotal harakiri kills
 * @param restarts worker restarts, indexed by {@link RestartReason#ordinal()}
 * @param rssBytes the master's and its workers' resident memory now
 */
public record ImperiumTotals(int generation, WorkerCounters counters, long harakiriTotal, long[] restarts,
        long rssBytes) {

    /** Returns the object as an ordered tree for {@link StatsJson}. */
    public Map<String, Object> tree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", (long) generation);
        Map<String, Object> classes = new LinkedHashMap<>();
        for (int c = 0; c < 5; c++) {
            classes.put((c + 1) + "xx", counters.total(WorkerCounters.STATUS_1XX + c));
        }
        m.put("requests_by_class", classes);
        long[] perBucket = counters.totals(WorkerCounters.DURATION_BUCKET_0, RequestDurations.BOUNDS + 1);
        long count = 0;
        for (long n : perBucket) {
            count += n;
        }
        Map<String, Object> histogram = new LinkedHashMap<>();
        histogram.put("buckets", new ArrayList<Object>(RequestDurations.boundsSeconds()));
        List<Object> cumulative = new ArrayList<>();
        for (long n : RequestDurations.cumulative(perBucket)) {
            cumulative.add(n);
        }
        histogram.put("counts", cumulative);
        histogram.put("count", count);
        histogram.put("sum", RequestDurations.seconds(counters.total(WorkerCounters.RUNNING_MICROS)));
        m.put("request_duration_seconds", histogram);
        m.put("bytes_sent", counters.total(WorkerCounters.TX));
        m.put("harakiri_total", harakiriTotal);
        Map<String, Object> byReason = new LinkedHashMap<>();
        for (RestartReason reason : RestartReason.values()) {
            byReason.put(reason.key(), reason.ordinal() < restarts.length ? restarts[reason.ordinal()] : 0L);
        }
        m.put("worker_restarts", byReason);
        m.put("rss_bytes", rssBytes);
        return m;
    }
}
