package dev.imperium.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Per-core counters, added up over the processes of a slot and over the cores. */
class WorkerCountersTest {
    @Test
    void addingKeepsCoresApartAndGrowsForMoreCores() {
        WorkerCounters oneCore = new WorkerCounters();
        oneCore.add(0, WorkerCounters.REQUESTS, 3);
        oneCore.addExceptions(1);
        WorkerCounters twoCores = new WorkerCounters();
        twoCores.add(1, WorkerCounters.REQUESTS, 5);
        twoCores.add(0, WorkerCounters.TX, 100);

        WorkerCounters slot = new WorkerCounters();
        slot.add(oneCore);
        slot.add(twoCores);

        assertThat(slot.cores()).isEqualTo(2);
        assertThat(slot.get(0, WorkerCounters.REQUESTS)).isEqualTo(3);
        assertThat(slot.get(1, WorkerCounters.REQUESTS)).isEqualTo(5);
        assertThat(slot.get(7, WorkerCounters.REQUESTS)).as("a core never seen").isZero();
        assertThat(slot.total(WorkerCounters.REQUESTS)).isEqualTo(8);
        assertThat(slot.total(WorkerCounters.TX)).isEqualTo(100);
        assertThat(slot.exceptions()).isEqualTo(1);
        assertThat(slot.totals(WorkerCounters.REQUESTS, 2)).containsExactly(8, 0);
    }

    @Test
    void theLayoutHasRoomForEveryDurationBucket() {
        assertThat(WorkerCounters.FIELDS).isEqualTo(WorkerCounters.DURATION_BUCKET_0 + RequestDurations.BOUNDS + 1);
    }
}
