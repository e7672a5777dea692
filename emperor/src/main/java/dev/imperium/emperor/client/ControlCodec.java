package dev.imperium.emperor.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The emperor's client control protocol, version {@value #VERSION}: encodes and decodes requests and replies. Pure:
 * strings in, objects out.
 *
 * <p>Transport: an AF_UNIX stream socket ({@link ControlSocketPath}). The client sends one request, one JSON object
 * on one line (UTF-8, ending in {@code \n}, at most {@value #MAX_REQUEST_BYTES} bytes); the emperor answers with
 * JSON lines and closes the connection. JSON strings escape line breaks, so a message never spans lines.
 *
 * <pre>
 * → {"v":1,"op":"status"}                         (optional "vassal":"app.ini")
 * ← {"type":"status","ok":true,"emperor":{"pid":1,"version":"…","vassals_dir":"…","uptime":12.5},
 *    "vassals":[{"name":"app.ini","state":"running","detail":"RUNNING","pid":42,"generation":2,"uptime":9.1,
 *                "restarts":0,"failures":0,"backoff":null,"last_error":null,"last_error_at":null,
 *                "workers_busy":1,"workers_total":2,"stats":{…uWSGI stats document…}|null}]}
 * → {"v":1,"op":"reload","vassal":"app.ini","wait":true}     (or "all":true)
 * → {"v":1,"op":"stop","vassal":"app.ini","wait":true}       ("start" alike)
 * ← {"type":"results","ok":true,"results":[{"vassal":"app.ini","ok":true,"message":"generation 3 accepting"}]}
 * → {"v":1,"op":"logs","vassal":"app.ini","lines":100,"follow":false}
 * ← {"type":"logs","ok":true,"vassal":"app.ini","dropped":0}
 * ← {"type":"log","seq":1,"stream":"stdout","line":"…"}       (one per line)
 * ← {"type":"end"}          (when following instead: more "log" lines, "skipped" and "ping" until hang-up)
 * ← {"type":"error","ok":false,"reason":"not_found","error":"no vassal app.ini in /etc/imperium/vassals"}
 * </pre>
 * Unknown fields are ignored (newer clients and emperors may add some); a request with a higher {@code "v"} than
 * {@value #VERSION} is refused with {@code bad_request}.
 */
public final class ControlCodec {
    /** The protocol version this codec speaks. */
    public static final int VERSION = 1;
    /** The longest request line, in bytes. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** The longest reply line, in bytes (a status with every vassal's stats report). */
    public static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ControlCodec() {
    }

    // ------------------------------------------------------------------ requests

    /**
     * Encodes a request as one JSON line, without the terminating {@code \n}.
     *
     * @param request the request
     * @return the JSON text
     */
    public static String encode(ControlRequest request) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", VERSION);
        o.put("op", request.op().wireName());
        if (request.vassal() != null) {
            o.put("vassal", request.vassal());
        }
        if (request.all()) {
            o.put("all", true);
        }
        switch (request.op()) {
            case RELOAD, STOP, START -> o.put("wait", request.waitForResult());
            case LOGS -> {
                o.put("lines", request.lines());
                o.put("follow", request.follow());
            }
            case STATUS -> { }
        }
        return o.toString();
    }

    /**
     * Decodes a request line.
     *
     * @param line the JSON text of one line
     * @return the request
     * @throws ProtocolException if it is not a valid request of this version
     */
    public static ControlRequest decodeRequest(String line) throws ProtocolException {
        JsonNode o = parseObject(line);
        int version = o.path("v").asInt(VERSION);
        if (version > VERSION) {
            throw new ProtocolException("protocol version " + version + " is newer than this emperor's ("
                    + VERSION + "): upgrade the emperor or use an older imperium");
        }
        try {
            ControlRequest.Op op = ControlRequest.Op.fromWire(text(o, "op"));
            boolean command = op == ControlRequest.Op.RELOAD || op == ControlRequest.Op.STOP
                    || op == ControlRequest.Op.START;
            boolean logs = op == ControlRequest.Op.LOGS;
            return new ControlRequest(op, textOrNull(o, "vassal"), o.path("all").asBoolean(false),
                    command && o.path("wait").asBoolean(true), logs ? o.path("lines").asInt(-1) : 0,
                    logs && o.path("follow").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ replies

    /**
     * Encodes a reply as one JSON line, without the terminating {@code \n}. A vassal's stats report that is not
     * valid JSON is sent as null.
     *
     * @param reply the reply
     * @return the JSON text
     */
    public static String encode(ControlReply reply) {
        ObjectNode o = MAPPER.createObjectNode();
        switch (reply) {
            case ControlReply.Status s -> {
                o.put("type", "status");
                o.put("ok", true);
                ObjectNode e = o.putObject("emperor");
                e.put("pid", s.emperor().pid());
                e.put("version", s.emperor().version());
                e.put("vassals_dir", s.emperor().vassalsDir());
                e.put("uptime", round(s.emperor().uptimeSeconds()));
                ArrayNode list = o.putArray("vassals");
                for (VassalStatus v : s.vassals()) {
                    list.add(vassal(v));
                }
            }
            case ControlReply.Results r -> {
                o.put("type", "results");
                o.put("ok", r.allOk());
                ArrayNode list = o.putArray("results");
                for (ControlReply.CommandResult c : r.results()) {
                    ObjectNode item = list.addObject();
                    item.put("vassal", c.vassal());
                    item.put("ok", c.ok());
                    item.put("message", c.message());
                }
            }
            case ControlReply.Failure f -> {
                o.put("type", "error");
                o.put("ok", false);
                o.put("reason", f.reason());
                o.put("error", f.message());
            }
            case ControlReply.LogsStart l -> {
                o.put("type", "logs");
                o.put("ok", true);
                o.put("vassal", l.vassal());
                o.put("dropped", l.dropped());
            }
            case ControlReply.LogLine l -> {
                o.put("type", "log");
                o.put("seq", l.seq());
                o.put("stream", l.stderr() ? "stderr" : "stdout");
                o.put("line", l.text());
            }
            case ControlReply.LogsSkipped s -> {
                o.put("type", "skipped");
                o.put("count", s.count());
            }
            case ControlReply.LogsEnd e -> o.put("type", "end");
            case ControlReply.Ping p -> o.put("type", "ping");
        }
        return o.toString();
    }

    private static ObjectNode vassal(VassalStatus v) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", v.name());
        o.put("state", v.state().wireName());
        o.put("detail", v.detail());
        putPositive(o, "pid", v.pid());
        o.put("generation", v.generation());
        if (v.uptimeSeconds() >= 0) {
            o.put("uptime", round(v.uptimeSeconds()));
        } else {
            o.putNull("uptime");
        }
        o.put("restarts", v.restarts());
        o.put("failures", v.failures());
        if (v.backoffSeconds() >= 0) {
            o.put("backoff", round(v.backoffSeconds()));
        } else {
            o.putNull("backoff");
        }
        o.put("last_error", v.lastError());
        putPositive(o, "last_error_at", v.lastErrorEpochSeconds() > 0 ? v.lastErrorEpochSeconds() : -1);
        putPositive(o, "workers_busy", v.workersBusy());
        putPositive(o, "workers_total", v.workersTotal());
        JsonNode stats = null;
        if (v.statsJson() != null) {
            try {
                stats = MAPPER.readTree(v.statsJson());
            } catch (JsonProcessingException e) {
                stats = null;
            }
        }
        o.set("stats", stats != null && stats.isObject() ? stats : MAPPER.nullNode());
        return o;
    }

    private static void putPositive(ObjectNode o, String key, long value) {
        if (value >= 0) {
            o.put(key, value);
        } else {
            o.putNull(key);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /**
     * Decodes a reply line.
     *
     * @param line the JSON text of one line
     * @return the reply
     * @throws ProtocolException if it is not a reply this codec knows
     */
    public static ControlReply decodeReply(String line) throws ProtocolException {
        JsonNode o = parseObject(line);
        String type = text(o, "type");
        try {
            return switch (type) {
                case "status" -> {
                    JsonNode e = o.path("emperor");
                    List<VassalStatus> vassals = new ArrayList<>();
                    for (JsonNode v : o.path("vassals")) {
                        vassals.add(vassal(v));
                    }
                    yield new ControlReply.Status(new ControlReply.EmperorInfo(e.path("pid").asLong(-1),
                            e.path("version").asText(""), e.path("vassals_dir").asText(""),
                            e.path("uptime").asDouble(0)), vassals);
                }
                case "results" -> {
                    List<ControlReply.CommandResult> results = new ArrayList<>();
                    for (JsonNode r : o.path("results")) {
                        results.add(new ControlReply.CommandResult(text(r, "vassal"), r.path("ok").asBoolean(false),
                                r.path("message").asText("")));
                    }
                    yield new ControlReply.Results(results);
                }
                case "error" -> new ControlReply.Failure(o.path("reason").asText("error"),
                        o.path("error").asText("the emperor refused the request"));
                case "logs" -> new ControlReply.LogsStart(text(o, "vassal"), o.path("dropped").asLong(0));
                case "log" -> new ControlReply.LogLine(o.path("seq").asLong(0),
                        "stderr".equals(o.path("stream").asText()), text(o, "line"));
                case "skipped" -> new ControlReply.LogsSkipped(o.path("count").asLong(0));
                case "end" -> new ControlReply.LogsEnd();
                case "ping" -> new ControlReply.Ping();
                default -> throw new ProtocolException("unknown reply type '" + type + "'");
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProtocolException("malformed " + type + " reply: " + e.getMessage());
        }
    }

    private static VassalStatus vassal(JsonNode v) throws ProtocolException {
        JsonNode stats = v.path("stats");
        return new VassalStatus(text(v, "name"), VassalStatus.State.fromWire(text(v, "state")),
                v.path("detail").asText(""), longOr(v, "pid", -1), v.path("generation").asInt(0),
                doubleOr(v, "uptime", -1), v.path("restarts").asInt(0), v.path("failures").asInt(0),
                doubleOr(v, "backoff", -1), textOrNull(v, "last_error"), longOr(v, "last_error_at", 0),
                (int) longOr(v, "workers_busy", -1), (int) longOr(v, "workers_total", -1),
                stats.isObject() ? stats.toString() : null);
    }

    /**
     * Returns the JSON text of a reply, re-indented for people ({@code imperium ... --json}).
     *
     * @param line one reply line
     * @return the same JSON, pretty-printed
     * @throws ProtocolException if it is not JSON
     */
    public static String pretty(String line) throws ProtocolException {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(parseObject(line));
        } catch (JsonProcessingException e) {
            throw new ProtocolException("cannot print: " + e.getOriginalMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode parseObject(String line) throws ProtocolException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.getNodeType() != JsonNodeType.OBJECT) {
            throw new ProtocolException("a message must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode o, String key) throws ProtocolException {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) {
            throw new ProtocolException("missing string field '" + key + "'");
        }
        return v.asText();
    }

    private static String textOrNull(JsonNode o, String key) throws ProtocolException {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ProtocolException("field '" + key + "' must be a string");
        }
        return v.asText();
    }

    private static long longOr(JsonNode o, String key, long fallback) {
        JsonNode v = o.get(key);
        return v == null || !v.isNumber() ? fallback : v.asLong();
    }

    private static double doubleOr(JsonNode o, String key, double fallback) {
        JsonNode v = o.get(key);
        return v == null || !v.isNumber() ? fallback : v.asDouble();
    }
}
