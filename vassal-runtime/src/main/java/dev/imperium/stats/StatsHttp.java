package dev.imperium.stats;

import java.nio.charset.StandardCharsets;

/**
 * What the stats server sends a client: the document, after uWSGI's HTTP/1.0 response head under
 * {@code stats-http} ({@code core/utils.c} {@code uwsgi_send_http_stats}), so that a browser, {@code curl} or an HTTP
 * scraper reads it.
 */
public final class StatsHttp {
    /** uWSGI's head, byte for byte. */
    public static final String HEAD = "HTTP/1.0 200 OK\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\n"
            + "Content-Type: application/json\r\n\r\n";

    private StatsHttp() {
    }

    /**
     * Returns the bytes to send.
     *
     * @param json the document
     * @param http {@code stats-http}: the HTTP head first
     */
    public static byte[] response(String json, boolean http) {
        return (http ? HEAD + json : json).getBytes(StandardCharsets.UTF_8);
    }
}
