package dev.imperium.emperor.foreign;

import dev.imperium.vassal.SocketProtocol;
import dev.imperium.vassal.SocketSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A crashed command vassal's sockets stay open for its next start, and close when it is gone. */
class HeldSocketsTest {
    @TempDir
    Path dir;

    private static int port(HeldSockets.Taken taken) {
        String address = taken.sockets().getFirst().address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theNextStartTakesTheKeptSocketsAndConnectionsWaitMeanwhile() throws Exception {
        HeldSockets held = new HeldSockets();
        List<SocketSpec> specs = List.of(SocketSpec.parse("127.0.0.1:0", SocketProtocol.HTTP));
        HeldSockets.Taken first = held.take("api.ini", specs, 10, dir);
        assertThat(first.kept()).isFalse();
        int port = port(first);

        held.keep("api.ini", specs, 10, dir, first.sockets()); // the program crashed
        assertThat(accepts(port)).isTrue(); // queued, not refused
        HeldSockets.Taken again = held.take("api.ini", specs, 10, dir);
        assertThat(again.kept()).isTrue();
        assertThat(again.sockets()).isEqualTo(first.sockets());
        again.sockets().forEach(dev.imperium.vassal.ListenSocket::close);
    }

    @Test
    void otherSocketsOrAVassalGoneCloseTheKeptOnes() throws Exception {
        HeldSockets held = new HeldSockets();
        List<SocketSpec> specs = List.of(SocketSpec.parse("127.0.0.1:0", SocketProtocol.HTTP));
        HeldSockets.Taken first = held.take("api.ini", specs, 10, dir);
        int port = port(first);
        held.keep("api.ini", specs, 10, dir, first.sockets());
        held.release("api.ini");
        assertThat(held.size()).isZero();
        assertThat(accepts(port)).isFalse();

        HeldSockets.Taken second = held.take("api.ini", specs, 10, dir);
        held.keep("api.ini", specs, 10, dir, second.sockets());
        HeldSockets.Taken other = held.take("api.ini", List.of(SocketSpec.parse("127.0.0.1:0",
                SocketProtocol.UWSGI)), 10, dir);
        assertThat(other.kept()).isFalse();
        assertThat(accepts(port(second))).isFalse();
        other.sockets().forEach(dev.imperium.vassal.ListenSocket::close);
    }

    @Test
    void aSocketThatCannotBeBoundLeavesNoneOpen() {
        HeldSockets held = new HeldSockets();
        assertThatThrownBy(() -> held.take("api.ini", List.of(SocketSpec.parse("127.0.0.1:0", SocketProtocol.HTTP),
                SocketSpec.parse("/no/such/dir/api.sock", SocketProtocol.HTTP)), 10, dir))
                .isInstanceOf(java.io.IOException.class);
    }
}
