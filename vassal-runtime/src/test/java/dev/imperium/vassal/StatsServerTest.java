package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The stats server on a UNIX socket: the whole document to each client, then the close; {@code stats-http}. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StatsServerTest {
    @TempDir
    Path dir;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger built = new AtomicInteger();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private StatsServer start(boolean http) throws Exception {
        return StatsServer.start("stats.sock", dir, 10, UnixSocketOptions.NONE,
                () -> CompletableFuture.completedFuture("{\"n\":" + built.incrementAndGet() + "}"), timers,
                new StatsServer.Options(http, 1));
    }

    private String exchange(String request) throws Exception {
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(dir.resolve("stats.sock")));
            if (request != null) {
                client.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (client.read(buffer) >= 0) {
                all.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void eachClientGetsAFreshDocumentAndTheClose() throws Exception {
        StatsServer server = start(false);
        try {
            assertThat(exchange(null)).isEqualTo("{\"n\":1}");
            assertThat(exchange(null)).isEqualTo("{\"n\":2}");
        } finally {
            server.close(true);
        }
        assertThat(dir.resolve("stats.sock")).as("vacuum removes the socket file").doesNotExist();
    }

    @Test
    void statsHttpAnswersTheRequestWithUwsgisHead() throws Exception {
        StatsServer server = start(true);
        try {
            assertThat(exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("HTTP/1.0 200 OK\r\n"
                    + "Connection: close\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: application/json\r\n\r\n"
                    + "{\"n\":1}");
            assertThat(exchange(null)).as("a client that sends nothing gets nothing, after socket-timeout").isEmpty();
            assertThat(built).hasValue(1);
        } finally {
            server.close(false);
        }
        assertThat(Files.exists(dir.resolve("stats.sock"))).as("kept without vacuum, as uWSGI").isTrue();
    }
}
