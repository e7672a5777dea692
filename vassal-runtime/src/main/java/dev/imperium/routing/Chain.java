package dev.imperium.routing;

/**
 * uWSGI's routing chains, in the order a request meets them (uwsgi-docs "InternalRouting", "The routing chains").
 * Each has its own options: {@code route*}, {@code error-route*}, {@code response-route*}, {@code final-route*}.
 */
public enum Chain {
    /** Before the request is served (by static files or the app): {@code route*}. */
    REQUEST("", "internal routing table"),
    /**
     * When a response status is set, for every response (not only errors: use {@code error-route-status} to pick
     * one): {@code error-route*}. An action that answers (redirect, return, ...) replaces the response.
     */
    ERROR("error-", "internal error routing table"),
    /** Once, just before the response head is sent: {@code response-route*}. */
    RESPONSE("response-", "internal response routing table"),
    /** After the response was sent, before the request log line: {@code final-route*}. */
    FINAL("final-", "internal final routing table");

    private final String prefix;
    private final String title;

    Chain(String prefix, String title) {
        this.prefix = prefix;
        this.title = title;
    }

    /** Returns the option prefix: {@code ""}, {@code "error-"}, {@code "response-"} or {@code "final-"}. */
    public String prefix() {
        return prefix;
    }

    /** Returns the name uWSGI's startup dump gives the chain's table, e.g. {@code internal error routing table}. */
    public String title() {
        return title;
    }
}
