package dev.imperium.vassal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the master sends its heartbeat: at once, then every N seconds of its one-second ticks; never with N = 0. */
class HeartbeatTest {
    private static final long S = 1_000_000_000L;

    @Test
    void offByDefault() {
        Heartbeat h = new Heartbeat();
        assertThat(h.due(0, 0)).isFalse();
        assertThat(h.due(5 * S, 0)).isFalse();
    }

    @Test
    void firstTickThenEveryPeriod() {
        Heartbeat h = new Heartbeat();
        assertThat(h.due(0, 3)).isTrue();
        assertThat(h.due(S, 3)).isFalse();
        assertThat(h.due(2 * S, 3)).isFalse();
        assertThat(h.due(3 * S - 1000, 3)).as("a tick a little early counts").isTrue();
        assertThat(h.due(4 * S, 3)).isFalse();
    }

    @Test
    void aOneSecondHeartbeatGoesOutAtEveryTick() {
        Heartbeat h = new Heartbeat();
        long now = 0;
        for (int i = 0; i < 10; i++) {
            assertThat(h.due(now, 1)).isTrue();
            now += S - 3_000_000; // ticks of a fixed-rate timer may come a few ms early
        }
    }

    @Test
    void turningItOnByAReloadSendsAtOnce() {
        Heartbeat h = new Heartbeat();
        assertThat(h.due(0, 0)).isFalse();
        assertThat(h.due(S, 10)).isTrue();
        assertThat(h.due(2 * S, 0)).isFalse();
        assertThat(h.due(3 * S, 10)).isTrue();
    }
}
