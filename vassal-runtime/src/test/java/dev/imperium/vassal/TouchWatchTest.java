package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** touch-reload's notion of a touched file, as uWSGI's uwsgi_check_touches has it. */
class TouchWatchTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void aChangedModificationTimeIsATouchSeenOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("reload.txt"), "");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        TouchWatch watch = new TouchWatch(dir, List.of(file.getFileName().toString()), log::add);
        assertThat(watch.check()).isNull();

        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00.5Z")));
        assertThat(watch.check()).as("half a second later: uWSGI would miss it").isEqualTo(file.getFileName().toString());
        assertThat(watch.check()).isNull();
        assertThat(log).isEmpty();
    }

    @Test
    void aMissingFileIsReportedThenItsCreationAndRemovalAreTouches() throws Exception {
        Path file = dir.resolve("later.txt");
        TouchWatch watch = new TouchWatch(dir, List.of(file.getFileName().toString()), log::add);
        assertThat(log).containsExactly("unable to stat() later.txt, events will be triggered as soon as the file is"
                + " created");
        assertThat(watch.check()).isNull();

        Files.writeString(file, "");
        assertThat(watch.check()).isEqualTo(file.getFileName().toString());
        Files.delete(file);
        assertThat(watch.check()).isEqualTo(file.getFileName().toString());
        assertThat(watch.check()).isNull();
    }

    @Test
    void noFilesNothingToWatch() {
        assertThat(new TouchWatch(dir, List.of(), log::add).isEmpty()).isTrue();
    }
}
