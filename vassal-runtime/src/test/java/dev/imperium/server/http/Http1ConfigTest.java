package dev.imperium.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class Http1ConfigTest {

    @Test
    void defaultsFollowUwsgi() {
        Http1Config d = Http1Config.defaults();
        assertThat(d.maxHeadSize()).isEqualTo(4096);
        assertThat(d.maxBodySize()).isZero();
        assertThat(d.readTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(d.shutdownGrace()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fromUwsgiMapsTheOptions() {
        Http1Config c = Http1Config.fromUwsgi(8192, 1000, Duration.ofSeconds(10));
        assertThat(c.maxHeadSize()).isEqualTo(8192);
        assertThat(c.maxRequestLineLength()).isEqualTo(8192);
        assertThat(c.maxTrailerSize()).isEqualTo(8192);
        assertThat(c.maxBodySize()).isEqualTo(1000);
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.writeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void withersChangeOneThing() {
        Http1Config c = Http1Config.defaults().withMaxBodySize(5).withDrainLimit(7)
                .withShutdownGrace(Duration.ofMillis(300)).withLingerTimeout(Duration.ofMillis(400));
        assertThat(c.maxBodySize()).isEqualTo(5);
        assertThat(c.drainLimit()).isEqualTo(7);
        assertThat(c.shortestTimeout()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Http1Config.defaults().withMaxHeadSize(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Config.defaults().withMaxBodySize(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Config.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Config.defaults().withShutdownGrace(null))
                .isInstanceOf(NullPointerException.class);
    }
}
