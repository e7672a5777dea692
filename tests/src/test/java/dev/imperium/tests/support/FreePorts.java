package dev.imperium.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds TCP ports that are free on 127.0.0.1 right now (another process may still take one before it is used).
 *
 * <p>Ports come from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), never from it: a
 * test's own client connections (a load loop opens thousands) take their local ports from that range, and one of
 * them could otherwise hold a port the test is about to have a vassal bind at a reload. A port is handed out once
 * per test JVM.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** Returns a port below the ephemeral range that could just be bound on 127.0.0.1, and was released again. */
    public static synchronized int next() {
        int ceiling = ephemeralLow();
        for (int attempt = 0; attempt < 2_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ceiling);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                HANDED_OUT.add(port);
                return port;
            } catch (IOException busy) {
                // taken: try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port on 127.0.0.1 in " + LOWEST + "-" + ceiling));
    }

    /** Returns the first port of the kernel's ephemeral range (32768 when it cannot be read). */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
