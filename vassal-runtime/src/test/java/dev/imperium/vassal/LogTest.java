package dev.imperium.vassal;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class LogTest {
    @Test
    void formatsAsCtimeWithTheDayPaddedByASpace() {
        assertThat(Log.ctime(LocalDateTime.of(2026, 11, 4, 3, 7, 9))).isEqualTo("Wed Nov  4 03:07:09 2026");
        assertThat(Log.ctime(LocalDateTime.of(2026, 11, 24, 23, 28, 38))).isEqualTo("Tue Nov 24 23:28:38 2026");
    }

    @Test
    void matchesTheJdkFormatterOnEveryDayOfAYear() {
        DateTimeFormatter reference = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
        LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0, 0);
        for (int i = 0; i < 366; i++, t = t.plusDays(1).plusSeconds(3671)) {
            assertThat(Log.ctime(t)).isEqualTo(reference.format(t));
        }
    }

    @Test
    void epochMillisUseTheLocalZoneAndReuseTheSecond() {
        long millis = 1_795_432_479_123L;
        String expected = Log.ctime(LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), ZoneId.systemDefault()));
        assertThat(Log.ctime(millis)).isEqualTo(expected);
        assertThat(Log.ctime(millis + 500)).isSameAs(Log.ctime(millis));
    }
}
