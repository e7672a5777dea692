package dev.imperium.emperor;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before restarting a vassal that failed: capped exponential backoff with jitter.
 *
 * <p>The first failure after a stable run (or after a reset) is retried at once, as uWSGI respawns a dead vassal
 * immediately; failure {@code n >= 2} waits {@code initial * 2^(n-2)}, capped at {@code max}, then scaled by a
 * random factor in {@code [1 - jitter, 1 + jitter]} and capped again. With the defaults (uWSGI's
 * {@code emperor-throttle} 1 s and {@code emperor-max-throttle} 180 s, jitter 0.25) the delays are 0, ~1, ~2, ~4,
 * ~8, ~16, ~32, ~64, ~128, then 135–180 s forever: the emperor never gives up, and a touch of the file resets the
 * count (uWSGI cannot: issue #1148). uWSGI's own blacklist grows linearly by 1 s per failure up to 180 s
 * (uwsgi-features.md §1.8); doubling reaches the cap sooner and the jitter keeps a crowd of failing vassals from
 * retrying in lock-step. See {@link Throttle} for the whole mapping.
 *
 * @param initial the delay before the second retry; positive
 * @param max the longest delay; at least {@code initial}
 * @param jitter the relative jitter, 0 (none) to 1
 */
public record BackoffPolicy(Duration initial, Duration max, double jitter) {
    /** 1 s doubling to 180 s (uWSGI's emperor-throttle and emperor-max-throttle defaults), ±25 % jitter. */
    public static final BackoffPolicy DEFAULT = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(180), 0.25);

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException if {@code initial} is not positive, {@code max < initial}, or the jitter
     *     is outside 0..1
     */
    public BackoffPolicy {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within 0..1: " + jitter);
        }
    }

    /**
     * Returns the delay before the next attempt after {@code failures} consecutive failures.
     *
     * @param failures how many failures in a row, counting the one just seen; at least 1
     * @param random the source of jitter
     * @return zero for the first failure, otherwise a delay within {@code [initial*(1-jitter), max]}
     * @throws IllegalArgumentException if {@code failures < 1}
     */
    public Duration delay(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1: " + failures);
        }
        if (failures == 1) {
            return Duration.ZERO;
        }
        long maxNanos = max.toNanos();
        long base = baseNanos(failures);
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.min(maxNanos, Math.round(base * factor)));
    }

    /**
     * Returns whether the delay after {@code failures} failures has reached {@link #max()} (before jitter).
     *
     * @param failures the failures in a row; below 2 there is no delay, so it is not at the maximum
     */
    public boolean atMax(int failures) {
        return failures >= 2 && baseNanos(failures) >= max.toNanos();
    }

    /** The delay after {@code failures >= 2} failures before jitter: {@code initial * 2^(failures-2)}, capped. */
    private long baseNanos(int failures) {
        long maxNanos = max.toNanos();
        int doublings = Math.min(failures - 2, 62);
        long base = initial.toNanos();
        for (int i = 0; i < doublings && base < maxNanos; i++) {
            base = base > maxNanos / 2 ? maxNanos : base * 2;
        }
        return Math.min(base, maxNanos);
    }
}
