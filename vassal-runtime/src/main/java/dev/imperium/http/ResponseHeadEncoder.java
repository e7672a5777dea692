package dev.imperium.http;

import java.util.Arrays;

/**
 * Encodes a response head: status-line (RFC 9112 §4), field lines (§5) and the final CRLF, into a reusable byte
 * array.
 *
 * <p>Use: {@link #statusLine}, any number of {@link #field} calls, then {@link #end()}; read the bytes from
 * {@link #array()} up to {@link #length()}. Field names must be tokens; values may hold HTAB, SP, visible ASCII and
 * characters U+0080..U+00FF (written as one byte each, ISO-8859-1, the WSGI convention). Anything else, notably CR
 * and LF (response splitting), is refused with {@link IllegalArgumentException}. Not thread-safe.
 */
public final class ResponseHeadEncoder {
    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] buf = new byte[512];
    private int length;
    private int fieldCount;

    /**
     * Starts a new head with the status-line, e.g. {@code HTTP/1.1 404 Not Found}, using the standard reason phrase
     * (RFC 9110 §15).
     *
     * @param version the HTTP-version to answer in
     * @param status the status code, 100..999
     * @return this encoder
     */
    public ResponseHeadEncoder statusLine(HttpVersion version, int status) {
        return statusLine(version.text(), status);
    }

    /**
     * Starts a new head with a status-line in the given protocol, e.g. {@code HTTP/2.0 200 OK} when a uwsgi request's
     * {@code SERVER_PROTOCOL} says so (uWSGI answers in the request's protocol, {@code proto/base.c}).
     *
     * @param protocol the protocol text, visible ASCII without spaces
     * @param status the status code, 100..999
     * @return this encoder
     * @throws IllegalArgumentException if the protocol holds another character, or the status is out of range
     */
    public ResponseHeadEncoder statusLine(String protocol, int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have 3 digits: " + status);
        }
        for (int i = 0; i < protocol.length(); i++) {
            char c = protocol.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException("invalid character in the protocol of a status-line");
            }
        }
        length = 0;
        fieldCount = 0;
        ascii(protocol);
        ensure(5);
        buf[length++] = ' ';
        buf[length++] = (byte) ('0' + status / 100);
        buf[length++] = (byte) ('0' + status / 10 % 10);
        buf[length++] = (byte) ('0' + status % 10);
        buf[length++] = ' ';
        ascii(HttpStatus.reasonPhrase(status));
        append(CRLF);
        return this;
    }

    /**
     * Appends a field line {@code name: value}.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds a forbidden character
     */
    public ResponseHeadEncoder field(String name, String value) {
        checkName(name);
        int start = length;
        ascii(name);
        ensure(2);
        buf[length++] = ':';
        buf[length++] = ' ';
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                length = start;
                throw new IllegalArgumentException("invalid character in the value of field " + name);
            }
            ensure(1);
            buf[length++] = (byte) c;
        }
        append(CRLF);
        fieldCount++;
        return this;
    }

    /** Appends a field line whose value is a non-negative decimal number, e.g. {@code Content-Length: 42}. */
    public ResponseHeadEncoder field(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value for field " + name);
        }
        return field(name, Long.toString(value));
    }

    /** Ends the head with the empty line. */
    public ResponseHeadEncoder end() {
        append(CRLF);
        return this;
    }

    /** Returns the array holding the encoded bytes; valid up to {@link #length()} until the next call. */
    public byte[] array() {
        return buf;
    }

    /** Returns the number of encoded bytes. */
    public int length() {
        return length;
    }

    /** Returns the number of field lines encoded since {@link #statusLine}. */
    public int fieldCount() {
        return fieldCount;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !Http1Chars.isTchar(c)) {
                throw new IllegalArgumentException("field name is not a token: " + name);
            }
        }
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[length++] = (byte) s.charAt(i);
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(length + more, buf.length * 2));
        }
    }
}
