package dev.imperium.app;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP response: status, headers and body. Immutable: {@link #header}, {@link #withStatus} and
 * {@link #contentType} return a new response.
 *
 * <pre>{@code
 * Response.text("Hello\n");                                  // 200, text/plain; charset=utf-8
 * Response.json("{\"ok\":true}").withStatus(201);           // 201, application/json
 * Response.status(204);                                      // no body
 * Response.file(Path.of("report.pdf"));                     // type from the MIME table, zero-copy
 * Response.text("gone\n").withStatus(410).header("Cache-Control", "no-store");
 * }</pre>
 *
 * <p>The server frames the body: it sends {@code Content-Length} when the length is known (text, bytes, files,
 * streams of declared length) and chunked coding otherwise, so {@code Content-Length} and
 * {@code Transfer-Encoding} cannot be set as headers.
 */
public final class Response {
    private static final String TEXT = "text/plain; charset=utf-8";

    private final int status;
    private final List<Header> headers;
    private final Body body;

    /**
     * One header field line.
     *
     * @param name the field name, a token (RFC 9110 §5.1)
     * @param value the field value, without CR, LF or NUL (RFC 9110 §5.5)
     */
    public record Header(String name, String value) {
    }

    /** What a response sends as its content. */
    public sealed interface Body {
        /** No content. */
        record Empty() implements Body {
        }

        /**
         * Content held in memory; the array is not copied again, do not change it.
         *
         * @param bytes the content
         */
        record Bytes(byte[] bytes) implements Body {
        }

        /**
         * The content of a file, sent zero-copy; a missing file is answered 404.
         *
         * @param path the file; relative paths resolve against the worker's working directory
         */
        record OfFile(Path path) implements Body {
        }

        /**
         * Content read from a stream in 8 KiB chunks, then closed.
         *
         * @param in the stream
         * @param length its exact length in bytes, or -1 when unknown (then sent chunked)
         */
        record OfStream(InputStream in, long length) implements Body {
        }
    }

    private Response(int status, List<Header> headers, Body body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Returns an empty response with this status, e.g. {@code Response.status(204)}.
     *
     * @throws IllegalArgumentException if the status is not 200..599
     */
    public static Response status(int status) {
        return new Response(checkStatus(status), List.of(), new Body.Empty());
    }

    /** Returns {@code 200} with the text in UTF-8, as {@code text/plain; charset=utf-8}. */
    public static Response text(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8), TEXT);
    }

    /** Returns {@code 200} with the HTML in UTF-8, as {@code text/html; charset=utf-8}. */
    public static Response html(String html) {
        return bytes(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    /**
     * Returns {@code 200} with the JSON text in UTF-8, as {@code application/json} (RFC 8259 §11: no charset
     * parameter). Build the text with {@link Json}.
     */
    public static Response json(String json) {
        return bytes(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /**
     * Returns {@code 200} with these bytes (copied).
     *
     * @param bytes the content
     * @param contentType the media type, e.g. {@code image/png}
     */
    public static Response bytes(byte[] bytes, String contentType) {
        return new Response(200, List.of(checkedHeader("Content-Type", contentType)), new Body.Bytes(bytes.clone()));
    }

    /**
     * Returns {@code 200} with a file's content, sent zero-copy; its {@code Content-Type} comes from the server's
     * MIME table unless set with {@link #contentType}. If the file is missing when the response is sent, the
     * client gets {@code 404}.
     */
    public static Response file(Path file) {
        return new Response(200, List.of(), new Body.OfFile(Objects.requireNonNull(file, "file")));
    }

    /**
     * Returns {@code 200} with the content of a stream of unknown length (sent chunked); the stream is closed after.
     *
     * @param in the content
     * @param contentType the media type
     */
    public static Response stream(InputStream in, String contentType) {
        return stream(in, -1, contentType);
    }

    /**
     * Returns {@code 200} with the content of a stream; the stream is closed after.
     *
     * @param in the content
     * @param length its exact length in bytes, or -1 when unknown; a stream that ends early or runs longer aborts
     *     the response
     * @param contentType the media type
     */
    public static Response stream(InputStream in, long length, String contentType) {
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (unknown) or >= 0, got " + length);
        }
        return new Response(200, List.of(checkedHeader("Content-Type", contentType)),
                new Body.OfStream(Objects.requireNonNull(in, "in"), length));
    }

    /** Returns {@code 404} with a short text body. */
    public static Response notFound() {
        return text("Not Found\n").withStatus(404);
    }

    /**
     * Returns {@code 302 Found} pointing at {@code location} (RFC 9110 §15.4.3).
     *
     * @param location an absolute or relative URI
     */
    public static Response redirect(String location) {
        return status(302).header("Location", location);
    }

    /**
     * Returns this response with another status.
     *
     * @throws IllegalArgumentException if the status is not 200..599
     */
    public Response withStatus(int status) {
        return new Response(checkStatus(status), headers, body);
    }

    /**
     * Returns this response with one more header line (earlier lines of the same name stay).
     *
     * @throws IllegalArgumentException if the name is not a token, the value holds CR, LF or NUL, or the name is
     *     {@code Content-Length} or {@code Transfer-Encoding} (the server sets those)
     */
    public Response header(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(checkedHeader(name, value));
        return new Response(status, List.copyOf(more), body);
    }

    /** Returns this response with its {@code Content-Type} replaced. */
    public Response contentType(String contentType) {
        List<Header> more = new ArrayList<>(headers);
        more.removeIf(h -> h.name().equalsIgnoreCase("Content-Type"));
        more.add(checkedHeader("Content-Type", contentType));
        return new Response(status, List.copyOf(more), body);
    }

    /** Returns the status, 200..599. */
    public int statusCode() {
        return status;
    }

    /** Returns the header lines, in order. */
    public List<Header> headers() {
        return headers;
    }

    /** Returns the first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** Returns the body. */
    public Body body() {
        return body;
    }

    /** Returns the body as UTF-8 text when it is held in memory (handy in tests); empty otherwise. */
    public Optional<String> bodyText() {
        return switch (body) {
            case Body.Bytes(byte[] bytes) -> Optional.of(new String(bytes, StandardCharsets.UTF_8));
            case Body.Empty() -> Optional.of("");
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + headers + "]";
    }

    private static int checkStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599, got " + status);
        }
        return status;
    }

    private static Header checkedHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !name.chars().allMatch(Response::isTokenChar)) {
            throw new IllegalArgumentException("invalid header name '" + name + "' (RFC 9110 §5.6.2 token)");
        }
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException(name + " is set by the server from the body; for a stream of known "
                    + "length use Response.stream(in, length, type)");
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("the value of header " + name + " holds CR, LF or NUL");
        }
        return new Header(name, value);
    }

    private static boolean isTokenChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
