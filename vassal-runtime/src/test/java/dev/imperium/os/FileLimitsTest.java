package dev.imperium.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileLimitsTest {
    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            20000                524288               files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void readsTheSoftLimitOfOpenFiles() {
        assertThat(FileLimits.parseSoftLimit(LIMITS)).isEqualTo(20000);
        assertThat(FileLimits.parseSoftLimit("Max open files  unlimited unlimited files\n"))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(FileLimits.parseSoftLimit("nothing here")).isEqualTo(-1);
    }

    @Test
    void theRunningJvmRaisedItsSoftLimitToTheHardLimit() {
        assertThat(FileLimits.softLimit()).as("Linux").isGreaterThan(0);
    }

    @Test
    void connectionsAreClampedBelowTheLimit() {
        assertThat(FileLimits.connectionsWithin(1000, 20000, 1)).isEqualTo(1000);
        assertThat(FileLimits.connectionsWithin(1000, 1024, 1)).isEqualTo(1024 - FileLimits.RESERVE);
        assertThat(FileLimits.connectionsWithin(1000, 1024, 2)).isEqualTo((1024 - FileLimits.RESERVE) / 2);
        assertThat(FileLimits.connectionsWithin(1000, 128, 1)).as("a low limit keeps half for connections").isEqualTo(64);
        assertThat(FileLimits.connectionsWithin(1000, 1, 1)).isEqualTo(1);
        assertThat(FileLimits.connectionsWithin(1000, -1, 1)).isEqualTo(1000);
    }
}
