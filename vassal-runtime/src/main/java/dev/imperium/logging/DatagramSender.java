package dev.imperium.logging;

import dev.imperium.os.SocketFds;
import dev.imperium.os.UnixDatagram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends datagrams to a UDP address or a UNIX datagram socket ({@link LoggerSpec.Address}), never blocking: a
 * datagram that finds no room, or no receiver, is dropped and counted, as uWSGI's loggers drop them. Thread-safe.
 */
public final class DatagramSender implements AutoCloseable {
    private final DatagramChannel udp;
    private final UnixDatagram unix;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    private DatagramSender(DatagramChannel udp, UnixDatagram unix) {
        this.udp = udp;
        this.unix = unix;
    }

    /**
     * Opens a sender.
     *
     * @param address where datagrams go
     * @return the sender
     * @throws IOException if the socket cannot be created, the host is unknown, or the UNIX socket does not exist
     */
    public static DatagramSender open(LoggerSpec.Address address) throws IOException {
        if (address.path() != null) {
            if (!java.nio.file.Files.exists(java.nio.file.Path.of(address.path()))) {
                throw new IOException(address.path() + ": no such socket (is a syslog daemon running?)");
            }
            try {
                return new DatagramSender(null, UnixDatagram.open(address.path()));
            } catch (SocketFds.SocketError e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
        if (target.isUnresolved()) {
            throw new IOException("unknown host " + address.host());
        }
        DatagramChannel channel = DatagramChannel.open();
        channel.configureBlocking(false);
        channel.connect(target);
        return new DatagramSender(channel, null);
    }

    /**
     * Sends one datagram.
     *
     * @return true if it was sent, false if it was dropped
     */
    public boolean send(byte[] datagram) {
        boolean sent;
        if (unix != null) {
            sent = unix.send(datagram) == 0;
        } else {
            try {
                sent = udp.write(ByteBuffer.wrap(datagram)) > 0;
            } catch (IOException e) {
                sent = false; // e.g. ICMP port unreachable from an earlier datagram: nobody listens yet
            }
        }
        if (!sent) {
            dropped.incrementAndGet();
        }
        return sent;
    }

    /** Returns how many datagrams were dropped so far. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        if (unix != null) {
            unix.close();
        } else {
            try {
                udp.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
