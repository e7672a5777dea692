package dev.imperium.emperor;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Sends sd_notify(3) datagrams to systemd's notification socket: a UNIX datagram socket at a path
 * ({@code /run/systemd/notify}) or in the abstract namespace ({@code @name}), which the JDK cannot address, so this
 * uses junixsocket. The socket is unbound and not connected; each message names the address again, so a
 * restarted service manager is reached. Sends never block (a full receiver drops the message and {@link #send}
 * says so), because they run on the emperor's event loop. The kernel adds the sender's credentials, by which
 * systemd tells the main process ({@code NotifyAccess=main}) from others.
 */
final class SystemdNotifier implements AutoCloseable {
    private final AFUNIXDatagramChannel channel;
    private final AFUNIXSocketAddress target;
    private final String socket;

    private SystemdNotifier(AFUNIXDatagramChannel channel, AFUNIXSocketAddress target, String socket) {
        this.channel = channel;
        this.target = target;
        this.socket = socket;
    }

    /**
     * Opens a sender.
     *
     * @param socket {@code NOTIFY_SOCKET}: an absolute path, or {@code @name} for an abstract socket
     * @return the sender
     * @throws IOException if the socket cannot be created (e.g. junixsocket's native library does not load)
     */
    static SystemdNotifier open(String socket) throws IOException {
        AFUNIXSocketAddress target = socket.startsWith("@")
                ? AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1))
                : AFUNIXSocketAddress.of(Path.of(socket));
        AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
        try {
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new SystemdNotifier(channel, target, socket);
    }

    /** Returns the address given to {@link #open}. */
    String socket() {
        return socket;
    }

    /**
     * Sends one notification.
     *
     * @param message newline-separated assignments, e.g. {@code READY=1\nSTATUS=...}
     * @throws IOException if it could not be sent: nobody listens there, or the receiver has no room
     */
    void send(String message) throws IOException {
        ByteBuffer datagram = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
        if (channel.send(datagram, target) == 0) {
            throw new IOException("the receiver has no room (message dropped)");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
