package dev.imperium.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A byte-exact HTTP/1.x client for end-to-end tests: sends a request as written, reads the response to the end of
 * the connection (send {@code Connection: close}), and parses it. Nothing is normalised, so tests see framing as the
 * server sent it (status-line version, Content-Length or chunked or close-delimited).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** A parsed response. */
    public record Response(String statusLine, String protocol, int status, List<Map.Entry<String, String>> headers,
            byte[] body, boolean chunked) {

        /** Returns the first value of a header (case-insensitive), or null. */
        public String header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        /** Returns every value of a header, in order. */
        public List<String> headers(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        /** Returns the body (de-chunked) as UTF-8. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code request} (ISO-8859-1 text, CRLF line ends included) to 127.0.0.1:{@code port} and reads the
     * response until the server closes the connection.
     *
     * @param headResponse true for a HEAD request: whatever follows the header block is kept in {@code body} as is
     */
    public static Response send(int port, String request, boolean headResponse, Duration timeout) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), headResponse, timeout);
    }

    /** Like {@link #send(int, String, boolean, Duration)}, with the request as bytes. */
    public static Response send(int port, byte[] request, boolean headResponse, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()), headResponse);
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP exchange with 127.0.0.1:" + port + " failed", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /** Parses a whole response as received. */
    public static Response parse(byte[] raw, boolean headResponse) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete response head in " + raw.length + " bytes: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String statusLine = lines[0];
        String[] parts = statusLine.split(" ", 3);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        boolean chunked = headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Transfer-Encoding")
                && h.getValue().toLowerCase(Locale.ROOT).contains("chunked"));
        byte[] body = chunked && !headResponse ? dechunk(rest) : rest;
        return new Response(statusLine, parts[0], Integer.parseInt(parts[1]), List.copyOf(headers), body, chunked);
    }

    private static byte[] dechunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOfCrlf(data, pos);
            String sizeLine = new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(data, pos, size);
            pos += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("truncated chunked body");
    }
}
