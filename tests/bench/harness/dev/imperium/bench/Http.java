package dev.imperium.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A minimal HTTP/1.1 client for readiness checks and probes: one {@code GET} per connection
 * ({@code Connection: close}), reading a body framed by {@code Content-Length}, chunked coding or the close. Also
 * hands out free ports on 127.0.0.1.
 */
final class Http {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Set<Integer> GIVEN = new HashSet<>();

    private Http() {
    }

    /** A response: status code and body. */
    record Response(int status, String body) {
    }

    /** A free TCP port on 127.0.0.1, never the same twice in one run. */
    static synchronized int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
                int port = s.getLocalPort();
                if (GIVEN.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
    }

    /**
     * One GET on a new connection.
     *
     * @param timeoutMillis connect and read timeout
     * @throws IOException if the connection fails or the response is incomplete
     */
    static Response get(int port, String path, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            String statusLine = head.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            String lower = head.toLowerCase(Locale.ROOT);
            byte[] body;
            String length = header(lower, "content-length");
            if (length != null) {
                body = in.readNBytes(Integer.parseInt(length.trim()));
            } else if ("chunked".equals(header(lower, "transfer-encoding"))) {
                body = readChunked(in);
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** True if something accepts connections on the port. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Polls until the port answers 200 on {@code path}.
     *
     * @param spacingMillis pause after a failed attempt
     * @return the nano time the first 200 arrived
     * @throws IllegalStateException after {@code timeoutMillis}
     */
    static long awaitOk(int port, String path, long timeoutMillis, long spacingMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        String last = "nothing";
        while (System.nanoTime() < end) {
            try {
                Response r = get(port, path, 10_000);
                if (r.status() == 200) {
                    return System.nanoTime();
                }
                last = "status " + r.status();
            } catch (IOException e) {
                last = e.toString();
            }
            Procs.sleep(spacingMillis);
        }
        throw new IllegalStateException("no 200 from 127.0.0.1:" + port + path + " within " + timeoutMillis
                + " ms (last: " + last + ")");
    }

    /** Polls until nothing accepts connections on the port; false on timeout. */
    static boolean awaitClosed(int port, long timeoutMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            if (!listening(port)) {
                return true;
            }
            Procs.sleep(10);
        }
        return false;
    }

    private static String header(String lowerHead, String name) {
        for (String line : lowerHead.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head");
            }
            head.write(b);
            last = last << 8 | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed in a chunk");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
