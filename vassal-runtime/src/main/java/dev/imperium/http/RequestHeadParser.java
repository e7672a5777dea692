package dev.imperium.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses a request head (request-line and header section, RFC 9112 §2-§5) from bytes that may arrive in any split.
 *
 * <p>Feed bytes with {@link #parse} until it returns true, then take {@link #head()}; call {@link #reset()} before the
 * next request. The parser stops right after the head's final empty line, so the body and pipelined requests stay in
 * the buffer. Pure: no I/O. Not thread-safe: one parser per connection.
 *
 * <p>Rules and policies:
 * <ul>
 *   <li>Line terminator: CRLF; a bare LF is accepted as a terminator (RFC 9112 §2.2 allows it, as nginx does); a CR
 *       anywhere else is a bare CR and rejected with 400.</li>
 *   <li>Empty lines before the request-line are ignored (§2.2); they count toward the size limit.</li>
 *   <li>request-line: {@code method SP request-target SP HTTP-version} with exactly one SP between parts (§3);
 *       method is a token; the first byte of a request-line must be a tchar, so binary garbage (TLS, uwsgi packets)
 *       is refused at once. HTTP-version must be {@code HTTP/d.d}: {@code HTTP/1.0}, or
 *       {@code HTTP/1.1}, or a higher {@code HTTP/1.x}, which is served as HTTP/1.1 (RFC 9110 §2.5); another major
 *       version gets 505 (RFC 9110 §15.6.6).</li>
 *   <li>Field lines: see {@link FieldLines}; a line starting with SP or HTAB (obs-fold, or whitespace before the
 *       first field) is rejected with 400 (§5.2, §2.2).</li>
 *   <li>{@code Host} (§3.2, RFC 9110 §7.2): HTTP/1.1 without it, more than one {@code Host} line, or an invalid
 *       value: 400. With an absolute-form target, {@code Host} is replaced by the target's authority (§3.2.2).</li>
 *   <li>Limits: the whole head, including terminators and leading empty lines, must fit in {@code maxHeadSize}
 *       bytes, else 431; a request-line longer than {@code maxRequestLineLength} bytes (terminator included) gets
 *       414 first.</li>
 * </ul>
 * The outcome does not depend on how the input is split. Errors are reported as {@link HttpProtocolException} and
 * repeated by later calls until {@link #reset()}.
 */
public final class RequestHeadParser {
    private enum State { REQUEST_LINE, FIELDS, DONE, FAILED }

    private final int maxHeadSize;
    private final int maxRequestLineLength;
    private final LineReader lines = new LineReader();

    private State state = State.REQUEST_LINE;
    private int headSize;
    private boolean started;
    private String method;
    private RequestTarget target;
    private HttpVersion version;
    private HttpFields fields;
    private Http1RequestHead head;
    private HttpProtocolException failure;

    /**
     * Creates a parser.
     *
     * @param maxHeadSize the largest head in bytes (uWSGI's {@code buffer-size}, 4096 by default)
     * @param maxRequestLineLength the largest request-line in bytes, CRLF included; capped by {@code maxHeadSize}
     */
    public RequestHeadParser(int maxHeadSize, int maxRequestLineLength) {
        if (maxHeadSize < 16 || maxRequestLineLength < 16) {
            throw new IllegalArgumentException("limits must be at least 16 bytes");
        }
        this.maxHeadSize = maxHeadSize;
        this.maxRequestLineLength = Math.min(maxRequestLineLength, maxHeadSize);
    }

    /**
     * Takes bytes of the head from {@code src}.
     *
     * @param src a heap buffer; its position advances over the bytes taken, and stops right after the head
     * @return true when the head is complete; false when every byte was taken and more are needed
     * @throws HttpProtocolException 400, 414, 431 or 505 if the head is invalid or too large
     */
    public boolean parse(ByteBuffer src) throws HttpProtocolException {
        if (state == State.DONE) {
            return true;
        }
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            return parseLines(src);
        } catch (HttpProtocolException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }
    }

    private boolean parseLines(ByteBuffer src) throws HttpProtocolException {
        while (true) {
            if (src.hasRemaining()) {
                started = true;
                if (state == State.REQUEST_LINE && lines.pending() == 0) {
                    int first = src.get(src.position());
                    if (first != '\r' && first != '\n' && !Http1Chars.isTchar(first)) {
                        throw new HttpProtocolException(400, "invalid method");
                    }
                }
            }
            int budget = maxHeadSize - headSize;
            boolean requestLine = state == State.REQUEST_LINE;
            int max = requestLine ? Math.min(budget, maxRequestLineLength) : budget;
            int result = lines.next(src, max);
            if (result == LineReader.NEED_MORE) {
                return false;
            }
            if (result == LineReader.TOO_LONG) {
                if (requestLine && maxRequestLineLength <= budget) {
                    throw new HttpProtocolException(414, "request-line too long");
                }
                throw new HttpProtocolException(431, "request head too large");
            }
            headSize += lines.size();
            byte[] bytes = lines.bytes();
            int from = lines.start();
            int to = lines.end();
            if (requestLine) {
                if (from < to) {
                    requestLine(bytes, from, to);
                    fields = new HttpFields(16);
                    state = State.FIELDS;
                }
            } else if (from == to) {
                finish();
                return true;
            } else if (Http1Chars.isWhitespace(bytes[from])) {
                throw new HttpProtocolException(400, fields.size() == 0
                        ? "whitespace before the first field line" : "obs-fold in field line");
            } else {
                FieldLines.parse(bytes, from, to, fields);
            }
        }
    }

    private void requestLine(byte[] bytes, int from, int to) throws HttpProtocolException {
        int sp1 = Http1Chars.indexOf(bytes, from, to, ' ');
        int methodEnd = sp1 < 0 ? to : sp1;
        for (int i = from; i < methodEnd; i++) {
            if (!Http1Chars.isTchar(bytes[i])) {
                throw new HttpProtocolException(400, "invalid method");
            }
        }
        int sp2 = sp1 < 0 ? -1 : Http1Chars.indexOf(bytes, sp1 + 1, to, ' ');
        if (sp2 < 0) {
            throw new HttpProtocolException(400, "malformed request-line");
        }
        version = version(bytes, sp2 + 1, to);
        method = method(bytes, from, sp1);
        target = RequestTarget.parse(method, bytes, sp1 + 1, sp2);
    }

    private static HttpVersion version(byte[] bytes, int from, int to) throws HttpProtocolException {
        if (to - from != 8 || bytes[from] != 'H' || bytes[from + 1] != 'T' || bytes[from + 2] != 'T'
                || bytes[from + 3] != 'P' || bytes[from + 4] != '/' || !isDigit(bytes[from + 5])
                || bytes[from + 6] != '.' || !isDigit(bytes[from + 7])) {
            throw new HttpProtocolException(400, "malformed HTTP-version");
        }
        if (bytes[from + 5] != '1') {
            throw new HttpProtocolException(505, "HTTP-version not supported");
        }
        // RFC 9110 §2.5: a higher minor version of a major version we speak is served as the highest we speak
        return bytes[from + 7] == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT",
        "TRACE"};

    private static String method(byte[] bytes, int from, int to) {
        for (String m : METHODS) {
            if (m.length() == to - from && sameCase(bytes, from, m)) {
                return m;
            }
        }
        return Http1Chars.latin1(bytes, from, to);
    }

    private static boolean sameCase(byte[] bytes, int from, String m) {
        for (int i = 0; i < m.length(); i++) {
            if (bytes[from + i] != m.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void finish() throws HttpProtocolException {
        int hosts = 0;
        int hostIndex = -1;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.name(i).equalsIgnoreCase("Host")) {
                hosts++;
                hostIndex = i;
            }
        }
        if (hosts > 1) {
            throw new HttpProtocolException(400, "more than one Host field");
        }
        if (hosts == 0 && version == HttpVersion.HTTP_1_1) {
            throw new HttpProtocolException(400, "missing Host field");
        }
        if (hosts == 1) {
            byte[] value = fields.value(hostIndex).getBytes(StandardCharsets.ISO_8859_1);
            if (!Authority.isValid(value, 0, value.length, false, true)) {
                throw new HttpProtocolException(400, "invalid Host field");
            }
        }
        if (target.form() == TargetForm.ABSOLUTE) {
            fields.set(hosts == 1 ? fields.name(hostIndex) : "Host", target.authority());
        }
        head = new Http1RequestHead(method, target, version, fields);
        state = State.DONE;
    }

    /** Returns the parsed head; only valid after {@link #parse} returned true. */
    public Http1RequestHead head() {
        if (state != State.DONE) {
            throw new IllegalStateException("head not complete");
        }
        return head;
    }

    /** Returns true once any byte of this request was taken (so an end of input now cuts a request short). */
    public boolean started() {
        return started;
    }

    /**
     * Returns the HTTP-version of the request-line if it was parsed, else HTTP/1.1: the version to answer an error
     * in.
     */
    public HttpVersion versionOrDefault() {
        return version == null ? HttpVersion.HTTP_1_1 : version;
    }

    /** Returns the number of head bytes taken so far. */
    public int headSize() {
        return headSize;
    }

    /** Forgets the current request, ready for the next one. */
    public void reset() {
        state = State.REQUEST_LINE;
        headSize = 0;
        started = false;
        method = null;
        target = null;
        version = null;
        fields = null;
        head = null;
        failure = null;
        lines.reset();
    }
}
