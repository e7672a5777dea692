package dev.imperium.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request-smuggling corpus ({@code vassal-runtime/src/test/resources/smuggling}: one raw {@code NAME.http} per
 * attack and {@code index.tsv} with the expected statuses), a client that sends one case on its own connection and
 * reads until the server closes, and a parser for the several responses a connection may carry.
 */
public final class SmugglingCorpus {
    private SmugglingCorpus() {
    }

    /**
     * One attack.
     *
     * @param name the file name without {@code .http}
     * @param expected the statuses expected in order, after which the server closes (200: served by the app)
     * @param rfc the RFC section the answer follows
     * @param what what is sent
     * @param bodyCheck text the first response's body must contain, or null
     * @param bytes the raw request bytes
     */
    public record Case(String name, List<Integer> expected, String rfc, String what, String bodyCheck, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One response read back. */
    public record Response(int status, String head, byte[] body) {
        /** Returns the body as ISO-8859-1 text. */
        public String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * What one connection gave back.
     *
     * @param responses the complete responses, in order
     * @param raw every byte received
     * @param closed true if the server closed the connection (EOF or reset) before the read timeout
     * @param reset true if the connection was reset
     * @param millis how long from connect to close (or timeout)
     */
    public record Outcome(List<Response> responses, byte[] raw, boolean closed, boolean reset, long millis) {
        /** Returns the statuses, in order. */
        public List<Integer> statuses() {
            return responses.stream().map(Response::status).toList();
        }

        /**
         * Returns the statuses, then how the connection ended, as a table cell: {@code 400 close}, with
         * {@code SMUGGLED} when a smuggled request was answered on this connection.
         */
        public String summary() {
            String statuses = responses.isEmpty() ? (raw.length == 0 ? "-" : "junk")
                    : String.join(",", statuses().stream().map(String::valueOf).toList());
            return statuses + (reset ? " reset" : closed ? " close" : " open") + (smuggled() ? " SMUGGLED" : "");
        }

        /** Returns true if any byte received says SMUGGLED: the app answered a smuggled request. */
        public boolean smuggled() {
            return new String(raw, StandardCharsets.ISO_8859_1).contains("SMUGGLED");
        }
    }

    /** Returns the corpus directory: {@code imperium.smuggling.corpus}, by default next to the parser's tests. */
    public static Path directory() {
        return Path.of(System.getProperty("imperium.smuggling.corpus",
                "../vassal-runtime/src/test/resources/smuggling")).toAbsolutePath().normalize();
    }

    /** Loads every case of the index. */
    public static List<Case> load() {
        try {
            List<Case> cases = new ArrayList<>();
            for (String line : Files.readAllLines(directory().resolve("index.tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] col = line.split("\t");
                List<Integer> expected = java.util.Arrays.stream(col[1].split(",")).map(Integer::valueOf).toList();
                cases.add(new Case(col[0], expected, col[2], col[3], "-".equals(col[4]) ? null : col[4],
                        Files.readAllBytes(directory().resolve(col[0] + ".http"))));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code bytes} on a new connection to 127.0.0.1:{@code port} and reads until the server closes it or
     * {@code timeout} passes without a byte. A write the server cuts short (it answered and closed early) is not an
     * error: what it sent is still read.
     */
    public static Outcome exchange(int port, byte[] bytes, Duration timeout) {
        long start = System.nanoTime();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean closed = false;
        boolean reset = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
            } catch (SocketException e) {
                // the server answered and closed before taking every byte: read what it said
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (SocketException e) {
                closed = true;
                reset = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("exchange with 127.0.0.1:" + port + " failed", e);
        }
        byte[] raw = received.toByteArray();
        return new Outcome(parse(raw), raw, closed, reset, (System.nanoTime() - start) / 1_000_000);
    }

    /** Parses as many complete responses as {@code raw} holds (a close-delimited last body runs to the end). */
    public static List<Response> parse(byte[] raw) {
        List<Response> responses = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length) {
            int end = indexOf(raw, pos, "\r\n\r\n");
            if (end < 0) {
                break;
            }
            String head = new String(raw, pos, end - pos, StandardCharsets.ISO_8859_1);
            String[] status = head.split("\r\n", 2)[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/")) {
                break;
            }
            int code;
            try {
                code = Integer.parseInt(status[1]);
            } catch (NumberFormatException e) {
                break;
            }
            pos = end + 4;
            String length = field(head, "content-length");
            String coding = field(head, "transfer-encoding");
            byte[] body;
            if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    int lineEnd = indexOf(raw, pos, "\r\n");
                    if (lineEnd < 0) {
                        return responses;
                    }
                    String sizeLine = new String(raw, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
                    int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
                    pos = lineEnd + 2;
                    if (size == 0) {
                        int trailerEnd = indexOf(raw, pos - 2, "\r\n\r\n");
                        pos = trailerEnd < 0 ? raw.length : trailerEnd + 4;
                        break;
                    }
                    out.write(raw, pos, Math.min(size, raw.length - pos));
                    pos += size + 2;
                }
                body = out.toByteArray();
            } else if (length != null) {
                int n = Math.min(Integer.parseInt(length.strip()), raw.length - pos);
                body = java.util.Arrays.copyOfRange(raw, pos, pos + n);
                pos += n;
            } else {
                body = java.util.Arrays.copyOfRange(raw, pos, raw.length);
                pos = raw.length;
            }
            responses.add(new Response(code, head, body));
        }
        return responses;
    }

    private static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static int indexOf(byte[] data, int from, String what) {
        byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = Math.max(0, from); i + w.length <= data.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (data[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
