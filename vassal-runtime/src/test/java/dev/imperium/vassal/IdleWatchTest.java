package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleWatchTest {
    private static final long T0 = 1_764_000_000_000L;

    @Test
    void idleOnceNoRequestRanForMoreThanTheGivenSeconds() {
        IdleWatch watch = new IdleWatch(2, T0);
        assertThat(watch.isIdle(T0 + 1_000, false, 0)).isFalse();
        assertThat(watch.isIdle(T0 + 2_000, false, 0)).as("2 s is not more than 2 s").isFalse();
        assertThat(watch.isIdle(T0 + 3_000, false, 0)).isTrue();
        assertThat(watch.inactiveLine(T0 + 3_000)).isEqualTo("workers have been inactive for more than 2 seconds ("
                + (T0 / 1000 + 3) + "-" + T0 / 1000 + ")");
    }

    @Test
    void aRequestThatEndedOrIsInFlightStartsTheCountAgain() {
        IdleWatch watch = new IdleWatch(2, T0);
        assertThat(watch.isIdle(T0 + 2_500, false, T0 + 2_000)).isFalse();
        assertThat(watch.isIdle(T0 + 4_500, false, T0 + 2_000)).isFalse();
        assertThat(watch.isIdle(T0 + 10_000, true, T0 + 2_000)).as("a request in flight").isFalse();
        assertThat(watch.isIdle(T0 + 12_000, false, T0 + 2_000)).as("counted from the busy check").isFalse();
        assertThat(watch.isIdle(T0 + 13_000, false, T0 + 2_000)).isTrue();
        watch.restart(T0 + 20_000);
        assertThat(watch.isIdle(T0 + 21_000, false, T0 + 2_000)).as("woken up: counted from the wake").isFalse();
    }
}
