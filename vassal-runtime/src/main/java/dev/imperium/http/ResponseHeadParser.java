package dev.imperium.http;

/**
 * Parses a response head (status-line and header section, RFC 9112 §4-§5) that an upstream server sent, as the
 * {@code http} router reads a worker's answer. Pure: no I/O; stateless and thread-safe.
 *
 * <p>The caller keeps the bytes received so far in one array and calls {@link #parse} after each read; it returns
 * null until the head's empty line has arrived. Rules: lines end with CRLF or a bare LF; the status-line is
 * {@code HTTP-version SP 3DIGIT [SP reason-phrase]} where the version is any {@code HTTP/d.d} (uWSGI answers in the
 * request's {@code SERVER_PROTOCOL}) and the reason may be empty or missing; field lines follow {@link FieldLines};
 * obs-fold is refused. Errors are {@link HttpProtocolException} with status 502 (the upstream broke the protocol).
 */
public final class ResponseHeadParser {
    private ResponseHeadParser() {
    }

    /**
     * A parsed response head.
     *
     * @param status the status code, 100..999
     * @param fields the header fields, in order
     * @param length the head's size in bytes, through its empty line: where the body starts
     */
    public record ResponseHead(int status, HttpFields fields, int length) {
    }

    /**
     * Parses the head at the start of {@code bytes[from, to)}.
     *
     * @param bytes the bytes received
     * @param from where the response starts
     * @param to the end of the bytes received
     * @param maxHeadSize the largest head accepted, in bytes
     * @return the head, or null if its end has not arrived yet
     * @throws HttpProtocolException 502 if the head is malformed or larger than {@code maxHeadSize}
     */
    public static ResponseHead parse(byte[] bytes, int from, int to, int maxHeadSize) throws HttpProtocolException {
        int end = headEnd(bytes, from, Math.min(to, from + maxHeadSize));
        if (end < 0) {
            if (to - from >= maxHeadSize) {
                throw bad("response head larger than " + maxHeadSize + " bytes");
            }
            return null;
        }
        int lineEnd = Http1Chars.indexOf(bytes, from, end, '\n');
        int status = statusLine(bytes, from, trimCr(bytes, from, lineEnd));
        HttpFields fields = new HttpFields();
        int pos = lineEnd + 1;
        while (pos < end) {
            int nl = Http1Chars.indexOf(bytes, pos, end, '\n');
            int lineTo = trimCr(bytes, pos, nl);
            if (lineTo == pos) {
                break;
            }
            if (bytes[pos] == ' ' || bytes[pos] == '\t') {
                throw bad("obs-fold in a response field");
            }
            try {
                FieldLines.parse(bytes, pos, lineTo, fields);
            } catch (HttpProtocolException e) {
                throw bad(e.reason());
            }
            pos = nl + 1;
        }
        return new ResponseHead(status, fields, end - from);
    }

    /** Returns the index just after the empty line ending the head, or -1. */
    private static int headEnd(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i + 1 < to && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < to && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private static int trimCr(byte[] bytes, int from, int nl) {
        return nl > from && bytes[nl - 1] == '\r' ? nl - 1 : nl;
    }

    private static int statusLine(byte[] bytes, int from, int to) throws HttpProtocolException {
        // HTTP/d.d SP 3DIGIT [SP reason]
        if (to - from < 12 || bytes[from] != 'H' || bytes[from + 1] != 'T' || bytes[from + 2] != 'T'
                || bytes[from + 3] != 'P' || bytes[from + 4] != '/' || !digit(bytes[from + 5])
                || bytes[from + 6] != '.' || !digit(bytes[from + 7]) || bytes[from + 8] != ' '
                || !digit(bytes[from + 9]) || !digit(bytes[from + 10]) || !digit(bytes[from + 11])
                || to - from > 12 && bytes[from + 12] != ' ') {
            throw bad("malformed status-line");
        }
        int status = (bytes[from + 9] - '0') * 100 + (bytes[from + 10] - '0') * 10 + (bytes[from + 11] - '0');
        if (status < 100) {
            throw bad("status code below 100");
        }
        for (int i = from + 12; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw bad("control character in the reason-phrase");
            }
        }
        return status;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static HttpProtocolException bad(String reason) {
        return new HttpProtocolException(502, reason);
    }
}
