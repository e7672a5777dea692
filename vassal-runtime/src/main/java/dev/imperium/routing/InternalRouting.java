package dev.imperium.routing;

import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;

import java.util.Objects;

/**
 * uWSGI's internal routing in a worker (uwsgi-docs "InternalRouting"): runs the request chain before a request is
 * served (before static files and the app, as in uWSGI), hands the routed request to the rest of the worker,
 * applies the error and response chains to its response, then runs the final chain. Thread-safe: the rules are
 * immutable and each request gets its own state.
 */
public final class InternalRouting {
    private final RoutingRules rules;
    private final RouteEnvironment env;

    /**
     * @param rules the vassal's rules
     * @param env the worker
     */
    public InternalRouting(RoutingRules rules, RouteEnvironment env) {
        this.rules = Objects.requireNonNull(rules);
        this.env = Objects.requireNonNull(env);
    }

    /**
     * What routing did with one request, for the request log.
     *
     * @param exchange the exchange as routed: its request is the one the log line shows (uWSGI logs the
     *     variables as routing left them)
     * @param doNotLog true if a {@code donotlog:} action ran
     * @param logVars the log variables {@code logvar:} actions set, or null
     */
    public record Routed(Exchange exchange, boolean doNotLog, java.util.Map<String, String> logVars) {
    }

    /**
     * Serves one request.
     *
     * @param exchange the request and its response
     * @param next serves the routed request when routing does not answer it (static files, then the app); it must
     *     answer (a 404 when nothing serves the request)
     * @return what routing did
     * @throws Exception what {@code next} throws, or an I/O failure while routing answered
     */
    public Routed serve(Exchange exchange, Handler next) throws Exception {
        RouteState state = new RouteState(exchange.request(), env);
        RoutedExchange routed = new RoutedExchange(exchange, state, rules);
        try {
            RouteTable table = rules.table(Chain.REQUEST);
            RouteEngine.Outcome outcome = table.isEmpty() ? RouteEngine.Outcome.NEXT : RouteEngine.run(table, state);
            routed.route(state.vars.toHead());
            if (outcome == RouteEngine.Outcome.BREAK) {
                routed.reply(state.reply);
            } else {
                next.handle(routed);
            }
        } finally {
            RouteTable table = rules.table(Chain.FINAL);
            if (!table.isEmpty()) {
                state.status = exchange.status();
                state.responseBytes = exchange.bodyBytes();
                RouteEngine.run(table, state);
                state.reply = null;
            }
        }
        return new Routed(routed, state.doNotLog, state.logVars);
    }

    /** Returns the rules. */
    public RoutingRules rules() {
        return rules;
    }
}
