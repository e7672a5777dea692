package dev.imperium.emperor.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A vassal's stats report: uWSGI 2.0's stats document (uWSGI docs, "The uWSGI Stats Server"; the fields
 * {@code uwsgitop} reads) plus Imperium's {@code "imperium"} object (vassal-runtime CONFIG.md, "The report to the
 * emperor"). The one reading of the report that {@code /metrics}, the fleet page and {@code imperium status/top}
 * share.
 *
 * <p>Every field is read with one lenient rule, so that a field the report lacks is told apart from 0 and a bad
 * field spoils only itself: a number that is missing, not a JSON number or negative reads as {@code -1}; a string
 * that is missing or not a JSON string reads as {@code ""}; an object of counters keeps its valid entries only; the
 * histogram is null unless it is consistent. A caller leaves out what reads as absent, or shows it as it likes.
 *
 * @param listenQueue the top-level {@code listen_queue}: connections waiting on the fullest socket, or -1
 * @param sockets the {@code sockets[]} entries that are objects, in report order
 * @param hasWorkers whether the report has a {@code workers} array (an empty one included)
 * @param workers every {@code workers[]} entry, in report order (configured slots, cheaped ones included); empty
 *     without the array
 * @param generation {@code imperium.generation}: the reporting generation of workers, or -1
 * @param requestsByClass {@code imperium.requests_by_class}: {@code 1xx}..{@code 5xx} to totals, in report order
 * @param duration {@code imperium.request_duration_seconds}, or null if missing or inconsistent
 * @param bytesSent {@code imperium.bytes_sent}, or -1
 * @param harakiriTotal {@code imperium.harakiri_total}, or -1
 * @param workerRestarts {@code imperium.worker_restarts}: reason to total, in report order
 * @param rssBytes {@code imperium.rss_bytes}: resident memory of the master and its workers, or -1 (see
 *     {@link #totalRssBytes()} for a value with a fallback)
 */
public record StatsReport(long listenQueue, List<Socket> sockets, boolean hasWorkers, List<Worker> workers,
                          int generation, Map<String, Long> requestsByClass, Histogram duration, long bytesSent,
                          long harakiriTotal, Map<String, Long> workerRestarts, long rssBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One listening socket of the vassal.
     *
     * @param name its address, e.g. {@code 127.0.0.1:8080}, or ""
     * @param proto {@code http}, {@code uwsgi}..., or ""
     * @param queue connections waiting to be accepted, or -1
     * @param maxQueue its accept queue's length ({@code listen}), or -1
     */
    public record Socket(String name, String proto, long queue, long maxQueue) {
    }

    /**
     * One worker slot.
     *
     * @param id the worker id (1..N), or -1
     * @param pid its pid (0 for a cheaped slot), or -1
     * @param status uWSGI's word: {@code idle}, {@code busy}, {@code cheap}, {@code pause}, {@code sig}..., or ""
     * @param requests requests served since it was spawned, or -1
     * @param avgRtMicros average request time in microseconds ({@code avg_rt}), or -1
     * @param rssBytes resident memory ({@code rss}), or -1
     * @param txBytes bytes sent ({@code tx}), or -1
     * @param respawns how many times this slot was respawned ({@code respawn_count}), or -1
     * @param exceptions exceptions raised by the app, or -1
     * @param harakiri harakiri kills of this slot ({@code harakiri_count}), or -1
     */
    public record Worker(int id, long pid, String status, long requests, long avgRtMicros, long rssBytes,
                         long txBytes, long respawns, long exceptions, long harakiri) {
        /** Returns whether it is serving a request now. */
        public boolean busy() {
            return "busy".equals(status);
        }

        /** Returns whether it waits for a request. */
        public boolean idle() {
            return "idle".equals(status);
        }

        /** Returns whether its process runs: any status but {@code cheap} (stopped by the cheaper). */
        public boolean running() {
            return !"cheap".equals(status);
        }
    }

    /**
     * A cumulative request-duration histogram, checked consistent.
     *
     * @param bounds the bucket upper bounds in seconds, finite and strictly increasing, without +Inf
     * @param counts requests at or below each bound, non-decreasing, as many as the bounds
     * @param count all requests (the +Inf bucket), at least the last count
     * @param sum the sum of the durations in seconds, finite and not negative
     */
    public record Histogram(List<Double> bounds, List<Long> counts, long count, double sum) {
        /** Copies the lists. */
        public Histogram {
            bounds = List.copyOf(bounds);
            counts = List.copyOf(counts);
        }
    }

    /** Copies the lists and maps, keeping the maps' order. */
    public StatsReport {
        sockets = List.copyOf(sockets);
        workers = List.copyOf(workers);
        requestsByClass = Collections.unmodifiableMap(new LinkedHashMap<>(requestsByClass));
        workerRestarts = Collections.unmodifiableMap(new LinkedHashMap<>(workerRestarts));
    }

    /**
     * Reads a report.
     *
     * @param json the STATS_REPORT payload (minified or not), or null if the vassal has not reported
     * @return the report, or null when {@code json} is null, blank, not JSON or not a JSON object
     */
    public static StatsReport parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        List<Socket> sockets = new ArrayList<>();
        for (JsonNode s : array(root.get("sockets"))) {
            if (s.isObject()) {
                sockets.add(new Socket(text(s.get("name")), text(s.get("proto")), number(s.get("queue")),
                        number(s.get("max_queue"))));
            }
        }
        JsonNode workerArray = root.get("workers");
        List<Worker> workers = new ArrayList<>();
        for (JsonNode w : array(workerArray)) {
            workers.add(new Worker(smallNumber(w.get("id")), number(w.get("pid")), text(w.get("status")),
                    number(w.get("requests")), number(w.get("avg_rt")), number(w.get("rss")), number(w.get("tx")),
                    number(w.get("respawn_count")), number(w.get("exceptions")), number(w.get("harakiri_count"))));
        }
        JsonNode imp = root.path("imperium");
        return new StatsReport(number(root.get("listen_queue")), sockets,
                workerArray != null && workerArray.isArray(), workers, smallNumber(imp.get("generation")),
                counters(imp.get("requests_by_class")), histogram(imp.get("request_duration_seconds")),
                number(imp.get("bytes_sent")), number(imp.get("harakiri_total")),
                counters(imp.get("worker_restarts")), number(imp.get("rss_bytes")));
    }

    /** Returns how many workers are busy with a request (0 without workers). */
    public int busyWorkers() {
        return (int) workers.stream().filter(Worker::busy).count();
    }

    /** Returns how many workers wait for a request (0 without workers). */
    public int idleWorkers() {
        return (int) workers.stream().filter(Worker::idle).count();
    }

    /** Returns how many workers run, cheaped ones excluded (0 without workers). */
    public int runningWorkers() {
        return (int) workers.stream().filter(Worker::running).count();
    }

    /**
     * Returns the requests the vassal served: the sum of {@code imperium.requests_by_class} when it has entries (a
     * total since the master started, kept across reloads), else the sum of the workers' {@code requests} (since
     * each was spawned).
     *
     * @return the total, or -1 if the report counts no requests at all
     */
    public long requests() {
        if (!requestsByClass.isEmpty()) {
            return requestsByClass.values().stream().mapToLong(Long::longValue).sum();
        }
        return sumOfWorkers(Worker::requests);
    }

    /**
     * Returns the resident memory of the vassal: {@link #rssBytes()}, else the workers' {@code rss} summed.
     *
     * @return bytes; 0 when the report tells neither
     */
    public long totalRssBytes() {
        return rssBytes >= 0 ? rssBytes : Math.max(0, sumOfWorkers(Worker::rssBytes));
    }

    /** The sum of a worker field over the workers that have it, or -1 if none has. */
    private long sumOfWorkers(ToLongFunction<Worker> field) {
        long sum = -1;
        for (Worker w : workers) {
            long n = field.applyAsLong(w);
            if (n >= 0) {
                sum = Math.max(sum, 0) + n;
            }
        }
        return sum;
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : "";
    }

    private static long number(JsonNode node) {
        return node != null && node.isNumber() && node.asLong() >= 0 ? node.asLong() : -1;
    }

    /** {@link #number} for a field that fits an int (an id, a generation); a larger value is absent too. */
    private static int smallNumber(JsonNode node) {
        long n = number(node);
        return n <= Integer.MAX_VALUE ? (int) n : -1;
    }

    /** A JSON object of non-negative integers, in its order; other entries are skipped. */
    private static Map<String, Long> counters(JsonNode node) {
        Map<String, Long> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                long n = number(e.getValue());
                if (n >= 0) {
                    map.put(e.getKey(), n);
                }
            }
        }
        return map;
    }

    /** The histogram, or null unless bounds and counts are equally long, increasing and finite. */
    private static Histogram histogram(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode b = node.get("buckets");
        JsonNode c = node.get("counts");
        long count = number(node.get("count"));
        JsonNode sumNode = node.get("sum");
        if (b == null || c == null || !b.isArray() || !c.isArray() || b.size() != c.size() || count < 0
                || sumNode == null || !sumNode.isNumber()) {
            return null;
        }
        List<Double> bounds = new ArrayList<>(b.size());
        List<Long> counts = new ArrayList<>(c.size());
        for (int i = 0; i < b.size(); i++) {
            if (!b.get(i).isNumber()) {
                return null;
            }
            double bound = b.get(i).asDouble();
            long n = number(c.get(i));
            boolean increasing = i == 0 || (bound > bounds.get(i - 1) && n >= counts.get(i - 1));
            if (!Double.isFinite(bound) || n < 0 || !increasing) {
                return null;
            }
            bounds.add(bound);
            counts.add(n);
        }
        if (!counts.isEmpty() && counts.getLast() > count) {
            return null;
        }
        double sum = sumNode.asDouble();
        return Double.isFinite(sum) && sum >= 0 ? new Histogram(bounds, counts, count, sum) : null;
    }
}
