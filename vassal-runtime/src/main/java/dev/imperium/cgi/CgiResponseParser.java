package dev.imperium.cgi;

import dev.imperium.http.FieldTokens;
import dev.imperium.http.HttpFields;

import java.nio.charset.StandardCharsets;

/**
 * Reads the head of a CGI script's output (RFC 3875 §6): header lines ended by LF (a CR before it is dropped), up to
 * an empty line; the body follows. Pure: bytes in, a {@link CgiResponseHead} out.
 *
 * <p>The rules, uWSGI's CGI plugin's where RFC 3875 leaves room: {@code Status: NNN reason} sets the status (the
 * first one counts; any 3-digit code from 200 to 599); without it, a {@code Location} makes a 302, otherwise the
 * status is 200. A response of nothing but a {@code Location} holding a path ({@code /...}) is a local redirect
 * (§6.2.2), which uWSGI 2.0 sends to the client as a 302 instead. Every other field is passed on in order, except
 * {@code Transfer-Encoding} (the server frames the body); {@code Content-Length} is read as the body's length. A line
 * without a colon, a field name that is not a token, a control character in a value, or an invalid
 * {@code Status}/{@code Content-Length} make the response invalid (uWSGI: {@code invalid CGI response !!!}).
 */
public final class CgiResponseParser {
    private CgiResponseParser() {
    }

    /**
     * Finds the end of the head: the empty line.
     *
     * @param buf the script's output so far
     * @param length how many bytes of {@code buf} are filled
     * @return the index of the first body byte (after the empty line), or -1 if the head is not complete yet
     */
    public static int headEnd(byte[] buf, int length) {
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            if (buf[i] == '\n') {
                int lineLength = i - lineStart;
                if (lineLength == 0 || (lineLength == 1 && buf[lineStart] == '\r')) {
                    return i + 1;
                }
                lineStart = i + 1;
            }
        }
        return -1;
    }

    /**
     * Parses a complete head.
     *
     * @param buf the script's output
     * @param end the index {@link #headEnd} returned
     * @return the head
     * @throws CgiResponseException if the head is not a valid CGI response head
     */
    public static CgiResponseHead parse(byte[] buf, int end) throws CgiResponseException {
        String text = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        HttpFields fields = new HttpFields(8);
        int status = -1;
        String location = null;
        long contentLength = -1;
        int lineStart = 0;
        while (lineStart < text.length()) {
            int nl = text.indexOf('\n', lineStart);
            String line = text.substring(lineStart, nl);
            lineStart = nl + 1;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new CgiResponseException("header line without a colon: " + quote(line));
            }
            String name = line.substring(0, colon);
            String value = strip(line.substring(colon + 1));
            if (!FieldTokens.isToken(name)) {
                throw new CgiResponseException("invalid header field name: " + quote(name));
            }
            checkValue(name, value);
            if (name.equalsIgnoreCase("Status")) {
                if (status < 0) {
                    status = status(value);
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                continue;
            } else {
                if (name.equalsIgnoreCase("Location") && location == null) {
                    location = value;
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = contentLength(value);
                }
                fields.add(name, value);
            }
        }
        if (status >= 0) {
            return new CgiResponseHead(CgiResponseHead.Kind.DOCUMENT, status, fields, contentLength, location);
        }
        if (location == null) {
            return new CgiResponseHead(CgiResponseHead.Kind.DOCUMENT, 200, fields, contentLength, null);
        }
        boolean localPath = location.startsWith("/") && !location.startsWith("//");
        CgiResponseHead.Kind kind = localPath && fields.size() == 1 ? CgiResponseHead.Kind.LOCAL_REDIRECT
                : CgiResponseHead.Kind.CLIENT_REDIRECT;
        return new CgiResponseHead(kind, 302, fields, contentLength, location);
    }

    /** {@code 404 Not Found} or {@code 404}: the code; the reason phrase is not kept (RFC 9110 §15: informative). */
    private static int status(String value) throws CgiResponseException {
        if (value.length() < 3 || (value.length() > 3 && value.charAt(3) != ' ' && value.charAt(3) != '\t')) {
            throw new CgiResponseException("invalid Status: " + quote(value));
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new CgiResponseException("invalid Status: " + quote(value));
            }
            code = code * 10 + (c - '0');
        }
        if (code < 200 || code > 599) {
            throw new CgiResponseException("Status out of range (200-599): " + quote(value));
        }
        return code;
    }

    private static long contentLength(String value) throws CgiResponseException {
        if (value.isEmpty() || value.length() > 18) {
            throw new CgiResponseException("invalid Content-Length: " + quote(value));
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new CgiResponseException("invalid Content-Length: " + quote(value));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static void checkValue(String name, String value) throws CgiResponseException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new CgiResponseException("control character in the value of " + name);
            }
        }
    }

    /** Removes spaces and tabs at both ends (RFC 9110 §5.5 OWS). */
    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + shown + "'";
    }
}
