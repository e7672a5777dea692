package dev.imperium.emperor.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a vassal's stats report that {@code imperium status} and {@code top} show, read from uWSGI 2.0's
 * stats document (the fields {@code uwsgitop} reads: {@code workers[].id/pid/status/requests/avg_rt/rss/tx/
 * respawn_count/exceptions/harakiri_count}, {@code listen_queue}) and Imperium's {@code "imperium"} object
 * ({@code rss_bytes}, {@code generation}). Missing fields read as 0; pure.
 *
 * @param workers the workers, in the report's order
 * @param listenQueue connections waiting in the listen queue
 * @param rssBytes resident memory of the master and its workers (Imperium's {@code rss_bytes}, else the workers'
 *     {@code rss} summed)
 * @param generation the reporting generation (Imperium's), or 0
 */
public record StatsSummary(List<Worker> workers, long listenQueue, long rssBytes, int generation) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One worker.
     *
     * @param id the worker id (1..N)
     * @param pid its pid
     * @param status uWSGI's word: {@code idle}, {@code busy}, {@code cheap}, {@code pause}, {@code sig}...
     * @param requests requests served since it was spawned
     * @param avgRtMicros average request time, microseconds
     * @param rssBytes resident memory
     * @param txBytes bytes sent
     * @param respawns how many times this worker slot was respawned
     * @param exceptions exceptions raised by the app
     * @param harakiri harakiri kills of this slot
     */
    public record Worker(int id, long pid, String status, long requests, long avgRtMicros, long rssBytes,
                         long txBytes, long respawns, long exceptions, long harakiri) {
        /** Returns whether it is serving a request now. */
        public boolean busy() {
            return "busy".equals(status);
        }
    }

    /** Copies the list. */
    public StatsSummary {
        workers = List.copyOf(workers);
    }

    /**
     * Reads a stats report.
     *
     * @param json the report (minified or not), or null
     * @return the summary, or null when {@code json} is null or not a JSON object
     */
    public static StatsSummary parse(String json) {
        if (json == null) {
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        List<Worker> workers = new ArrayList<>();
        long rssSum = 0;
        for (JsonNode w : root.path("workers")) {
            Worker worker = new Worker(w.path("id").asInt(0), w.path("pid").asLong(0), w.path("status").asText(""),
                    w.path("requests").asLong(0), w.path("avg_rt").asLong(0), w.path("rss").asLong(0),
                    w.path("tx").asLong(0), w.path("respawn_count").asLong(0), w.path("exceptions").asLong(0),
                    w.path("harakiri_count").asLong(0));
            workers.add(worker);
            rssSum += worker.rssBytes();
        }
        JsonNode imperium = root.path("imperium");
        long rss = imperium.has("rss_bytes") ? imperium.path("rss_bytes").asLong(0) : rssSum;
        return new StatsSummary(workers, root.path("listen_queue").asLong(0), rss,
                imperium.path("generation").asInt(0));
    }

    /** Returns how many workers there are. */
    public int totalWorkers() {
        return workers.size();
    }

    /** Returns how many workers are busy. */
    public int busyWorkers() {
        return (int) workers.stream().filter(Worker::busy).count();
    }

    /** Returns the requests served by all workers. */
    public long requests() {
        return workers.stream().mapToLong(Worker::requests).sum();
    }
}
