package dev.imperium.tests.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Waits for servers to listen. */
public final class Ports {
    private Ports() {
    }

    /** Returns true if something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Connects to 127.0.0.1:{@code port}, sends nothing and reads until the server closes: what a uWSGI stats server
     * sends, read as uwsgitop reads it.
     *
     * @param timeout the longest wait for the connection and for each read
     * @return the bytes as UTF-8 text
     * @throws java.io.UncheckedIOException if the connection or a read fails
     */
    public static String readAll(int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading 127.0.0.1:" + port, e);
        }
    }

    /**
     * Waits until 127.0.0.1:{@code port} accepts connections; fails early, with the log's tail, if the process
     * exits.
     */
    public static void awaitListening(ManagedProcess process, int port, Duration timeout) {
        await(process.name() + " listens on 127.0.0.1:" + port).atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .failFast(process.name() + " exited early; log:\n" + process.logTail(40), () -> !process.isAlive())
                .until(() -> isListening(port));
    }
}
