package dev.imperium.emperor;

import dev.imperium.emperor.stats.StatsReport;
import dev.imperium.emperor.stats.StatsReportTest;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A vassal's report is parsed once, however many readers ask for it, and again only when a new one arrives. */
class StatsReportCacheTest {
    @Test
    void theSameReportIsParsedOnceAndANewOneAgain() {
        StatsReportCache cache = new StatsReportCache();
        String report = StatsReportTest.sample();

        StatsReport first = cache.report("app.ini", report);
        assertThat(first.workers()).hasSize(3);
        assertThat(cache.report("app.ini", report)).as("the same frame's text").isSameAs(first);

        String next = new String(report); // a new STATS_REPORT frame, even with the same content
        StatsReport second = cache.report("app.ini", next);
        assertThat(second).isNotSameAs(first).isEqualTo(first);
        assertThat(cache.report("app.ini", next)).isSameAs(second);
    }

    @Test
    void aBrokenReportIsRememberedAsNoneAndAVassalWithoutReportOrGoneIsForgotten() {
        StatsReportCache cache = new StatsReportCache();
        String report = StatsReportTest.sample();
        StatsReport parsed = cache.report("app.ini", report);

        assertThat(cache.report("bad.ini", "{nope")).isNull();
        assertThat(cache.report("app.ini", null)).as("its process exited").isNull();
        assertThat(cache.report("app.ini", report)).isNotSameAs(parsed);

        StatsReport again = cache.report("app.ini", report);
        cache.retain(Set.of("other.ini"));
        assertThat(cache.report("app.ini", report)).as("forgotten, parsed anew").isNotSameAs(again);
    }
}
