package dev.imperium.scgi;

import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;

/**
 * Reads the head of an SCGI request (SCGI specification, Neil Schemenauer, 2008, section 3 "Request Format"): a
 * netstring {@code <length>:<headers>,} whose headers are {@code name NUL value NUL} pairs, the first being
 * {@code CONTENT_LENGTH}. Incremental: {@link #parse} is called again with more bytes until the whole netstring is
 * there. Names and values are decoded as ISO-8859-1, one char per byte, like
 * {@link dev.imperium.uwsgi.UwsgiVarsParser}. Stateless and thread-safe.
 *
 * <p>uWSGI 2.0 ({@code proto/scgi.c} {@code scgi_parse}) checks little: it takes everything before the first
 * {@code ':'} as the length without looking at the bytes (non-digits give a nonsense length), refuses only a length
 * of 0, a missing {@code ','}, and a netstring that does not fit in {@code buffer-size}; it drops trailing bytes
 * without a NUL and a last name without a value, mis-parses an empty name, and looks neither for {@code SCGI} nor at
 * the order of the headers; {@code CONTENT_LENGTH} is read later up to its first non-digit. This parser is strict
 * where the spec says must, because a lax reading there can make a request mean something else:
 * <ul>
 *   <li>the length is 1 or more ASCII digits, without a leading zero (a netstring rule), then {@code ':'}; the
 *       netstring ends with {@code ','};
 *   <li>the headers are an even number of NUL-terminated fields (so they end with NUL); a name is never empty
 *       ({@code name ::= notnull+}), a value may be ({@code value ::= notnull*});
 *   <li>the first header is {@code CONTENT_LENGTH} with 1 to 18 ASCII digits, and no other header has that name;
 *   <li>a header {@code SCGI} with the value {@code 1} is present, once.
 * </ul>
 * It is lenient where uWSGI is and no harm follows: other repeated names are accepted (the spec forbids them, but
 * nginx before 1.23.0 passes a client's repeated header as a repeated {@code HTTP_} name, nginx ticket
 * #1724; as in the uwsgi vars, the
 * last one counts), and any byte but NUL may appear in a name or value.
 *
 * <p>Limits, as in uWSGI: the whole netstring, length digits, {@code ':'} and {@code ','} included, must fit in
 * {@code bufferSize} bytes (uWSGI reads it into one buffer of {@code buffer-size} bytes, {@code invalid SCGI request
 * size}), so a buffer of {@code bufferSize} bytes always suffices; this is known, and refused, from the length digits
 * alone. More than {@code maxVars} headers are refused ({@code max-vars}). uWSGI also counts the headers re-encoded as
 * uwsgi vars (2 more bytes each) against {@code buffer-size}; this parser does not.
 */
public final class ScgiRequestParser {
    /** The most digits accepted in {@code CONTENT_LENGTH}: 18, so that any value fits in a {@code long}. */
    public static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    private static final String SCGI = "SCGI";

    private ScgiRequestParser() {
    }

    /**
     * Reads a request head from the bytes between {@code in}'s position and its limit. If the netstring is whole,
     * returns the request and moves the position past its {@code ','} (to the body's first byte); if more bytes are
     * needed, returns null and leaves the position. Bytes that already break a rule are refused without waiting for
     * the rest: a bad first byte, a leading zero, a length over the limit.
     *
     * @param in the bytes received so far, starting at the request's first byte
     * @param maxVars the most headers accepted (uWSGI's {@code max-vars}, default
     *     {@link dev.imperium.uwsgi.UwsgiVarsParser#DEFAULT_MAX_VARS})
     * @param bufferSize the largest netstring accepted, in bytes, everything included (uWSGI's {@code buffer-size},
     *     default 4096)
     * @return the request, or null if the netstring is not whole yet
     * @throws ScgiProtocolException if the bytes break a rule above (the position is left where it was)
     */
    public static ScgiRequest parse(ByteBuffer in, int maxVars, int bufferSize) throws ScgiProtocolException {
        int start = in.position();
        int end = in.limit();
        int i = start;
        long length = 0;
        for (;; i++) {
            if (i == end) {
                return null;
            }
            int b = in.get(i);
            if (b == ':' && i > start) {
                break;
            }
            if (b < '0' || b > '9') {
                throw new ScgiProtocolException(i == start ? "SCGI request does not start with a netstring length"
                        : "SCGI netstring length not followed by ':'");
            }
            if (i > start && length == 0) {
                throw new ScgiProtocolException("SCGI netstring length with a leading zero");
            }
            length = length * 10 + (b - '0');
            if (length + (i - start + 1) + 2 > bufferSize) { // even with no more digits, it would not fit
                throw tooLarge(length + (i - start + 1) + 2, bufferSize);
            }
        }
        int headers = i + 1;
        int total = (int) length + (headers - start) + 1;
        if (length == 0) {
            throw new ScgiProtocolException("SCGI request without headers (CONTENT_LENGTH must come first)");
        }
        if (end - start < total) {
            return null;
        }
        int headersEnd = headers + (int) length;
        if (in.get(headersEnd) != ',') {
            throw new ScgiProtocolException("SCGI netstring not ended by ','");
        }
        ScgiRequest request = headers(in, headers, headersEnd, maxVars);
        in.position(start + total);
        return request;
    }

    private static ScgiRequest headers(ByteBuffer in, int start, int end, int maxVars) throws ScgiProtocolException {
        if (in.get(end - 1) != 0) {
            throw new ScgiProtocolException("SCGI headers do not end with a NUL byte");
        }
        int capacity = Math.max(1, Math.min(maxVars, (end - start) / 3)); // a header takes 3 bytes at least
        String[] names = new String[capacity];
        String[] values = new String[capacity];
        int count = 0;
        long contentLength = -1;
        boolean scgi = false;
        int p = start;
        while (p < end) {
            int nameEnd = nul(in, p, end); // found: the last byte is NUL
            if (nameEnd == p) {
                throw new ScgiProtocolException("SCGI header with an empty name (at byte " + (p - start) + ")");
            }
            if (nameEnd == end - 1) {
                throw new ScgiProtocolException("SCGI header without a value: an odd number of fields");
            }
            int valueEnd = nul(in, nameEnd + 1, end);
            if (count == maxVars) {
                throw new ScgiProtocolException("too many SCGI headers (max-vars " + maxVars + ")");
            }
            if (count == names.length) {
                int grown = Math.min(maxVars, names.length * 2);
                names = java.util.Arrays.copyOf(names, grown);
                values = java.util.Arrays.copyOf(values, grown);
            }
            String name = text(in, p, nameEnd - p);
            String value = text(in, nameEnd + 1, valueEnd - nameEnd - 1);
            if (count == 0) {
                if (!name.equals(CONTENT_LENGTH)) {
                    throw new ScgiProtocolException("SCGI request whose first header is not CONTENT_LENGTH");
                }
                contentLength = contentLength(value);
            } else if (name.equals(CONTENT_LENGTH)) {
                throw new ScgiProtocolException("SCGI request with more than one CONTENT_LENGTH");
            } else if (name.equals(SCGI)) {
                if (scgi) {
                    throw new ScgiProtocolException("SCGI request with more than one SCGI header");
                }
                if (!value.equals("1")) {
                    throw new ScgiProtocolException("SCGI header SCGI is not 1");
                }
                scgi = true;
            }
            names[count] = name;
            values[count] = value;
            count++;
            p = valueEnd + 1;
        }
        if (!scgi) {
            throw new ScgiProtocolException("SCGI request without the header SCGI: 1");
        }
        return new ScgiRequest(UwsgiVars.of(names, values, count), contentLength);
    }

    private static long contentLength(String value) throws ScgiProtocolException {
        int n = value.length();
        if (n == 0 || n > MAX_CONTENT_LENGTH_DIGITS) {
            throw new ScgiProtocolException("SCGI CONTENT_LENGTH is not 1 to 18 digits");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new ScgiProtocolException("SCGI CONTENT_LENGTH is not a decimal number");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static ScgiProtocolException tooLarge(long size, int bufferSize) {
        return new ScgiProtocolException("invalid SCGI request size: " + size + " (max " + bufferSize + ")...skip");
    }

    /** Returns the index of the first NUL in {@code [from, end)}; the caller knows there is one. */
    private static int nul(ByteBuffer in, int from, int end) {
        int i = from;
        while (i < end && in.get(i) != 0) {
            i++;
        }
        return i;
    }

    private static String text(ByteBuffer b, int at, int length) {
        return UwsgiVars.text(b, at, length);
    }
}
