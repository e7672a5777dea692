package dev.imperium.statics;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HttpDateTest {
    private static final Instant SAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void formatsImfFixdateWithTwoDigitDayInGmt() {
        assertThat(HttpDate.format(Instant.parse("2024-01-02T03:04:05.999Z")))
                .isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
    }

    @Test
    void parsesTheThreeFormsOfRfc9110() {
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(SAMPLE);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(SAMPLE);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).contains(SAMPLE);
    }

    @Test
    void roundTrips() {
        Instant now = Instant.parse("2031-07-15T23:59:59Z");
        assertThat(HttpDate.parse(HttpDate.format(now))).contains(now);
    }

    @Test
    void rejectsWhatIsNotAnHttpDate() {
        assertThat(HttpDate.parse(null)).isEmpty();
        assertThat(HttpDate.parse("")).isEmpty();
        assertThat(HttpDate.parse("yesterday")).isEmpty();
        assertThat(HttpDate.parse("Sun, 31 Feb 1994 08:49:37 GMT")).isEmpty();
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 UTC")).isEmpty();
        assertThat(HttpDate.parse("Sun, 6 Nov 1994 08:49:37 GMT")).isEmpty();
    }
}
