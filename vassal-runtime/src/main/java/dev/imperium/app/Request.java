package dev.imperium.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One HTTP request as an app sees it: method, path, query, headers, body and the client's address.
 *
 * <p>The body is a stream that can be read once: use {@link #body()}, or {@link #bodyBytes()} / {@link #bodyText()}
 * which read it whole and remember it (after those, {@link #body()} replays the remembered bytes). The server limits
 * how large a body may be ({@code limit-post}).
 *
 * <p>Not thread-safe: a request belongs to the thread serving it. Build one for a test with {@link #builder}.
 */
public final class Request {
    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final String protocol;
    private final Map<String, List<String>> headers;
    private final String remoteAddress;
    private final int remotePort;
    private InputStream body;
    private byte[] bodyBytes;
    private Map<String, List<String>> queryParams;

    private Request(Builder b) {
        this.method = b.method;
        this.target = b.target;
        int question = b.target.indexOf('?');
        this.query = question < 0 ? "" : b.target.substring(question + 1);
        this.path = b.path != null ? b.path
                : UrlDecoding.decode(question < 0 ? b.target : b.target.substring(0, question), false);
        this.protocol = b.protocol;
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.remoteAddress = b.remoteAddress;
        this.remotePort = b.remotePort;
        this.body = b.body;
    }

    /**
     * Starts building a request, e.g. to test an app without a server.
     *
     * @param method the method, e.g. {@code GET}
     * @param target the request-target as sent, e.g. {@code /api/hello?name=X}
     */
    public static Builder builder(String method, String target) {
        return new Builder(method, target);
    }

    /** Returns the method, e.g. {@code GET} (case-sensitive, RFC 9110 §9.1). */
    public String method() {
        return method;
    }

    /** Returns the request-target exactly as received, e.g. {@code /a%20b?x=1}. */
    public String target() {
        return target;
    }

    /** Returns the path, percent-decoded as UTF-8, without the query, e.g. {@code /a b}. */
    public String path() {
        return path;
    }

    /** Returns the query without the {@code ?}, not decoded; {@code ""} when there is none. */
    public String query() {
        return query;
    }

    /**
     * Returns the query parameters, decoded as {@code application/x-www-form-urlencoded} ({@code +} is a space,
     * {@code %XX} are UTF-8 bytes), each name with all its values in order. Unmodifiable.
     */
    public Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            Map<String, List<String>> parsed = UrlDecoding.parseForm(query);
            parsed.replaceAll((name, values) -> List.copyOf(values));
            queryParams = Collections.unmodifiableMap(parsed);
        }
        return queryParams;
    }

    /** Returns the first value of a query parameter, decoded; empty if absent. */
    public Optional<String> queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Returns the protocol, e.g. {@code HTTP/1.1}. */
    public String protocol() {
        return protocol;
    }

    /** Returns the first value of a header, by case-insensitive name; empty if absent. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Returns every value of a header, in order; empty if absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** Returns all headers: names compare case-insensitively, each with its values in order. Unmodifiable. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Returns the {@code Content-Type} header, if any. */
    public Optional<String> contentType() {
        return header("Content-Type");
    }

    /** Returns the {@code Content-Length} header as a number; empty when absent, invalid, or the body is chunked. */
    public OptionalLong contentLength() {
        try {
            return header("Content-Length").map(v -> OptionalLong.of(Long.parseLong(v.strip())))
                    .orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Returns the client's IP address, e.g. {@code 127.0.0.1} ({@code ""} on a UNIX socket). */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Returns the client's port (0 on a UNIX socket). */
    public int remotePort() {
        return remotePort;
    }

    /** Returns the body as a stream that ends where the body ends. Read it once. */
    public InputStream body() {
        return bodyBytes != null ? new ByteArrayInputStream(bodyBytes) : body;
    }

    /**
     * Reads the whole body (once; later calls return the same bytes).
     *
     * @return the body, empty when there is none
     * @throws UncheckedIOException if the client went away while sending it
     */
    public byte[] bodyBytes() {
        if (bodyBytes == null) {
            try {
                bodyBytes = body.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the request body", e);
            }
        }
        return bodyBytes.clone();
    }

    /**
     * Reads the whole body as text, in the {@code charset} of its {@code Content-Type}, or UTF-8 when that names
     * none or one the JDK does not know. Malformed bytes become U+FFFD.
     *
     * @throws UncheckedIOException if the client went away while sending it
     */
    public String bodyText() {
        bodyBytes();
        return new String(bodyBytes, charset());
    }

    private Charset charset() {
        String type = contentType().orElse("");
        for (String parameter : type.split(";")) {
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("charset")) {
                String name = parameter.substring(eq + 1).strip().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return method + " " + target;
    }

    /** Builds a {@link Request}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String target;
        private String path;
        private String protocol = "HTTP/1.1";
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private String remoteAddress = "127.0.0.1";
        private int remotePort;
        private InputStream body = InputStream.nullInputStream();

        private Builder(String method, String target) {
            this.method = Objects.requireNonNull(method, "method");
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Sets the decoded path; by default it is decoded from the target. */
        public Builder path(String decodedPath) {
            this.path = Objects.requireNonNull(decodedPath, "decodedPath");
            return this;
        }

        /** Sets the protocol; {@code HTTP/1.1} by default. */
        public Builder protocol(String protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** Adds a header value, keeping earlier values of the same name. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets the client's address; {@code 127.0.0.1} and port 0 by default. */
        public Builder remote(String address, int port) {
            this.remoteAddress = Objects.requireNonNull(address, "address");
            this.remotePort = port;
            return this;
        }

        /** Sets the body stream; empty by default. */
        public Builder body(InputStream body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** Sets the body to these bytes. */
        public Builder body(byte[] body) {
            return body(new ByteArrayInputStream(body.clone()));
        }

        /** Sets the body to this text in UTF-8. */
        public Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Returns the request. */
        public Request build() {
            return new Request(this);
        }
    }
}
