package dev.imperium.jwsgi;

import dev.imperium.http.HttpFields;
import dev.imperium.server.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JWSGI response checked against the contract before anything is sent: {@code Object[]{status, headers, body}}
 * (https://uwsgi-docs.readthedocs.io/en/latest/JWSGI.html, uWSGI 2.0 {@code plugins/jvm/jvm_plugin.c}).
 *
 * <ul>
 *   <li>status: {@code Integer} or {@code Long}; uWSGI wants 3 digits, and HTTP a final status, so 200..599;</li>
 *   <li>headers: anything with {@code entrySet()} (a {@code Map}); keys {@code String}; values {@code String},
 *       {@code String[]} or anything with {@code iterator()} yielding {@code String}s, one field line each. Names
 *       must be tokens and values free of CR, LF and NUL (RFC 9110 §5.1, §5.5), where uWSGI would send them raw.
 *       {@code Transfer-Encoding} is dropped: framing is the server's. A {@code Content-Length} must be a
 *       non-negative integer (repeats must agree) and match the body when its length is known;</li>
 *   <li>body: see {@link JwsgiBody}.</li>
 * </ul>
 *
 * <p>The length is known up front for {@code String}, {@code String[]}, {@code byte[]} and {@code File} bodies,
 * and then sent as {@code Content-Length} so the connection can be kept alive; uWSGI's {@code http-socket} sends no
 * {@code Content-Length} unless the app set one, and closes the connection. Iterator and stream bodies without an
 * app-set {@code Content-Length} are sent chunked on HTTP/1.1. Not thread-safe; one per request.
 */
final class JwsgiResponse implements AutoCloseable {
    private final int status;
    private final HttpFields fields;
    private final JwsgiBody body;
    private final long contentLength;

    private JwsgiResponse(int status, HttpFields fields, JwsgiBody body, long contentLength) {
        this.status = status;
        this.fields = fields;
        this.body = body;
        this.contentLength = contentLength;
    }

    /**
     * Checks what the app returned.
     *
     * @param result the app's return value
     * @return the response, owning the body's file or stream until {@link #close()}
     * @throws InvalidResponseException naming the broken rule; an {@code InputStream} body is closed first
     * @throws InvocationTargetException if the app's {@code entrySet()} or {@code iterator()} threw
     */
    static JwsgiResponse from(Object result) throws InvalidResponseException, InvocationTargetException {
        if (!(result instanceof Object[] parts)) {
            throw new InvalidResponseException("invalid JWSGI response object: the app returned null");
        }
        JwsgiBody body = null;
        try {
            if (parts.length != 3) {
                throw new InvalidResponseException("invalid JWSGI response object: " + parts.length
                        + " items, expected 3 (status, headers, body)");
            }
            int status = status(parts[0]);
            HttpFields fields = new HttpFields();
            long declared = headers(parts[1], fields);
            body = JwsgiBody.of(parts[2]);
            long known = body.length();
            if (declared >= 0 && known >= 0 && declared != known) {
                throw new InvalidResponseException("invalid JWSGI response: Content-Length " + declared
                        + " does not match the body's " + known + " bytes");
            }
            return new JwsgiResponse(status, fields, body, known >= 0 ? known : declared);
        } catch (InvalidResponseException | InvocationTargetException | RuntimeException e) {
            if (body != null) {
                body.close();
            } else if (parts.length == 3 && parts[2] instanceof InputStream in) {
                new JwsgiBody.Stream(in).close();
            }
            throw e;
        }
    }

    private static int status(Object value) throws InvalidResponseException {
        long code;
        if (value instanceof Integer i) {
            code = i;
        } else if (value instanceof Long l) {
            code = l;
        } else {
            throw new InvalidResponseException("invalid JWSGI response: the status must be an Integer or a Long, got "
                    + typeName(value));
        }
        if (code < 200 || code > 599) {
            throw new InvalidResponseException("invalid JWSGI response: status " + code + " is not 200..599");
        }
        return (int) code;
    }

    /** Adds the header lines to {@code fields}; returns the declared Content-Length, or -1. */
    private static long headers(Object headers, HttpFields fields)
            throws InvalidResponseException, InvocationTargetException {
        Set<?> entries = headers == null ? null : Reflect.entrySet(headers);
        if (entries == null) {
            throw new InvalidResponseException("invalid JWSGI response: the headers must have entrySet() "
                    + "(e.g. a HashMap), got " + typeName(headers));
        }
        long declared = -1;
        for (Object item : entries) {
            if (!(item instanceof Map.Entry<?, ?> entry) || !(entry.getKey() instanceof String name)) {
                throw new InvalidResponseException("invalid JWSGI response: header names must be Strings");
            }
            HeaderRules.checkName(name);
            for (String value : headerValues(name, entry.getValue())) {
                HeaderRules.checkValue(name, value);
                if (name.equalsIgnoreCase("Content-Length")) {
                    declared = HeaderRules.contentLength(value, declared);
                } else if (!name.equalsIgnoreCase("Transfer-Encoding")) {
                    fields.add(name, ByteText.toWire(value));
                }
            }
        }
        return declared;
    }

    private static List<String> headerValues(String name, Object value)
            throws InvalidResponseException, InvocationTargetException {
        if (value instanceof String s) {
            return List.of(s);
        }
        List<String> values = new ArrayList<>(2);
        Iterator<?> iterator = value instanceof String[] array ? Arrays.asList((Object[]) array).iterator()
                : value == null ? null : Reflect.iterator(value);
        if (iterator == null) {
            throw new InvalidResponseException("invalid JWSGI response: header " + name
                    + " must be a String, a String[] or an Iterable of Strings, got " + typeName(value));
        }
        while (iterator.hasNext()) {
            if (!(iterator.next() instanceof String s)) {
                throw new InvalidResponseException("invalid JWSGI response: every value of header " + name
                        + " must be a String");
            }
            values.add(s);
        }
        return values;
    }

    /** Returns the status, 200..599. */
    int status() {
        return status;
    }

    /** Returns the header fields to send (without Content-Length or Transfer-Encoding). */
    HttpFields fields() {
        return fields;
    }

    /** Returns the body length to announce, or -1 when unknown. */
    long contentLength() {
        return contentLength;
    }

    /**
     * Writes the body. With {@code skip} (a HEAD request) nothing is produced; a stream body is still closed by
     * {@link #close()}.
     *
     * @throws IOException if the client went away
     * @throws AppBodyException if the app's iterator, {@code toString()} or stream failed, or it produced more or
     *     fewer bytes than its Content-Length
     */
    void writeBody(ResponseBody out, boolean skip) throws IOException, AppBodyException {
        if (!skip) {
            body.write(out, contentLength);
        }
    }

    /** Closes the body's file or stream, if any. */
    @Override
    public void close() {
        body.close();
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
