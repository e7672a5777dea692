package dev.imperium.http;

/**
 * A parsed request-target (RFC 9112 §3.2).
 *
 * @param form which of the four forms it has
 * @param raw the target exactly as received (one char per byte)
 * @param path the percent-decoded path (UTF-8): {@code "/"} for an absolute-form without a path, {@code "*"} for the
 *     asterisk-form, {@code ""} for the authority-form
 * @param query the query after {@code ?}, not decoded; {@code ""} when absent
 * @param authority the {@code host[:port]} of an absolute-form or authority-form target; {@code ""} otherwise
 */
public record RequestTarget(TargetForm form, String raw, String path, String query, String authority) {

    /**
     * Parses the request-target in {@code bytes[from, to)}.
     *
     * <p>Any byte from 0x21 to 0x7E and any byte from 0x80 up is accepted (as nginx does); control characters, DEL
     * and {@code #} (a fragment is never sent, RFC 9112 §3.2) are not. The absolute-form must be an {@code http} or
     * {@code https} URI with a non-empty host and no userinfo (RFC 9110 §4.2). {@code *} is only allowed with
     * {@code OPTIONS}; {@code CONNECT} requires the authority-form {@code host:port}.
     *
     * @throws HttpProtocolException 400 if the target is invalid
     */
    static RequestTarget parse(String method, byte[] bytes, int from, int to) throws HttpProtocolException {
        if (from == to) {
            throw new HttpProtocolException(400, "empty request-target");
        }
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (b <= 0x20 || b == 0x7F) {
                throw new HttpProtocolException(400, "invalid character in request-target");
            }
            if (b == '#') {
                throw new HttpProtocolException(400, "fragment in request-target");
            }
        }
        String raw = Http1Chars.latin1(bytes, from, to);
        boolean connect = "CONNECT".equals(method);
        if (bytes[from] == '/' && !connect) {
            return pathAndQuery(TargetForm.ORIGIN, raw, "", bytes, from, to);
        }
        if (to - from == 1 && bytes[from] == '*' && !connect) {
            if (!"OPTIONS".equals(method)) {
                throw new HttpProtocolException(400, "asterisk-form is only for OPTIONS");
            }
            return new RequestTarget(TargetForm.ASTERISK, raw, "*", "", "");
        }
        if (connect) {
            if (!Authority.isValid(bytes, from, to, true, false)) {
                throw new HttpProtocolException(400, "CONNECT needs an authority-form target");
            }
            return new RequestTarget(TargetForm.AUTHORITY, raw, "", "", raw);
        }
        return absolute(raw, bytes, from, to);
    }

    private static RequestTarget absolute(String raw, byte[] bytes, int from, int to) throws HttpProtocolException {
        int colon = Http1Chars.indexOf(bytes, from, to, ':');
        boolean http = colon >= 0 && (Http1Chars.equalsIgnoreCase(bytes, from, colon, "http")
                || Http1Chars.equalsIgnoreCase(bytes, from, colon, "https"));
        if (!http || to - colon < 3 || bytes[colon + 1] != '/' || bytes[colon + 2] != '/') {
            throw new HttpProtocolException(400, "invalid request-target");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < to && bytes[authorityEnd] != '/' && bytes[authorityEnd] != '?') {
            authorityEnd++;
        }
        if (Http1Chars.indexOf(bytes, authorityStart, authorityEnd, '@') >= 0) {
            throw new HttpProtocolException(400, "userinfo in request-target");
        }
        if (!Authority.isValid(bytes, authorityStart, authorityEnd, false, false)) {
            throw new HttpProtocolException(400, "invalid authority in request-target");
        }
        String authority = Http1Chars.latin1(bytes, authorityStart, authorityEnd);
        return pathAndQuery(TargetForm.ABSOLUTE, raw, authority, bytes, authorityEnd, to);
    }

    private static RequestTarget pathAndQuery(TargetForm form, String raw, String authority, byte[] bytes, int from,
            int to) throws HttpProtocolException {
        int question = Http1Chars.indexOf(bytes, from, to, '?');
        int pathEnd = question < 0 ? to : question;
        String path = pathEnd == from ? "/" : PathDecoder.decode(bytes, from, pathEnd);
        String query = question < 0 ? "" : Http1Chars.latin1(bytes, question + 1, to);
        return new RequestTarget(form, raw, path, query, authority);
    }
}
