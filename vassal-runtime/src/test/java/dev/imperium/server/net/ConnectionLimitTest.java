package dev.imperium.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {
    @Test
    void theGateClosesAtTheMaximumAndOpensWhenOneCloses() throws Exception {
        List<Integer> reached = new ArrayList<>();
        ConnectionLimit limit = new ConnectionLimit(2, reached::add);
        assertThat(limit.awaitCapacity(Duration.ZERO)).isTrue();
        limit.opened();
        assertThat(limit.awaitCapacity(Duration.ZERO)).isTrue();
        limit.opened();
        assertThat(reached).containsExactly(2);
        assertThat(limit.awaitCapacity(Duration.ofMillis(20))).isFalse();
        limit.closed();
        assertThat(limit.open()).isEqualTo(1);
        assertThat(limit.awaitCapacity(Duration.ZERO)).isTrue();
        limit.opened();
        assertThat(reached).as("told each time it is reached").containsExactly(2, 2);
    }

    @Test
    void aWaiterIsWokenWhenAConnectionCloses() throws Exception {
        ConnectionLimit limit = new ConnectionLimit(1, n -> { });
        limit.opened();
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            limit.closed();
        });
        assertThat(limit.awaitCapacity(Duration.ofSeconds(5))).isTrue();
        closer.join();
    }

    @Test
    void noneNeverCloses() throws Exception {
        for (int i = 0; i < 10; i++) {
            ConnectionLimit.NONE.opened();
        }
        assertThat(ConnectionLimit.NONE.awaitCapacity(Duration.ZERO)).isTrue();
    }

    @Test
    void bodyReadFailuresUseUwsgisWords() {
        assertThat(BodyReadException.of(true, 4096, 100000, 12, new java.io.IOException("closed")).getMessage())
                .isEqualTo("[uwsgi-body-read] Timeout reading 4096 bytes. Content-Length: 100000 consumed: 12"
                        + " left: 99988");
        BodyReadException gone = BodyReadException.of(false, 10, 20, 5, new java.io.IOException("reset"));
        assertThat(gone.getMessage()).isEqualTo(
                "[uwsgi-body-read] Error reading 10 bytes. Content-Length: 20 consumed: 5 left: 15 message: reset");
        assertThat(gone.timedOut()).isFalse();
        assertThat(BodyReadException.in(new RuntimeException(new java.io.UncheckedIOException(gone)))).isSameAs(gone);
        assertThat(BodyReadException.in(new RuntimeException("x"))).isNull();
    }
}
