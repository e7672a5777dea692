package dev.imperium.zerg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SosWatchTest {
    private static SosWatch watch(int sos, int backlog) {
        return new SosWatch(new ZergSettings(sos, backlog, null, List.of(), false));
    }

    @Test
    void offWithoutEitherOption() {
        assertThat(watch(0, 0).enabled()).isFalse();
        assertThat(watch(0, 0).check(10_000, 4, 4, 1000)).isNull();
    }

    @Test
    void allWorkersBusyAsksAtMostOnceEveryNSeconds() {
        SosWatch w = watch(2, 0);
        assertThat(w.check(100_000, 1, 2, 0)).as("one of two busy").isNull();
        assertThat(w.check(101_000, 2, 2, 0)).isEqualTo("asking Emperor for reinforcements (overload: 1)...");
        assertThat(w.check(102_000, 2, 2, 0)).as("1 s later").isNull();
        assertThat(w.check(103_000, 2, 2, 0)).as("2 s later: not more than 2").isNull();
        assertThat(w.check(104_000, 2, 2, 0)).isEqualTo("asking Emperor for reinforcements (overload: 4)...");
    }

    @Test
    void aLongQueueAsksAtEveryCycle() {
        SosWatch w = watch(0, 10);
        assertThat(w.check(1_000, 0, 2, 9)).isNull();
        assertThat(w.check(2_000, 2, 2, 10)).isEqualTo("asking Emperor for reinforcements (backlog: 10)...");
        assertThat(w.check(3_000, 2, 2, 12)).isEqualTo("asking Emperor for reinforcements (backlog: 12)...");
    }
}
