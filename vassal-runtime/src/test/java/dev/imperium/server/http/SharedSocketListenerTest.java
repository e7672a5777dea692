package dev.imperium.server.http;

import dev.imperium.server.net.Listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imperium.server.AcceptGate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A socket shared by several listeners, as the workers of one vassal share their master's socket: stopping one
 * listener leaves the socket open and the others serving.
 */
@Timeout(30)
class SharedSocketListenerTest {
    private final TestHandler handler = new TestHandler();

    @Test
    void stoppingOneListenerLeavesTheSharedSocketServedByTheOther() throws Exception {
        try (ServerSocketChannel socket = ServerSocketChannel.open()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            Listener first = Listener.forSharedSocket(socket, AcceptGate.OPEN,
                    Http1Connection.factory(handler, Http1Config.defaults(), Http1Log.NONE),
                    Http1Connection.timing(Http1Config.defaults()), e -> { });
            Listener second = Listener.forSharedSocket(socket, AcceptGate.OPEN,
                    Http1Connection.factory(handler, Http1Config.defaults(), Http1Log.NONE),
                    Http1Connection.timing(Http1Config.defaults()), e -> { });
            first.start();
            second.start();
            try (RawClient busy = RawClient.connect(port)) {
                busy.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(handler.blockEntered.await(5, TimeUnit.SECONDS)).isTrue();
                Listener owner = first.openConnections() == 1 ? first : second;
                Listener other = owner == first ? second : first;

                owner.stopAccepting();

                assertThat(socket.isOpen()).as("the shared socket stays open").isTrue();
                for (int i = 0; i < 5; i++) {
                    try (RawClient fresh = RawClient.connect(port)) {
                        assertThat(fresh.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().text())
                                .isEqualTo("hello");
                    }
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> other.openConnections() == 0);
                handler.blockRelease.countDown();
                RawClient.Response inFlight = busy.read();
                assertThat(inFlight.text()).isEqualTo("released");
                assertThat(inFlight.field("Connection")).isEqualTo("close");
                assertThat(owner.awaitTermination(Duration.ofSeconds(5))).isTrue();
            } finally {
                first.closeAll();
                second.closeAll();
            }
            assertThat(socket.isOpen()).as("closeAll closes it").isFalse();
        }
    }
}
