package dev.imperium.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Passing listening sockets with SCM_RIGHTS and adopting them as JDK channels, as a worker does. */
@Timeout(30)
class SocketAdoptionTest {
    @TempDir
    Path dir;

    @Test
    void receivedTcpAndUnixSocketsAcceptAsJdkChannels() throws Exception {
        int tcp = SocketFds.listenTcp(InetAddress.getByName("127.0.0.1"), 0, 16);
        int port = SocketFds.localPort(tcp);
        Path path = dir.resolve("app.sock");
        int unix = SocketFds.listenUnix(path.toString(), 16);
        int[] pair = FdPassing.socketPair();
        try {
            FdPassing.send(pair[0], new int[] {tcp, unix});
            Posix.close(tcp);
            Posix.close(unix);
            int[] received = FdPassing.receive(pair[1], 4);
            assertThat(received).hasSize(2);

            try (ServerSocketChannel tcpChannel = SocketAdoption.adopt(received[0]);
                    ServerSocketChannel unixChannel = SocketAdoption.adopt(received[1])) {
                assertThat(roundTrip(tcpChannel, SocketChannel.open(new InetSocketAddress("127.0.0.1", port))))
                        .isEqualTo("hello");
                assertThat(roundTrip(unixChannel, SocketChannel.open(UnixDomainSocketAddress.of(path))))
                        .isEqualTo("hello");

                // a selector works on the adopted channel, as the worker's shared accept loop uses it
                tcpChannel.configureBlocking(false);
                try (Selector selector = Selector.open();
                        SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                    tcpChannel.register(selector, SelectionKey.OP_ACCEPT);
                    assertThat(selector.select(5000)).isEqualTo(1);
                    try (SocketChannel accepted = tcpChannel.accept()) {
                        assertThat(accepted).isNotNull();
                        assertThat(((InetSocketAddress) accepted.getLocalAddress()).getPort()).isEqualTo(port);
                    }
                }
            }
            // the adopted socket was the only copy left: closing the channel closed it
            assertThatThrownBy(() -> SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
                    .isInstanceOf(IOException.class);
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @Test
    void ipv6SocketIsAdopted() throws Exception {
        int tcp6;
        try {
            tcp6 = SocketFds.listenTcp(InetAddress.getByName("::1"), 0, 16);
        } catch (SocketFds.SocketError e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        int port = SocketFds.localPort(tcp6);
        try (ServerSocketChannel channel = SocketAdoption.adopt(tcp6)) {
            assertThat(roundTrip(channel, SocketChannel.open(new InetSocketAddress("::1", port)))).isEqualTo("hello");
        }
    }

    @Test
    void aFileIsNotAdopted() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        int fd = Posix.openReadOnly(file.toString());
        try {
            assertThatThrownBy(() -> SocketAdoption.adopt(fd)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not a socket");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void receiveReportsAClosedPeer() throws Exception {
        int[] pair = FdPassing.socketPair();
        Posix.close(pair[0]);
        try {
            assertThat(FdPassing.receive(pair[1], 2)).isEmpty();
        } finally {
            Posix.close(pair[1]);
        }
    }

    @Test
    void unixPlaceholderLeavesNoFileBehind() throws Exception {
        Path path = dir.resolve("u.sock");
        int unix = SocketFds.listenUnix(path.toString(), 4);
        long before = countTempSockets();
        try (ServerSocketChannel channel = SocketAdoption.adopt(unix)) {
            assertThat(channel.isOpen()).isTrue();
        }
        assertThat(countTempSockets()).isLessThanOrEqualTo(before);
    }

    private static long countTempSockets() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("socket")).count();
        }
    }

    private static String roundTrip(ServerSocketChannel server, SocketChannel client) throws IOException {
        try (client; SocketChannel accepted = server.accept()) {
            accepted.write(ByteBuffer.wrap("hello".getBytes()));
            accepted.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(16);
            while (client.read(in) >= 0) {
                // until the end of the stream
            }
            return new String(in.array(), 0, in.position());
        }
    }
}
