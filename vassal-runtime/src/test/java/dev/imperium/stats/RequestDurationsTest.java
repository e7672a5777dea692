package dev.imperium.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** The request-duration histogram's buckets, as Prometheus counts them ({@code le}: at most the bound). */
class RequestDurationsTest {
    @Test
    void aRequestFallsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        assertThat(RequestDurations.bucket(0)).isZero();
        assertThat(RequestDurations.bucket(5_000)).as("exactly 5 ms is <= 0.005").isZero();
        assertThat(RequestDurations.bucket(5_001)).isEqualTo(1);
        assertThat(RequestDurations.bucket(999_999)).isEqualTo(7);
        assertThat(RequestDurations.bucket(1_000_000)).isEqualTo(7);
        assertThat(RequestDurations.bucket(10_000_000)).isEqualTo(10);
        assertThat(RequestDurations.bucket(10_000_001)).as("past 10 s: the overflow bucket")
                .isEqualTo(RequestDurations.BOUNDS);
    }

    @Test
    void theBoundsAreTheReportsInSeconds() {
        assertThat(RequestDurations.boundsSeconds()).extracting(BigDecimal::toPlainString)
                .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10");
    }

    @Test
    void countsAreCumulativeAndLeaveTheOverflowOut() {
        long[] perBucket = {3, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 4};
        assertThat(RequestDurations.cumulative(perBucket)).containsExactly(3, 3, 4, 4, 4, 4, 4, 6, 6, 6, 6);
    }

    @Test
    void secondsAreExactDecimals() {
        assertThat(RequestDurations.seconds(1_234_000).toPlainString()).isEqualTo("1.234");
        assertThat(RequestDurations.seconds(1).toPlainString()).isEqualTo("0.000001");
        assertThat(RequestDurations.seconds(0).toPlainString()).isEqualTo("0");
        assertThat(RequestDurations.seconds(20_000_000).toPlainString()).isEqualTo("20");
    }
}
