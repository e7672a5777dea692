package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class DatagramSenderTest {
    @TempDir
    Path dir;

    @Test
    void sendsEachLineAsAFramedUdpDatagram() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(5000);
            LoggerSpec.Datagram spec = (LoggerSpec.Datagram) LoggerSpec.parse("rsyslog:127.0.0.1:"
                    + listener.getLocalPort() + ",web1 app", false, "vm");
            try (DatagramTarget target = new DatagramTarget(DatagramSender.open(spec.address()), spec.framing())) {
                byte[] lines = "first\nsecond\n".getBytes(StandardCharsets.UTF_8);
                target.write(42, lines, 0, lines.length);
            }
            assertThat(receive(listener)).matches("<29>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d web1 app: first");
            assertThat(receive(listener)).endsWith(" web1 app: second");
        }
    }

    @Test
    void sendsToAUnixDatagramSocketLikeDevLog() throws Exception {
        Path socket = dir.resolve("log.sock");
        try (AFUNIXDatagramSocket listener = AFUNIXDatagramSocket.newInstance()) {
            listener.bind(AFUNIXSocketAddress.of(socket.toFile()));
            listener.setSoTimeout(5000);
            try (DatagramSender sender = DatagramSender.open(new LoggerSpec.Address(null, 0, socket.toString()))) {
                assertThat(sender.send("<30>Nov  5 07:03:09 uwsgi: hello".getBytes(StandardCharsets.UTF_8))).isTrue();
                assertThat(sender.dropped()).isZero();
            }
            byte[] buf = new byte[1024];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            listener.receive(packet);
            assertThat(new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("<30>Nov  5 07:03:09 uwsgi: hello");
        }
    }

    @Test
    void aMissingSocketIsReportedAtOpen() {
        assertThatThrownBy(() -> DatagramSender.open(new LoggerSpec.Address(null, 0, dir.resolve("none").toString())))
                .hasMessageContaining("no such socket");
    }

    private static String receive(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        socket.receive(packet);
        return new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8);
    }
}
