package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** uWSGI's blacklist options mapped onto the backoff, with uWSGI's blacklist log lines. */
class ThrottleTest {
    private final BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 0);

    @Test
    void theBlacklistIsTheBackoff() {
        Throttle t = new Throttle(policy, false);
        Random r = new Random(1);
        assertThat(t.delay(1, r)).isZero();
        assertThat(t.delay(2, r)).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.delay(3, r)).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.delay(9, r)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void withoutBlacklistEveryFailureIsRespawnedAtOnce() {
        Throttle t = new Throttle(policy, true);
        for (int failures = 1; failures < 20; failures++) {
            assertThat(t.delay(failures, new Random(failures))).isZero();
            assertThat(t.notice("a.ini", failures)).isEmpty();
        }
    }

    @Test
    void uwsgisBlacklistLinesWhenThrottlingBeginsAndWhenTheCapIsReached() {
        Throttle t = new Throttle(policy, false);
        assertThat(t.notice("a.ini", 1)).isEmpty();
        assertThat(t.notice("a.ini", 2)).contains("unloyal bad behaving vassal found: a.ini throttling it...");
        assertThat(t.notice("a.ini", 3)).isEmpty();
        assertThat(t.notice("a.ini", 4)).isEmpty();
        assertThat(t.notice("a.ini", 5)).contains("maximum throttle level for vassal a.ini reached !!!");
        assertThat(t.notice("a.ini", 6)).isEmpty();
    }
}
