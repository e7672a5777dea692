package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache flags a master gives its workers. */
class WorkerLauncherTest {
    @TempDir
    Path dir;

    @Test
    void aCacheNewerThanEveryJarIsUsedMappedUnrelocated() throws IOException {
        Path aot = Files.createDirectories(dir.resolve("aot"));
        Path jar = jar("a.jar", "2026-01-01T00:00:00Z");
        touch(Files.writeString(aot.resolve("vassal.aot"), "cache"), "2026-01-02T00:00:00Z");

        assertThat(WorkerLauncher.isCurrent(aot.resolve("vassal.aot"), jar.toString())).isTrue();
        assertThat(WorkerLauncher.aotFlags(null, aot.toString(), jar.toString()))
                .filteredOn(flag -> flag.startsWith("-XX:AOTCache=") || flag.contains("ArchiveRelocationMode=0"))
                .hasSize(2);
    }

    @Test
    void aCacheOlderThanAnyJarOfTheClassPathIsNotUsed() throws IOException {
        Path aot = Files.createDirectories(dir.resolve("aot"));
        Path cache = touch(Files.writeString(aot.resolve("vassal.aot"), "cache"), "2026-01-02T00:00:00Z");
        String classPath = jar("old.jar", "2026-01-01T00:00:00Z") + File.pathSeparator
                + jar("updated.jar", "2026-01-03T00:00:00Z");

        assertThat(WorkerLauncher.isCurrent(cache, classPath)).isFalse();
        assertThat(WorkerLauncher.aotFlags(null, aot.toString(), classPath)).isEmpty();
    }

    @Test
    void aMissingJarOrCacheMeansNoCache() throws IOException {
        Path cache = touch(Files.writeString(dir.resolve("vassal.aot"), "cache"), "2026-01-02T00:00:00Z");

        assertThat(WorkerLauncher.isCurrent(cache, dir.resolve("gone.jar").toString())).isFalse();
        assertThat(WorkerLauncher.isCurrent(dir.resolve("none.aot"), "")).isFalse();
        assertThat(WorkerLauncher.aotFlags(null, dir.resolve("no-such-dir").toString(), "")).isEmpty();
    }

    @Test
    void aTrainingRunRecordsTheSharedCache() {
        assertThat(WorkerLauncher.aotFlags("/tmp/train", "/opt/imperium/lib/aot", ""))
                .contains("-XX:AOTCacheOutput=/tmp/train/vassal.aot");
    }

    private Path jar(String name, String mtime) throws IOException {
        return touch(Files.writeString(dir.resolve(name), "jar"), mtime);
    }

    private static Path touch(Path file, String mtime) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(mtime)));
        return file;
    }
}
