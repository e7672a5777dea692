package dev.imperium.emperor.foreign;

import dev.imperium.control.Frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a uWSGI vassal's stats server ({@code stats = ADDR}; uwsgi-docs "The uWSGI Stats Server"): connect, read the
 * JSON document until the server closes. With {@code stats-http} the document comes after an HTTP head, which is
 * skipped. Addresses: {@code HOST:PORT}, {@code :PORT} (read on 127.0.0.1), or a UNIX socket path (relative to the
 * vassal directory); an abstract {@code @name} cannot be reached from the JDK and is never read.
 */
final class UwsgiStats {
    private static final int TIMEOUT_MILLIS = 1000;

    private final String address;
    private final Path baseDir;

    /**
     * @param address the vassal's {@code stats} value
     * @param baseDir the vassal directory, for a relative UNIX path
     */
    UwsgiStats(String address, Path baseDir) {
        this.address = address.trim();
        this.baseDir = baseDir;
    }

    /** Returns the document, or null when it cannot be read (not up yet, too big for a report, or unreachable). */
    String read() {
        try {
            byte[] raw = isUnix(address) ? readUnix(baseDir.resolve(address)) : readTcp();
            String json = body(new String(raw, StandardCharsets.UTF_8));
            return json.isBlank() || json.getBytes(StandardCharsets.UTF_8).length > Frame.MAX_PAYLOAD ? null : json;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Returns whether a stats address is a UNIX socket path (no port after a colon). */
    static boolean isUnix(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 || !address.substring(colon + 1).chars().allMatch(Character::isDigit)
                || colon == address.length() - 1;
    }

    /** Strips an HTTP head ({@code stats-http}) from a stats answer. */
    static String body(String answer) {
        if (answer.startsWith("HTTP/")) {
            int end = answer.indexOf("\r\n\r\n");
            return end < 0 ? "" : answer.substring(end + 4);
        }
        return answer;
    }

    private byte[] readTcp() throws IOException {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("*")) {
            host = "127.0.0.1";
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            return readAll(in);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            if (out.size() > Frame.MAX_PAYLOAD + 4096) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static byte[] readUnix(Path path) throws IOException {
        if (path.toString().startsWith("@")) {
            throw new IOException("abstract sockets cannot be read");
        }
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (out.size() <= Frame.MAX_PAYLOAD + 4096) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("stats server too slow");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                out.write(buffer.array(), 0, n);
            }
            return out.toByteArray();
        }
    }
}
