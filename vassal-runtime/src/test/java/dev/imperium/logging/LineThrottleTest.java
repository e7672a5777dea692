package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineThrottleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void fiveHundredEventsInOneWindowGiveOneLineAndOneSummary() {
        LineThrottle t = new LineThrottle(Duration.ofSeconds(5), "socket timeouts");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            out.addAll(t.offer("timeout " + i, 100 * S + i * 1_000_000L));
        }
        assertThat(out).containsExactly("timeout 0");
        assertThat(t.flush(104 * S)).as("window not over").isNull();
        assertThat(t.flush(105 * S)).isEqualTo("... and 499 more socket timeouts in the last 5 s (one line per 5 s)");
        assertThat(t.flush(200 * S)).as("said once").isNull();
    }

    @Test
    void theNextEventAfterAWindowIsLoggedWithThePendingSummaryFirst() {
        LineThrottle t = new LineThrottle(Duration.ofSeconds(5), "socket timeouts");
        assertThat(t.offer("a", 0)).containsExactly("a");
        assertThat(t.offer("b", S)).isEmpty();
        assertThat(t.offer("c", 6 * S)).containsExactly(
                "... and 1 more socket timeouts in the last 5 s (one line per 5 s)", "c");
        assertThat(t.windowEnd()).isEqualTo(11 * S);
    }

    @Test
    void aLoneEventHasNoSummary() {
        LineThrottle t = new LineThrottle(Duration.ofMillis(1500), "x");
        assertThat(t.offer("a", 0)).containsExactly("a");
        assertThat(t.flush(2 * S)).isNull();
        assertThat(t.windowEnd()).isZero();
        assertThat(t.offer("b", 3 * S)).containsExactly("b");
    }

    @Test
    void rejectsAnEmptyWindow() {
        assertThatThrownBy(() -> new LineThrottle(Duration.ZERO, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void throttledLinesWriteTheSummaryWhenTheWindowEndsWithoutAnotherEvent() throws Exception {
        List<String> sink = new java.util.concurrent.CopyOnWriteArrayList<>();
        ThrottledLines lines = new ThrottledLines(Duration.ofMillis(200), "timeouts", sink::add);
        for (int i = 0; i < 50; i++) {
            lines.log("t" + i);
        }
        assertThat(sink).containsExactly("t0");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 2);
        assertThat(sink.get(1)).startsWith("... and 49 more timeouts in the last 200 ms");
    }
}
