package dev.imperium.http;

/**
 * Parses one field line, {@code field-name ":" OWS field-value OWS} (RFC 9112 §5), into an {@link HttpFields}.
 *
 * <p>Rules: the name is a non-empty token immediately followed by the colon (whitespace before the colon is an error,
 * §5.1); OWS around the value is removed; the value may hold HTAB, SP, visible ASCII and obs-text (0x80-0xFF), and
 * nothing else: NUL, a bare CR, other control characters and DEL are errors (RFC 9110 §5.5). A line that starts with
 * whitespace (obs-fold, §5.2) must be rejected by the caller before it gets here.
 */
final class FieldLines {
    private static final String[] KNOWN = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Connection",
        "Content-Length", "Content-Type", "Transfer-Encoding", "Expect", "Cookie", "Referer", "Origin",
        "Authorization", "Cache-Control", "Pragma", "Range", "If-None-Match", "If-Modified-Since", "Upgrade",
        "Upgrade-Insecure-Requests", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP",
        "X-Requested-With", "TE", "Trailer", "Keep-Alive", "DNT", "Sec-Fetch-Site", "Sec-Fetch-Mode",
        "Sec-Fetch-Dest", "Sec-Fetch-User", "Priority", "host", "user-agent", "accept", "accept-encoding",
        "connection", "content-length", "content-type", "transfer-encoding", "cookie", "x-forwarded-for",
    };

    private FieldLines() {
    }

    /**
     * Parses the field line in {@code bytes[from, to)} (terminator excluded) and appends it to {@code fields}.
     *
     * @throws HttpProtocolException 400 if the line breaks a rule above
     */
    static void parse(byte[] bytes, int from, int to, HttpFields fields) throws HttpProtocolException {
        int colon = -1;
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (b == ':') {
                colon = i;
                break;
            }
            if (!Http1Chars.isTchar(b)) {
                throw new HttpProtocolException(400, Http1Chars.isWhitespace(b)
                        ? "whitespace in field name or before colon" : "invalid character in field name");
            }
        }
        if (colon < 0) {
            throw new HttpProtocolException(400, "field line without colon");
        }
        if (colon == from) {
            throw new HttpProtocolException(400, "empty field name");
        }
        int start = colon + 1;
        int end = to;
        while (start < end && Http1Chars.isWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && Http1Chars.isWhitespace(bytes[end - 1])) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw new HttpProtocolException(400, b == 0 ? "NUL in field value"
                        : b == '\r' ? "bare CR in field value" : "control character in field value");
            }
        }
        fields.add(name(bytes, from, colon), Http1Chars.latin1(bytes, start, end));
    }

    /** Returns the field name, sharing the String of a common name spelled exactly so. */
    private static String name(byte[] bytes, int from, int to) {
        int length = to - from;
        for (String known : KNOWN) {
            if (known.length() == length && sameBytes(known, bytes, from)) {
                return known;
            }
        }
        return Http1Chars.latin1(bytes, from, to);
    }

    private static boolean sameBytes(String s, byte[] bytes, int from) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != bytes[from + i]) {
                return false;
            }
        }
        return true;
    }
}
