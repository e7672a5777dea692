package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RotationNamesTest {
    private static final Path LOG = Path.of("/var/log/app.log");

    @Test
    void epochSecondsByDefaultAndNeverOverAnEarlierBackup() {
        assertThat(RotationNames.backup(LOG, null, 1700000000L, p -> false)).isEqualTo(Path.of("/var/log/app.log.1700000000"));
        Set<Path> taken = Set.of(Path.of("/var/log/app.log.1700000000"), Path.of("/var/log/app.log.1700000000.1"));
        assertThat(RotationNames.backup(LOG, null, 1700000000L, taken::contains))
                .isEqualTo(Path.of("/var/log/app.log.1700000000.2"));
    }

    @Test
    void backupNameIsUsedAsIs() {
        assertThat(RotationNames.backup(LOG, Path.of("/var/log/app.old"), 1, p -> true)).isEqualTo(Path.of("/var/log/app.old"));
    }

    @Test
    void dueOnlyAboveTheLimit() {
        assertThat(RotationNames.due(100, 100)).isFalse();
        assertThat(RotationNames.due(101, 100)).isTrue();
        assertThat(RotationNames.due(1 << 30, 0)).as("no limit").isFalse();
    }
}
