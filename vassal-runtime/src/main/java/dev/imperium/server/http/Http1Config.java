package dev.imperium.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the HTTP/1.1 connection layer. Sizes are in bytes.
 *
 * @param maxHeadSize the largest request head (request-line, fields, CRLFs): uWSGI's {@code buffer-size}; over it: 431
 * @param maxRequestLineLength the largest request-line, CRLF included, capped by {@code maxHeadSize}; over it: 414
 * @param maxBodySize the largest request body: uWSGI's {@code limit-post}; 0 for no limit; over it: 413
 * @param maxChunkLineLength the largest chunk-size line (size, extensions, CRLF) of a chunked body; over it: 400
 * @param maxTrailerSize the largest trailer section of a chunked body; over it: 400
 * @param readTimeout how long a request head may take from its first byte to its end, and how long one read of a
 *     request body may wait: uWSGI's {@code socket-timeout}. Also the wait for the first request on a new connection.
 * @param writeTimeout how long one write may wait for the client to take bytes
 * @param idleTimeout how long a persistent connection may wait for its next request
 * @param drainLimit the most unread request-body bytes read and discarded after the handler returns to keep the
 *     connection; a longer rest closes the connection instead. Also the most bytes discarded while lingering.
 * @param shutdownGrace during graceful shutdown, how long an idle persistent connection waits for one more request
 *     (answered with {@code Connection: close}) before it is closed
 * @param lingerTimeout when the server closes a connection, how long it keeps reading and discarding what the client
 *     still sends after the response, so the client is not reset before it read the response
 * @param headTimeout how long a whole request head may take, from its first byte to its end, however the client
 *     paces it (a slowloris client sending a byte at a time is closed when it passes): {@code socket-timeout} in a
 *     worker, {@code http-headers-timeout} in the {@code http} router
 */
public record Http1Config(
        int maxHeadSize,
        int maxRequestLineLength,
        long maxBodySize,
        int maxChunkLineLength,
        int maxTrailerSize,
        Duration readTimeout,
        Duration writeTimeout,
        Duration idleTimeout,
        long drainLimit,
        Duration shutdownGrace,
        Duration lingerTimeout,
        Duration headTimeout) {

    /** uWSGI's {@code buffer-size} default. */
    public static final int DEFAULT_HEAD_SIZE = 4096;
    /** uWSGI's {@code socket-timeout} default. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(4);

    /** Checks the values. */
    public Http1Config {
        if (maxHeadSize < 64 || maxHeadSize > 1 << 20) {
            throw new IllegalArgumentException("maxHeadSize must be 64..1048576: " + maxHeadSize);
        }
        if (maxRequestLineLength < 64) {
            throw new IllegalArgumentException("maxRequestLineLength must be at least 64: " + maxRequestLineLength);
        }
        if (maxBodySize < 0 || drainLimit < 0) {
            throw new IllegalArgumentException("maxBodySize and drainLimit must not be negative");
        }
        if (maxChunkLineLength < 16 || maxTrailerSize < 16) {
            throw new IllegalArgumentException("maxChunkLineLength and maxTrailerSize must be at least 16");
        }
        positive(readTimeout, "readTimeout");
        positive(writeTimeout, "writeTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(shutdownGrace, "shutdownGrace");
        positive(lingerTimeout, "lingerTimeout");
        positive(headTimeout, "headTimeout");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * Returns the defaults: head 4096, request-line 4096, no body limit, chunk line 1024, trailers 4096, read, write,
     * idle and head timeouts 4 s, drain 1 MiB, shutdown grace 1 s, linger 2 s.
     */
    public static Http1Config defaults() {
        return new Http1Config(DEFAULT_HEAD_SIZE, DEFAULT_HEAD_SIZE, 0, 1024, DEFAULT_HEAD_SIZE,
                DEFAULT_SOCKET_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, 1 << 20, Duration.ofSeconds(1),
                Duration.ofSeconds(2), DEFAULT_SOCKET_TIMEOUT);
    }

    /**
     * Returns the defaults with uWSGI's options applied.
     *
     * @param bufferSize {@code buffer-size}: the head limit, also used for the request-line and trailers
     * @param limitPost {@code limit-post}: the body limit, 0 for none
     * @param socketTimeout {@code socket-timeout}: the read, write, idle and head timeouts
     */
    public static Http1Config fromUwsgi(int bufferSize, long limitPost, Duration socketTimeout) {
        Http1Config d = defaults();
        return new Http1Config(bufferSize, bufferSize, limitPost, d.maxChunkLineLength(), bufferSize, socketTimeout,
                socketTimeout, socketTimeout, d.drainLimit(), d.shutdownGrace(), d.lingerTimeout(), socketTimeout);
    }

    /** Returns a copy with another head limit (the request-line and trailer limits follow it). */
    public Http1Config withMaxHeadSize(int bytes) {
        return new Http1Config(bytes, bytes, maxBodySize, maxChunkLineLength, bytes, readTimeout, writeTimeout,
                idleTimeout, drainLimit, shutdownGrace, lingerTimeout, headTimeout);
    }

    /** Returns a copy with another request-line limit. */
    public Http1Config withMaxRequestLineLength(int bytes) {
        return new Http1Config(maxHeadSize, bytes, maxBodySize, maxChunkLineLength, maxTrailerSize, readTimeout,
                writeTimeout, idleTimeout, drainLimit, shutdownGrace, lingerTimeout, headTimeout);
    }

    /** Returns a copy with another body limit (0 for none). */
    public Http1Config withMaxBodySize(long bytes) {
        return new Http1Config(maxHeadSize, maxRequestLineLength, bytes, maxChunkLineLength, maxTrailerSize,
                readTimeout, writeTimeout, idleTimeout, drainLimit, shutdownGrace, lingerTimeout, headTimeout);
    }

    /** Returns a copy with other read, write and idle timeouts; the head timeout becomes the read timeout. */
    public Http1Config withTimeouts(Duration read, Duration write, Duration idle) {
        return new Http1Config(maxHeadSize, maxRequestLineLength, maxBodySize, maxChunkLineLength, maxTrailerSize,
                read, write, idle, drainLimit, shutdownGrace, lingerTimeout, read);
    }

    /** Returns a copy with another drain limit. */
    public Http1Config withDrainLimit(long bytes) {
        return new Http1Config(maxHeadSize, maxRequestLineLength, maxBodySize, maxChunkLineLength, maxTrailerSize,
                readTimeout, writeTimeout, idleTimeout, bytes, shutdownGrace, lingerTimeout, headTimeout);
    }

    /** Returns a copy with another shutdown grace. */
    public Http1Config withShutdownGrace(Duration grace) {
        return new Http1Config(maxHeadSize, maxRequestLineLength, maxBodySize, maxChunkLineLength, maxTrailerSize,
                readTimeout, writeTimeout, idleTimeout, drainLimit, grace, lingerTimeout, headTimeout);
    }

    /** Returns a copy with another linger timeout. */
    public Http1Config withLingerTimeout(Duration linger) {
        return new Http1Config(maxHeadSize, maxRequestLineLength, maxBodySize, maxChunkLineLength, maxTrailerSize,
                readTimeout, writeTimeout, idleTimeout, drainLimit, shutdownGrace, linger, headTimeout);
    }

    /** Returns a copy with another head timeout. */
    public Http1Config withHeadTimeout(Duration head) {
        return new Http1Config(maxHeadSize, maxRequestLineLength, maxBodySize, maxChunkLineLength, maxTrailerSize,
                readTimeout, writeTimeout, idleTimeout, drainLimit, shutdownGrace, lingerTimeout, head);
    }

    /** Returns the shortest of the timeouts: the watchdog ticks a few times within it. */
    public Duration shortestTimeout() {
        Duration min = readTimeout;
        for (Duration d : new Duration[] {writeTimeout, idleTimeout, shutdownGrace, lingerTimeout, headTimeout}) {
            if (d.compareTo(min) < 0) {
                min = d;
            }
        }
        return min;
    }
}
