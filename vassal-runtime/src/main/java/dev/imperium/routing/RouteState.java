package dev.imperium.routing;

import dev.imperium.http.HttpDate;
import dev.imperium.server.RequestHead;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What routing knows and decided about one request while its chains run: the request variables (and their
 * changes), the response status the later chains see, the header fields to add and remove, whether to log the
 * request, and the reply an action chose. Used by one thread.
 */
final class RouteState implements Template.VarSource {
    final RouteEnvironment env;
    final RequestVars vars;
    private final long startMicros = System.currentTimeMillis() * 1000;
    private final long startNanos = System.nanoTime();
    /** The response status, for the error, response and final chains (0 before one is set). */
    int status;
    /** The response body bytes sent so far, for {@code ${uwsgi[rsize]}}. */
    long responseBytes;
    /** Set by {@code donotlog:}. */
    boolean doNotLog;
    /** Set by {@code logvar:}, for the request log's {@code log-format}; null until one is set. */
    java.util.Map<String, String> logVars;
    /** The fields {@code addheader:} added, as {@code Name: value} lines. */
    final List<String> addHeaders = new ArrayList<>(2);
    /** The field names {@code delheader:} removed. */
    final List<String> delHeaders = new ArrayList<>(2);
    /** The answer an action chose, when the chain ended with BREAK; null for none yet. */
    Reply reply;

    RouteState(RequestHead head, RouteEnvironment env) {
        this.env = env;
        this.vars = new RequestVars(head, env.vars());
    }

    @Override
    public String variable(String name) {
        return vars.get(name);
    }

    @Override
    public String routeVar(RouteVars.Kind kind, String arg) {
        return switch (kind) {
            case COOKIE -> RouteVars.cookie(vars.get("HTTP_COOKIE"), arg);
            case QS -> RouteVars.queryItem(vars.get("QUERY_STRING"), arg);
            case MIME -> {
                String value = vars.get(arg);
                yield value == null ? null : env.mimeTypes().forFileName(value).orElse(null);
            }
            case UWSGI -> switch (arg) {
                case "wid" -> Integer.toString(env.workerId());
                case "pid" -> Long.toString(env.pid());
                case "uuid" -> UUID.randomUUID().toString();
                case "status" -> Integer.toString(status);
                case "rtime" -> Long.toString((System.nanoTime() - startNanos) / 1000);
                case "rsize" -> Long.toString(responseBytes);
                case "sor" -> Long.toString(startMicros);
                default -> null;
            };
            case TIME -> switch (arg) {
                case "unix" -> Long.toString(System.currentTimeMillis() / 1000);
                case "micros" -> Long.toString(System.currentTimeMillis() * 1000);
                default -> null;
            };
            case HTTPTIME -> HttpDate.format(System.currentTimeMillis() / 1000 + RouteVars.strtol(arg));
            case BASE64 -> {
                String value = vars.get(arg);
                yield value == null ? null : RouteVars.base64(value);
            }
            case HEX -> {
                String value = vars.get(arg);
                yield value == null ? null : RouteVars.hex(value);
            }
        };
    }

    /** Sets a log variable ({@code logvar:}). */
    void logVar(String key, String value) {
        if (logVars == null) {
            logVars = new java.util.HashMap<>(4);
        }
        logVars.put(key, value);
    }

    /** Writes a line to the worker's log. */
    void log(String line) {
        env.log().accept(line);
    }
}
