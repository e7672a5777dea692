package dev.imperium.http;

import java.util.List;

/**
 * How a request's body is delimited (RFC 9112 §6.3).
 *
 * @param kind none, a fixed length, or the chunked coding
 * @param length the body length in bytes for {@link Kind#LENGTH}, else -1
 */
public record BodyFraming(Kind kind, long length) {
    /** The three ways a request body can be framed. */
    public enum Kind {
        /** No body: neither {@code Transfer-Encoding} nor {@code Content-Length} (§6.3 rule 7). */
        NONE,
        /** {@code Content-Length} bytes follow the head (§6.3 rule 6). */
        LENGTH,
        /** The body uses the chunked transfer coding (§7.1). */
        CHUNKED
    }

    /** 18 decimal digits always fit in a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    /** A request without a body. */
    public static final BodyFraming NONE = new BodyFraming(Kind.NONE, -1);
    /** A chunked request body. */
    public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);

    /**
     * Decides the framing of a request body.
     *
     * <p>Rules, in order:
     * <ol>
     *   <li>{@code Transfer-Encoding} in an HTTP/1.0 request: 400 (§6.1: the framing is faulty).</li>
     *   <li>{@code Transfer-Encoding} and {@code Content-Length} together: 400 (§6.3 rule 3; we reject rather than
     *       guess, against request smuggling).</li>
     *   <li>{@code Transfer-Encoding} whose final coding is not {@code chunked}, that applies {@code chunked} twice,
     *       has an empty member, or gives {@code chunked} parameters: 400 (§6.3 rule 4, §6.1, §7).</li>
     *   <li>{@code Transfer-Encoding} with a coding other than {@code chunked} before it (e.g. {@code gzip, chunked}):
     *       501, as we decode no other transfer coding (§6.1, RFC 9110 §15.6.2).</li>
     *   <li>{@code Content-Length}: every member of every line must be 1*DIGIT and all must be equal (RFC 9110 §8.6),
     *       else 400. Leading zeros are ignored when comparing. A length above {@code maxBodySize}, or one of more
     *       than 18 digits, gets 413.</li>
     * </ol>
     *
     * @param head the request head
     * @param maxBodySize the largest accepted body in bytes (uWSGI's {@code limit-post}); 0 for no limit
     * @return the framing
     * @throws HttpProtocolException 400, 413 or 501 as above; the connection must be closed after the response
     */
    public static BodyFraming forRequest(Http1RequestHead head, long maxBodySize) throws HttpProtocolException {
        HttpFields fields = head.fields();
        boolean hasLength = fields.contains("Content-Length");
        if (fields.contains("Transfer-Encoding")) {
            if (head.version() == HttpVersion.HTTP_1_0) {
                throw new HttpProtocolException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (hasLength) {
                throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length");
            }
            checkCodings(FieldTokens.members(fields, "Transfer-Encoding"));
            return CHUNKED;
        }
        if (hasLength) {
            long length = contentLength(FieldTokens.members(fields, "Content-Length"));
            if (maxBodySize > 0 && length > maxBodySize) {
                throw new HttpProtocolException(413, "request body larger than the limit");
            }
            return new BodyFraming(Kind.LENGTH, length);
        }
        return NONE;
    }

    private static void checkCodings(List<String> codings) throws HttpProtocolException {
        int chunked = 0;
        boolean other = false;
        for (int i = 0; i < codings.size(); i++) {
            String coding = codings.get(i);
            if (coding.isEmpty()) {
                throw new HttpProtocolException(400, "empty transfer coding");
            }
            int semicolon = coding.indexOf(';');
            String name = (semicolon < 0 ? coding : coding.substring(0, semicolon)).strip();
            if (!FieldTokens.isToken(name)) {
                throw new HttpProtocolException(400, "invalid transfer coding");
            }
            if (name.equalsIgnoreCase("chunked")) {
                if (semicolon >= 0) {
                    throw new HttpProtocolException(400, "parameters on chunked");
                }
                if (i != codings.size() - 1) {
                    throw new HttpProtocolException(400, "chunked is not the final transfer coding");
                }
                chunked++;
            } else {
                other = true;
            }
        }
        if (chunked == 0) {
            throw new HttpProtocolException(400, "chunked is not the final transfer coding");
        }
        if (other) {
            throw new HttpProtocolException(501, "transfer coding not implemented");
        }
    }

    private static long contentLength(List<String> members) throws HttpProtocolException {
        String canonical = null;
        for (String member : members) {
            if (member.isEmpty()) {
                throw new HttpProtocolException(400, "invalid Content-Length");
            }
            for (int i = 0; i < member.length(); i++) {
                char c = member.charAt(i);
                if (c < '0' || c > '9') {
                    throw new HttpProtocolException(400, "invalid Content-Length");
                }
            }
            String digits = stripLeadingZeros(member);
            if (canonical == null) {
                canonical = digits;
            } else if (!canonical.equals(digits)) {
                throw new HttpProtocolException(400, "differing Content-Length values");
            }
        }
        if (canonical.length() > MAX_LENGTH_DIGITS) {
            throw new HttpProtocolException(413, "Content-Length too large");
        }
        return Long.parseLong(canonical);
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }


    /** Returns the value for {@code RequestHead.contentLength}: the length, or -1 when none or chunked. */
    public long contentLengthOrMinusOne() {
        return kind == Kind.LENGTH ? length : -1;
    }
}
