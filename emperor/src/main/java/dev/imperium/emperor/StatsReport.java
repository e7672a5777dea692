package dev.imperium.emperor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /metrics} shows of one vassal's STATS_REPORT: its uWSGI stats document (uwsgi-features.md §2.9) plus
 * the {@code "imperium"} object of ISSUE6's report contract. Parsed leniently: a field that is missing or of the
 * wrong type is absent ({@code -1}, empty or null) and only that metric is left out.
 *
 * @param listenQueue the top-level {@code listen_queue}, or -1
 * @param sockets the {@code sockets[]}: name, proto, queue, max_queue
 * @param workers how many {@code workers[]} entries (configured worker slots), or -1 without the array
 * @param busyWorkers workers whose {@code status} is {@code busy}, or -1
 * @param idleWorkers workers whose {@code status} is {@code idle}, or -1
 * @param requestsByClass {@code imperium.requests_by_class}: {@code 1xx}..{@code 5xx} to totals, in report order
 * @param duration {@code imperium.request_duration_seconds}, or null if missing or inconsistent
 * @param bytesSent {@code imperium.bytes_sent}, or -1
 * @param harakiriTotal {@code imperium.harakiri_total}, or -1
 * @param workerRestarts {@code imperium.worker_restarts}: reason to total, in report order
 * @param rssBytes {@code imperium.rss_bytes}, or -1
 */
record StatsReport(long listenQueue, List<Socket> sockets, int workers, int busyWorkers, int idleWorkers,
                   Map<String, Long> requestsByClass, Histogram duration, long bytesSent, long harakiriTotal,
                   Map<String, Long> workerRestarts, long rssBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One listening socket of the vassal.
     *
     * @param name its address, e.g. {@code 127.0.0.1:8080}
     * @param proto {@code http}, {@code uwsgi}...
     * @param queue connections waiting to be accepted, or -1
     * @param maxQueue its accept queue's length ({@code listen}), or -1
     */
    record Socket(String name, String proto, long queue, long maxQueue) {
    }

    /**
     * A cumulative request-duration histogram.
     *
     * @param bounds the bucket upper bounds in seconds, strictly increasing, without +Inf
     * @param counts requests at or below each bound, non-decreasing
     * @param count all requests (the +Inf bucket), at least the last count
     * @param sum the sum of the durations in seconds
     */
    record Histogram(double[] bounds, long[] counts, long count, double sum) {
    }

    /**
     * Parses a report.
     *
     * @param json the STATS_REPORT payload
     * @return the report
     * @throws IllegalArgumentException if the payload is not a JSON object
     */
    static StatsReport parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        List<Socket> sockets = new ArrayList<>();
        for (JsonNode s : array(root.get("sockets"))) {
            if (s.isObject()) {
                sockets.add(new Socket(text(s.get("name")), text(s.get("proto")), number(s.get("queue")),
                        number(s.get("max_queue"))));
            }
        }
        JsonNode workerArray = root.get("workers");
        int workers = -1;
        int busy = -1;
        int idle = -1;
        if (workerArray != null && workerArray.isArray()) {
            workers = workerArray.size();
            busy = 0;
            idle = 0;
            for (JsonNode w : workerArray) {
                String status = text(w.get("status"));
                if ("busy".equals(status)) {
                    busy++;
                } else if ("idle".equals(status)) {
                    idle++;
                }
            }
        }
        JsonNode imp = root.path("imperium");
        return new StatsReport(number(root.get("listen_queue")), List.copyOf(sockets), workers, busy, idle,
                counters(imp.get("requests_by_class")), histogram(imp.get("request_duration_seconds")),
                number(imp.get("bytes_sent")), number(imp.get("harakiri_total")),
                counters(imp.get("worker_restarts")), number(imp.get("rss_bytes")));
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
        double[] bounds = new double[b.size()];
        long[] counts = new long[c.size()];
        for (int i = 0; i < bounds.length; i++) {
            if (!b.get(i).isNumber()) {
                return null;
            }
            bounds[i] = b.get(i).asDouble();
            counts[i] = number(c.get(i));
            boolean increasing = i == 0 || (bounds[i] > bounds[i - 1] && counts[i] >= counts[i - 1]);
            if (!Double.isFinite(bounds[i]) || counts[i] < 0 || !increasing) {
                return null;
            }
        }
        if (counts.length > 0 && counts[counts.length - 1] > count) {
            return null;
        }
        double sum = sumNode.asDouble();
        return Double.isFinite(sum) && sum >= 0 ? new Histogram(bounds, counts, count, sum) : null;
    }
}
