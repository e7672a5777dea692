package dev.imperium.http;

/**
 * A parsed request head: request-line and header section (RFC 9112 §3, §5).
 *
 * @param method the method token, case-sensitive (RFC 9110 §9.1)
 * @param target the parsed request-target
 * @param version the HTTP-version
 * @param fields the header fields in order; for an absolute-form target, {@code Host} holds the target's authority
 *     (RFC 9112 §3.2.2)
 */
public record Http1RequestHead(String method, RequestTarget target, HttpVersion version, HttpFields fields) {

    /**
     * Returns true if the client asks to keep the connection open after the response (RFC 9112 §9.3): on HTTP/1.1
     * unless {@code Connection} lists {@code close}; on HTTP/1.0 only if it lists {@code keep-alive} and not
     * {@code close}.
     */
    public boolean persistent() {
        if (FieldTokens.contains(fields, "Connection", "close")) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || FieldTokens.contains(fields, "Connection", "keep-alive");
    }

    /**
     * Returns true if an HTTP/1.1 client sent {@code Expect: 100-continue} and waits for {@code 100 Continue} before it
     * sends the body (RFC 9110 §10.1.1). An HTTP/1.0 expectation is ignored, as that section requires.
     */
    public boolean expectsContinue() {
        return version == HttpVersion.HTTP_1_1 && FieldTokens.contains(fields, "Expect", "100-continue");
    }

    /**
     * Returns true if an HTTP/1.1 request's {@code Expect} holds anything other than {@code 100-continue}; the server
     * answers such a request with 417 (RFC 9110 §10.1.1). Empty list members are ignored.
     */
    public boolean hasUnsupportedExpectation() {
        if (version != HttpVersion.HTTP_1_1 || !fields.contains("Expect")) {
            return false;
        }
        for (String member : FieldTokens.members(fields, "Expect")) {
            if (!member.isEmpty() && !member.equalsIgnoreCase("100-continue")) {
                return true;
            }
        }
        return false;
    }
}
