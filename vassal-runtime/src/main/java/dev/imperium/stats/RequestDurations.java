package dev.imperium.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The buckets of the request-duration histogram the emperor report carries ({@code
 * imperium.request_duration_seconds}): Prometheus' default bounds, 5 ms to 10 s. A request falls in the first bucket
 * whose bound it does not exceed ({@code le}, as Prometheus counts), or in the overflow bucket past the last bound.
 */
public final class RequestDurations {
    private static final long[] BOUNDS_MICROS =
            {5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000};
    /** The number of bounds (11); the buckets are these plus one overflow bucket. */
    public static final int BOUNDS = BOUNDS_MICROS.length;

    private RequestDurations() {
    }

    /**
     * Returns the bucket of a request that took {@code micros} microseconds: 0 to {@value #BOUNDS} - 1, or
     * {@link #BOUNDS} (the overflow bucket) past 10 s. A few comparisons, no allocation: the worker calls it per
     * request.
     */
    public static int bucket(long micros) {
        for (int i = 0; i < BOUNDS; i++) {
            if (micros <= BOUNDS_MICROS[i]) {
                return i;
            }
        }
        return BOUNDS;
    }

    /** Returns the bounds in seconds: 0.005, 0.01, 0.025, ... 10. */
    public static List<BigDecimal> boundsSeconds() {
        List<BigDecimal> bounds = new ArrayList<>(BOUNDS);
        for (long micros : BOUNDS_MICROS) {
            bounds.add(seconds(micros));
        }
        return bounds;
    }

    /**
     * Returns the cumulative counts per bound (what Prometheus' {@code _bucket{le=...}} series carry) from per-bucket
     * counts.
     *
     * @param perBucket the count of each bucket, {@link #BOUNDS} + 1 of them (the last is the overflow)
     * @return {@link #BOUNDS} counts: requests that took at most each bound
     */
    public static long[] cumulative(long[] perBucket) {
        long[] cumulative = new long[BOUNDS];
        long running = 0;
        for (int i = 0; i < BOUNDS; i++) {
            running += perBucket[i];
            cumulative[i] = running;
        }
        return cumulative;
    }

    /** Returns microseconds as an exact decimal number of seconds, without trailing zeros: 1500 gives 0.0015. */
    public static BigDecimal seconds(long micros) {
        BigDecimal seconds = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0) : seconds;
    }
}
