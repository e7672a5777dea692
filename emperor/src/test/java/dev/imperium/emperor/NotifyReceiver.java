package dev.imperium.emperor;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** A stand-in for systemd's notification socket: a bound UNIX datagram socket (a path or an abstract name). */
final class NotifyReceiver implements AutoCloseable {
    private final AFUNIXDatagramSocket socket;
    private final String address;
    private final List<String> received = new ArrayList<>();

    private NotifyReceiver(AFUNIXDatagramSocket socket, String address) {
        this.socket = socket;
        this.address = address;
    }

    /** Binds a socket file at {@code path}. */
    static NotifyReceiver at(Path path) throws IOException {
        AFUNIXDatagramSocket c = AFUNIXDatagramSocket.newInstance();
        c.bind(AFUNIXSocketAddress.of(path));
        return new NotifyReceiver(c, path.toString());
    }

    /** Binds a fresh name in the abstract namespace. */
    static NotifyReceiver abstractName() throws IOException {
        String name = "imperium-notify-test-" + UUID.randomUUID();
        AFUNIXDatagramSocket c = AFUNIXDatagramSocket.newInstance();
        c.bind(AFUNIXSocketAddress.inAbstractNamespace(name));
        return new NotifyReceiver(c, "@" + name);
    }

    /** Returns the value for NOTIFY_SOCKET. */
    String address() {
        return address;
    }

    /** Returns the next datagram, or null if none came within {@code timeout}. */
    String next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        byte[] buf = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        String message = new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8);
        received.add(message);
        return message;
    }

    /** Reads datagrams until one matches, failing after {@code timeout}; returns it. */
    String await(Predicate<String> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String m = next(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (m != null && wanted.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no matching notification within " + timeout + "; received " + received);
    }

    /** Every datagram read so far, in order. */
    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
