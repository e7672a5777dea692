package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffPolicyTest {
    /** A generator that always returns the same double, to pin the jitter. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private final BackoffPolicy noJitter = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0);

    @Test
    void firstFailureIsRetriedAtOnce() {
        assertThat(BackoffPolicy.DEFAULT.delay(1, new Random(1))).isZero();
    }

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        RandomGenerator r = fixed(0.5);
        assertThat(noJitter.delay(2, r)).isEqualTo(Duration.ofSeconds(1));
        assertThat(noJitter.delay(3, r)).isEqualTo(Duration.ofSeconds(2));
        assertThat(noJitter.delay(4, r)).isEqualTo(Duration.ofSeconds(4));
        assertThat(noJitter.delay(7, r)).isEqualTo(Duration.ofSeconds(32));
        assertThat(noJitter.delay(8, r)).isEqualTo(Duration.ofSeconds(60));
        assertThat(noJitter.delay(1000, r)).isEqualTo(Duration.ofSeconds(60));
        assertThat(noJitter.delay(Integer.MAX_VALUE, r)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void jitterStaysWithinItsBandAndUnderTheCap() {
        BackoffPolicy p = BackoffPolicy.DEFAULT;
        assertThat(p.delay(3, fixed(0.0))).isEqualTo(Duration.ofMillis(1500)); // 2 s - 25 %
        assertThat(p.delay(3, fixed(1.0))).isEqualTo(Duration.ofMillis(2500)); // 2 s + 25 %
        assertThat(p.delay(20, fixed(0.0))).isEqualTo(Duration.ofSeconds(135));
        assertThat(p.delay(20, fixed(1.0))).isEqualTo(Duration.ofSeconds(180)); // capped, not 225 s
        Random random = new Random(42);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration d = p.delay(4, random);
            assertThat(d).isBetween(Duration.ofMillis(3000), Duration.ofMillis(5000));
            seen.add(d);
        }
        assertThat(seen).as("jitter varies the delay").hasSizeGreaterThan(100);
    }

    @Test
    void theDefaultsAreUwsgisThrottleAndMaxThrottle() {
        assertThat(BackoffPolicy.DEFAULT.initial()).isEqualTo(Duration.ofMillis(1000));
        assertThat(BackoffPolicy.DEFAULT.max()).isEqualTo(Duration.ofMillis(180_000));
    }

    @Test
    void knowsWhenTheCapIsReached() {
        assertThat(noJitter.atMax(1)).isFalse();
        assertThat(noJitter.atMax(7)).as("32 s").isFalse();
        assertThat(noJitter.atMax(8)).as("64 s, capped at 60").isTrue();
        assertThat(noJitter.atMax(1000)).isTrue();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackoffPolicy.DEFAULT.delay(0, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
