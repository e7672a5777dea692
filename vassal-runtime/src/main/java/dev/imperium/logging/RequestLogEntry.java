package dev.imperium.logging;

/**
 * One finished request, as a request log line shows it: what {@link LogFormat}'s variables read. A format asks only
 * for what it uses, so an implementation may compute a value when asked (the process's memory, a request variable).
 */
public interface RequestLogEntry {
    /** {@code REMOTE_ADDR} (or the {@code X-Forwarded-For} value under {@code log-x-forwarded-for}), or "". */
    String addr();

    /** {@code REMOTE_USER}, or "". */
    String user();

    /** {@code REQUEST_METHOD}. */
    String method();

    /** {@code REQUEST_URI}: the target as the client sent it. */
    String uri();

    /** {@code SERVER_PROTOCOL}, e.g. {@code HTTP/1.1}. */
    String proto();

    /** {@code HTTP_HOST}, or null. */
    String host();

    /** {@code HTTP_USER_AGENT}, or null. */
    String userAgent();

    /** {@code HTTP_REFERER}, or null. */
    String referer();

    /** The response status, 0 if none was sent. */
    int status();

    /** The response body bytes sent. */
    long bodyBytes();

    /** The size of the response head (status line, fields, blank line), in bytes. */
    long headerBytes();

    /** The number of response header fields. */
    int headerCount();

    /** The request's {@code CONTENT_LENGTH}, 0 without one. */
    long contentLength();

    /** When the request started, in microseconds since the epoch. */
    long startMicros();

    /** How long it took, in microseconds. */
    long durationMicros();

    /** The pid of the process that served it. */
    long pid();

    /** The worker's id (1..processes). */
    int workerId();

    /** The core (request slot) that served it. */
    int core();

    /** The number of request variables, keys and values counted apart, as uWSGI counts its vars block. */
    int varCount();

    /** The size of the request's uwsgi vars block, in bytes. */
    int varBytes();

    /** The request's uwsgi modifier1. */
    int modifier1();

    /** The serving process's resident memory, in bytes. */
    long rssBytes();

    /** The serving process's address space, in bytes. */
    long vszBytes();

    /** The request variable {@code name} (a CGI variable: {@code HTTP_X_FOO}, {@code QUERY_STRING}...), or null. */
    String var(String name);

    /** The log variable {@code name} that routing's {@code logvar:} action set, or null. */
    String logVar(String name);

    /** 1 if reading the request failed with an I/O error, else 0. */
    int readErrors();

    /** 1 if writing the response failed with an I/O error, else 0. */
    int writeErrors();
}
