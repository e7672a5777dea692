package dev.imperium.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Listener lifecycle: graceful shutdown, brutal close, UNIX sockets. */
@Timeout(30)
class Http1ListenerTest {
    private final TestHandler handler = new TestHandler();

    private static Http1Config withGrace(Duration grace) {
        return Http1Config.defaults().withShutdownGrace(grace);
    }

    @Test
    void gracefulStopFinishesInFlightAndAnswersIdleKeepAliveWithClose() throws Exception {
        try (TestServer server = TestServer.tcp(handler, withGrace(Duration.ofSeconds(5)));
                RawClient idle = server.client();
                RawClient busy = server.client()) {
            assertThat(idle.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().field("Connection")).isNull();
            busy.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(handler.blockEntered.await(5, TimeUnit.SECONDS)).isTrue();

            server.listener.stopAccepting();

            assertThatThrownBy(server::client).as("no new connections").isInstanceOf(ConnectException.class);
            RawClient.Response next = idle.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(next.text()).isEqualTo("hello");
            assertThat(next.field("Connection")).isEqualTo("close");
            assertThat(idle.closedByServer()).isTrue();

            handler.blockRelease.countDown();
            RawClient.Response inFlight = busy.read();
            assertThat(inFlight.text()).isEqualTo("released");
            assertThat(inFlight.field("Connection")).isEqualTo("close");
            assertThat(busy.closedByServer()).isTrue();
            idle.close();
            busy.close();
            assertThat(server.listener.awaitTermination(Duration.ofSeconds(5))).isTrue();
            assertThat(server.listener.openConnections()).isZero();
        }
    }

    @Test
    void idleConnectionsCloseAfterTheGrace() throws Exception {
        try (TestServer server = TestServer.tcp(handler, withGrace(Duration.ofMillis(200)));
                RawClient kept = server.client();
                RawClient silent = server.client()) {
            kept.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.listener.openConnections() == 2);
            long start = System.nanoTime();
            assertThat(server.listener.shutdown(Duration.ofSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(kept.closedByServer()).isTrue();
            assertThat(silent.closedByServer()).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAlreadyBufferedAreServedDuringShutdown() throws Exception {
        try (TestServer server = TestServer.tcp(handler, withGrace(Duration.ofSeconds(5)));
                RawClient c = server.client()) {
            c.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\nGET /hello HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(handler.blockEntered.await(5, TimeUnit.SECONDS)).isTrue();
            server.listener.stopAccepting();
            handler.blockRelease.countDown();
            RawClient.Response first = c.read();
            assertThat(first.text()).isEqualTo("released");
            assertThat(first.field("Connection")).isNull();
            RawClient.Response second = c.read();
            assertThat(second.text()).isEqualTo("hello");
            assertThat(second.field("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
            c.close();
            assertThat(server.listener.awaitTermination(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void busyKeepAliveClientsLoseNoRequestDuringGracefulStop() throws Exception {
        int clients = 4;
        try (TestServer server = TestServer.tcp(handler, withGrace(Duration.ofSeconds(2)));
                ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                RawClient c = server.client();
                results.add(pool.submit(() -> {
                    try (c) {
                        int served = 0;
                        while (true) {
                            RawClient.Response r = c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read();
                            assertThat(r.text()).isEqualTo("hello");
                            served++;
                            if ("close".equals(r.field("Connection"))) {
                                assertThat(c.closedByServer()).isTrue();
                                return served;
                            }
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.calls.get() > 200);
            server.listener.stopAccepting();
            for (Future<Integer> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(server.listener.awaitTermination(Duration.ofSeconds(5))).isTrue();
            assertThat(server.log.handlerFailures).isEmpty();
        }
    }

    @Test
    void closeAllAbortsInFlightRequests() throws Exception {
        try (TestServer server = TestServer.tcp(handler); RawClient busy = server.client()) {
            busy.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(handler.blockEntered.await(5, TimeUnit.SECONDS)).isTrue();
            server.listener.closeAll();
            assertThat(busy.closedByServer()).isTrue();
            handler.blockRelease.countDown();
            assertThat(server.listener.awaitTermination(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void startTwiceIsRefused() throws Exception {
        try (TestServer server = TestServer.tcp(handler)) {
            assertThatThrownBy(server.listener::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void servesOverAUnixSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("http.sock");
        try (TestServer server = TestServer.unix(path, handler);
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            client.write(ByteBuffer.wrap(("GET /info HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            InputStream in = Channels.newInputStream(client);
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("GET|/info|/info||HTTP/1.1||0|" + path + "|0|http|localhost")
                    .endsWith("\r\n\r\nhello");
            assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(3);
        }
    }

    @Test
    void listenerRequiresABlockingChannel() throws IOException {
        try (var channel = java.nio.channels.ServerSocketChannel.open()) {
            channel.configureBlocking(false);
            assertThatThrownBy(() -> Http1Connection.listener(channel, handler, Http1Config.defaults(), Http1Log.NONE))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
