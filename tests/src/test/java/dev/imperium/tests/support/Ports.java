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
