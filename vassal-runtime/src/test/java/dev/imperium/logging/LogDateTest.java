package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LogDateTest {
    private static final long T = ZonedDateTime.of(2026, 11, 5, 7, 3, 9, 0, ZoneOffset.UTC).toInstant().toEpochMilli();

    @Test
    void offByDefaultVerboseLinesStillGetCtime() {
        LogDate off = LogDate.parse(null, ZoneOffset.UTC);
        assertThat(off.prefix(T)).isEmpty();
        assertThat(off.stamp(T)).isEqualTo("Thu Nov  5 07:03:09 2026 - ");
        assertThat(LogDate.parse("false", ZoneOffset.UTC).enabled()).isFalse();
    }

    @Test
    void bareOrTrueIsCtime() {
        for (String v : new String[] {"", "true", "1", "yes", "ON"}) {
            assertThat(LogDate.parse(v, ZoneOffset.UTC).prefix(T)).as(v).isEqualTo("Thu Nov  5 07:03:09 2026 - ");
        }
    }

    @Test
    void aFormatIsStrftimeForEveryLine() {
        LogDate d = LogDate.parse("%Y-%m-%d %H:%M:%S", ZoneOffset.UTC);
        assertThat(d.prefix(T)).isEqualTo("2026-11-05 07:03:09 - ");
        assertThat(d.stamp(T + 999)).as("verbose lines use it too").isEqualTo("2026-11-05 07:03:09 - ");
        assertThat(d.prefix(T + 1000)).isEqualTo("2026-11-05 07:03:10 - ");
        assertThat(LogDate.parse("[myapp]", ZoneOffset.UTC).prefix(T)).as("log-prefix").isEqualTo("[myapp] - ");
    }
}
