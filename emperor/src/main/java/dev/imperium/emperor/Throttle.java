package dev.imperium.emperor;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long a failed vassal waits before its respawn: uWSGI's blacklist ({@code emperor-throttle},
 * {@code emperor-max-throttle}, {@code emperor-no-blacklist}; uwsgi-features.md §1.8) mapped onto
 * {@link BackoffPolicy}.
 *
 * <p>The mapping: {@code emperor-throttle} is the backoff before the second respawn ({@link BackoffPolicy#initial()},
 * uWSGI's per-failure increment) and {@code emperor-max-throttle} its cap ({@link BackoffPolicy#max()}). The first
 * failure is respawned at once in both. uWSGI then adds {@code emperor-throttle} per failure (1 s, 2 s, 3 s ...) and
 * halves the level once it reaches the cap; Imperium doubles it (1 s, 2 s, 4 s ...) with ±25 % jitter and stays at
 * the cap. uWSGI forgives a vassal once it served a request (loyalty); Imperium once it has been accepting requests
 * for 10 s, or when its file is touched. With {@code emperor-no-blacklist} every failure is respawned at once, as in
 * uWSGI.
 *
 * @param policy the backoff
 * @param noBlacklist {@code emperor-no-blacklist}
 */
record Throttle(BackoffPolicy policy, boolean noBlacklist) {
    /**
     * Returns the delay before respawning a vassal after {@code failures} failures in a row.
     *
     * @param failures at least 1
     * @param random the jitter's source
     */
    Duration delay(int failures, RandomGenerator random) {
        return noBlacklist ? Duration.ZERO : policy.delay(failures, random);
    }

    /**
     * Returns uWSGI's blacklist line for this failure, if any: {@code unloyal bad behaving vassal found: NAME
     * throttling it...} when throttling begins (the second failure in a row), {@code maximum throttle level for
     * vassal NAME reached !!!} when the backoff first reaches its cap.
     *
     * @param name the vassal
     * @param failures the failures in a row, this one included
     */
    Optional<String> notice(String name, int failures) {
        if (noBlacklist || failures < 2) {
            return Optional.empty();
        }
        if (policy.atMax(failures) && !policy.atMax(failures - 1)) {
            return Optional.of("maximum throttle level for vassal " + name + " reached !!!");
        }
        if (failures == 2) {
            return Optional.of("unloyal bad behaving vassal found: " + name + " throttling it...");
        }
        return Optional.empty();
    }
}
