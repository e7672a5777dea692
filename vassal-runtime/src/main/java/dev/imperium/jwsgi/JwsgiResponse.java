package dev.imperium.jwsgi;

import dev.imperium.http.HttpFields;
import dev.imperium.server.ResponseBody;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
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
 *   <li>body, in uWSGI's order: {@code String} (UTF-8), {@code String[]}, {@code byte[]}, anything with
 *       {@code iterator()} (items {@code String}, {@code byte[]}, or anything else by {@code toString()}),
 *       {@code java.io.File} (must be a readable regular file; sent with zero-copy), {@code InputStream} (read in
 *       8 KiB chunks and closed).</li>
 * </ul>
 *
 * <p>The length is known up front for {@code String}, {@code String[]}, {@code byte[]} and {@code File} bodies,
 * and then sent as {@code Content-Length} so the connection can be kept alive; uWSGI's {@code http-socket} sends no
 * {@code Content-Length} unless the app set one, and closes the connection. Iterator and stream bodies without an
 * app-set {@code Content-Length} are sent chunked on HTTP/1.1. Not thread-safe; one per request.
 */
final class JwsgiResponse implements AutoCloseable {
    private static final int CHUNK = 8192;

    private final int status;
    private final HttpFields fields;
    private final Body body;
    private final long contentLength;

    private sealed interface Body {
    }

    private record Known(List<byte[]> parts) implements Body {
    }

    private record Items(Iterator<?> iterator) implements Body {
    }

    private record FileBody(FileChannel channel) implements Body {
    }

    private record Stream(InputStream in) implements Body {
    }

    private JwsgiResponse(int status, HttpFields fields, Body body, long contentLength) {
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
        try {
            if (parts.length != 3) {
                throw new InvalidResponseException("invalid JWSGI response object: " + parts.length
                        + " items, expected 3 (status, headers, body)");
            }
            int status = status(parts[0]);
            HttpFields fields = new HttpFields();
            long declared = headers(parts[1], fields);
            Body body = body(parts[2]);
            long known = knownLength(body);
            if (declared >= 0 && known >= 0 && declared != known) {
                closeQuietly(body);
                throw new InvalidResponseException("invalid JWSGI response: Content-Length " + declared
                        + " does not match the body's " + known + " bytes");
            }
            return new JwsgiResponse(status, fields, body, known >= 0 ? known : declared);
        } catch (InvalidResponseException | InvocationTargetException | RuntimeException e) {
            if (parts.length == 3 && parts[2] instanceof InputStream in) {
                closeQuietly(new Stream(in));
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

    private static Body body(Object value) throws InvalidResponseException, InvocationTargetException {
        if (value instanceof String s) {
            return new Known(List.of(s.getBytes(StandardCharsets.UTF_8)));
        }
        if (value instanceof String[] strings) {
            List<byte[]> parts = new ArrayList<>(strings.length);
            for (String s : strings) {
                if (s == null) {
                    throw new InvalidResponseException("invalid JWSGI response: a String[] body holds null");
                }
                parts.add(s.getBytes(StandardCharsets.UTF_8));
            }
            return new Known(parts);
        }
        if (value instanceof byte[] bytes) {
            return new Known(List.of(bytes));
        }
        Iterator<?> iterator = value == null ? null : Reflect.iterator(value);
        if (iterator != null) {
            return new Items(iterator);
        }
        if (value instanceof File file) {
            return fileBody(file);
        }
        if (value instanceof InputStream in) {
            return new Stream(in);
        }
        throw new InvalidResponseException("unsupported JWSGI response body type " + typeName(value)
                + " (use String, String[], byte[], an Iterable, java.io.File or an InputStream)");
    }

    private static Body fileBody(File file) throws InvalidResponseException {
        if (!Files.isRegularFile(file.toPath())) {
            throw new InvalidResponseException("invalid JWSGI response: body file " + file
                    + " is not a regular file");
        }
        try {
            return new FileBody(FileChannel.open(file.toPath(), StandardOpenOption.READ));
        } catch (IOException | SecurityException e) {
            throw new InvalidResponseException("invalid JWSGI response: body file " + file + " cannot be read: " + e);
        }
    }

    private static long knownLength(Body body) throws InvalidResponseException {
        return switch (body) {
            case Known(List<byte[]> parts) -> parts.stream().mapToLong(p -> p.length).sum();
            case FileBody(FileChannel channel) -> {
                try {
                    yield channel.size();
                } catch (IOException e) {
                    closeQuietly(body);
                    throw new InvalidResponseException("invalid JWSGI response: body file size unknown: " + e);
                }
            }
            case Items i -> -1;
            case Stream s -> -1;
        };
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
     * Writes the body. With {@code skip} (a HEAD request) nothing is produced, but a stream body is still closed.
     *
     * @throws IOException if the client went away
     * @throws AppBodyException if the app's iterator, {@code toString()} or stream failed, or it produced more or
     *     fewer bytes than its Content-Length
     */
    void writeBody(ResponseBody out, boolean skip) throws IOException, AppBodyException {
        if (skip) {
            return;
        }
        Sink sink = new Sink(out, contentLength);
        switch (body) {
            case Known(List<byte[]> parts) -> {
                for (byte[] part : parts) {
                    sink.write(part, part.length);
                }
            }
            case FileBody(FileChannel channel) -> {
                out.transferFrom(channel, 0, contentLength);
                return;
            }
            case Items(Iterator<?> iterator) -> writeItems(iterator, sink);
            case Stream(InputStream in) -> writeStream(in, sink);
        }
        sink.finish();
    }

    private static void writeItems(Iterator<?> iterator, Sink sink) throws IOException, AppBodyException {
        while (true) {
            byte[] chunk;
            try {
                if (!iterator.hasNext()) {
                    return;
                }
                Object item = iterator.next();
                chunk = switch (item) {
                    case null -> throw new AppBodyException("JWSGI body iterator returned null", null);
                    case String s -> s.getBytes(StandardCharsets.UTF_8);
                    case byte[] bytes -> bytes;
                    default -> String.valueOf(item).getBytes(StandardCharsets.UTF_8);
                };
            } catch (RuntimeException e) {
                throw new AppBodyException("JWSGI body iterator failed", e);
            }
            sink.write(chunk, chunk.length);
        }
    }

    private static void writeStream(InputStream in, Sink sink) throws IOException, AppBodyException {
        byte[] buffer = new byte[CHUNK];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                throw new AppBodyException("JWSGI body InputStream failed", e);
            }
            if (n < 0) {
                return;
            }
            sink.write(buffer, n);
        }
    }

    /** Closes the body's file or stream, if any. */
    @Override
    public void close() {
        closeQuietly(body);
    }

    private static void closeQuietly(Body body) {
        try {
            switch (body) {
                case FileBody(FileChannel channel) -> channel.close();
                case Stream(InputStream in) -> in.close();
                default -> {
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing left to do with it
        }
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** Writes body bytes, holding the app to its Content-Length when it declared one for an unknown-length body. */
    private static final class Sink {
        private final ResponseBody out;
        private final long limit;
        private long written;

        Sink(ResponseBody out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        void write(byte[] bytes, int length) throws IOException, AppBodyException {
            if (limit >= 0 && written + length > limit) {
                throw new AppBodyException("JWSGI body is longer than its Content-Length " + limit, null);
            }
            out.write(bytes, 0, length);
            written += length;
        }

        void finish() throws AppBodyException {
            if (limit >= 0 && written < limit) {
                throw new AppBodyException("JWSGI body ended after " + written + " of its Content-Length " + limit
                        + " bytes", null);
            }
        }
    }
}
