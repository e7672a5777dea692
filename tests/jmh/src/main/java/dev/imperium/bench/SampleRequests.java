package dev.imperium.bench;

import dev.imperium.http.Http1RequestHead;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.RequestHeadParser;
import dev.imperium.server.RequestHead;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The request heads the HTTP benchmarks share: what wrk sends, and what a browser sends. */
public final class SampleRequests {
    /** uWSGI's default {@code buffer-size}, the server's head limit. */
    public static final int MAX_HEAD = 4096;

    /** wrk's request: request-line and {@code Host} only (40 bytes). */
    public static final String MINIMAL = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";

    /** A browser's page request: a query, 13 fields, a cookie (640 bytes). */
    public static final String BROWSER = "GET /shop/items?page=2&sort=name HTTP/1.1\r\n"
            + "Host: app.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Referer: https://app.example.com/shop/items?page=1&sort=name\r\n"
            + "Cookie: session=4f2c9a1e7b3d45e8a6c0f1b2d3e4f5a6; theme=dark; lang=en;"
            + " _ga=GA1.2.123456789.1700000000\r\n"
            + "Connection: keep-alive\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Priority: u=0, i\r\n"
            + "\r\n";

    private SampleRequests() {
    }

    /** Returns the bytes of a request written above (one byte per char). */
    public static byte[] bytes(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses a whole request head, as the server does.
     *
     * @throws IllegalStateException if the head is invalid or incomplete
     */
    public static Http1RequestHead parse(String request) {
        RequestHeadParser parser = new RequestHeadParser(MAX_HEAD, MAX_HEAD);
        try {
            if (!parser.parse(ByteBuffer.wrap(bytes(request)))) {
                throw new IllegalStateException("incomplete request head");
            }
        } catch (HttpProtocolException e) {
            throw new IllegalStateException("invalid request head: " + e.getMessage(), e);
        }
        return parser.head();
    }

    /**
     * Returns the protocol-neutral head the HTTP/1.1 connection hands to the app layer for {@code request}, from
     * 127.0.0.1:54321 to port 8080, without a body.
     */
    public static RequestHead requestHead(String request) {
        Http1RequestHead head = parse(request);
        return new RequestHead(head.method(), head.target().raw(), head.target().path(), head.target().query(),
                head.version().text(), head.fields(), -1, false, "127.0.0.1", 54321, "127.0.0.1", 8080, "http");
    }
}
