package dev.imperium.emperor.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The part of a vassal's stats report the fleet page shows: its workers busy and running, and its request total.
 *
 * <p>The report is the vassal's uWSGI 2.0 stats document (uWSGI docs, "The uWSGI Stats Server"): {@code workers[]}
 * with {@code status} ({@code idle}, {@code busy}, {@code cheap}, {@code pause}, {@code sig}) and
 * {@code requests}, plus Imperium's {@code imperium.requests_by_class}. The request total is the sum of
 * {@code imperium.requests_by_class} when present (a total since the master started, kept across reloads), else
 * the sum of {@code workers[].requests}.
 *
 * @param busy workers whose status is {@code busy}, or null if the report has no workers
 * @param total workers not cheaped (status other than {@code cheap}), or null if the report has no workers
 * @param requests requests served, or null if the report has no request counts
 */
public record WorkerStats(Integer busy, Integer total, Long requests) {
    /** Nothing known. */
    public static final WorkerStats NONE = new WorkerStats(null, null, null);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a stats report.
     *
     * @param json the report as the vassal sent it, or null if it has not reported yet
     * @return what the report tells; {@link #NONE} for null or malformed JSON
     */
    public static WorkerStats parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NONE;
        }
        if (root == null || !root.isObject()) {
            return NONE;
        }
        Integer busy = null;
        Integer total = null;
        Long workerRequests = null;
        JsonNode workers = root.path("workers");
        if (workers.isArray()) {
            int b = 0;
            int t = 0;
            long r = 0;
            boolean counted = false;
            for (JsonNode w : workers) {
                String status = w.path("status").asText("");
                if (!status.equals("cheap")) {
                    t++;
                }
                if (status.equals("busy")) {
                    b++;
                }
                if (w.path("requests").canConvertToLong()) {
                    r += w.path("requests").asLong();
                    counted = true;
                }
            }
            busy = b;
            total = t;
            workerRequests = counted ? r : null;
        }
        Long requests = workerRequests;
        JsonNode byClass = root.path("imperium").path("requests_by_class");
        if (byClass.isObject() && !byClass.isEmpty()) {
            long sum = 0;
            for (JsonNode n : byClass) {
                sum += n.asLong();
            }
            requests = sum;
        }
        return new WorkerStats(busy, total, requests);
    }
}
