package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.imperium.emperor.VassalFileChange.Kind.ADDED;
import static dev.imperium.emperor.VassalFileChange.Kind.CHANGED;
import static dev.imperium.emperor.VassalFileChange.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;

class VassalWatcherTest {
    private static final Duration SETTLE = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private final BlockingQueue<VassalFileChange> changes = new LinkedBlockingQueue<>();
    private final List<String> warnings = new ArrayList<>();
    private VassalWatcher watcher;

    private void start(boolean events, Duration rescan) throws IOException {
        watcher = new VassalWatcher(dir, SETTLE, rescan, Clock.systemUTC(), changes::add, warnings::add);
        watcher.start(events);
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private VassalFileChange next() throws InterruptedException {
        VassalFileChange c = changes.poll(5, TimeUnit.SECONDS);
        assertThat(c).as("a change within 5 s").isNotNull();
        return c;
    }

    private void assertQuiet(long millis) throws InterruptedException {
        assertThat(changes.poll(millis, TimeUnit.MILLISECONDS)).as("no further change").isNull();
    }

    private static void makeOld(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** Issue 8, bad configs: names of vassal files that are no regular files are skipped and logged once each. */
    @Test
    void aVassalNameThatIsNoRegularFileIsLoggedOnceAndNeverReported() throws Exception {
        Files.createDirectory(dir.resolve("dir.ini"));
        Files.createSymbolicLink(dir.resolve("loop.ini"), Path.of("loop.ini"));
        Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
        start(false, Duration.ofMillis(50));
        for (int i = 0; i < 3; i++) {
            watcher.rescan().get(5, TimeUnit.SECONDS);
        }
        synchronized (warnings) {
            assertThat(warnings).containsExactlyInAnyOrder(
                    "ignoring vassal file dir.ini: " + dir.resolve("dir.ini") + " is a directory, not a config file",
                    "ignoring vassal file loop.ini: " + dir.resolve("loop.ini")
                            + " is a symbolic link loop (or a chain of more than 40 links)",
                    "ignoring vassal file zero.yaml: " + dir.resolve("zero.yaml")
                            + " is a character device, not a config file");
        }
        assertQuiet(200);
    }

    @Test
    void aNewFileIsReportedOnceAfterItSettles() throws Exception {
        start(true, Duration.ofHours(1));
        long t0 = System.nanoTime();
        Files.writeString(dir.resolve("app.ini"), "[uwsgi]\nhttp-socket = :0\n");
        VassalFileChange c = next();
        long latency = millisSince(t0);
        assertThat(c.kind()).isEqualTo(ADDED);
        assertThat(c.name()).isEqualTo("app.ini");
        assertThat(c.stamp().size()).isEqualTo("[uwsgi]\nhttp-socket = :0\n".length());
        assertThat(latency).as("waits for the settle time").isGreaterThanOrEqualTo(SETTLE.toMillis() - 5);
        System.out.println("[measure] write new file -> ADDED: " + latency + " ms (settle " + SETTLE.toMillis() + " ms)");
        assertQuiet(400);
    }

    @Test
    void aFileRenamedIntoTheDirectoryIsReportedWithoutWaiting() throws Exception {
        // A long settle time, so "without waiting" cannot be confused with a short wait on a busy machine.
        watcher = new VassalWatcher(dir, Duration.ofSeconds(3), Duration.ofHours(1), Clock.systemUTC(), changes::add,
                warnings::add);
        watcher.start();
        Path staging = Files.createTempFile(dir.getParent(), "staging", ".ini");
        Files.writeString(staging, "[uwsgi]\n");
        makeOld(staging);
        long t0 = System.nanoTime();
        Files.move(staging, dir.resolve("app.ini"), StandardCopyOption.ATOMIC_MOVE);
        VassalFileChange c = next();
        long latency = millisSince(t0);
        assertThat(c.kind()).isEqualTo(ADDED);
        assertThat(latency).isLessThan(2000);
        System.out.println("[measure] rename of a settled file into the dir -> ADDED: " + latency + " ms");
        assertQuiet(300);
    }

    @Test
    void touchIsAChange() throws Exception {
        Path app = dir.resolve("app.ini");
        Files.writeString(app, "[uwsgi]\n");
        makeOld(app);
        start(true, Duration.ofHours(1));
        assertThat(next().kind()).isEqualTo(ADDED);
        long t0 = System.nanoTime();
        Files.setLastModifiedTime(app, FileTime.from(Instant.now()));
        VassalFileChange c = next();
        System.out.println("[measure] touch -> CHANGED: " + millisSince(t0) + " ms");
        assertThat(c.kind()).isEqualTo(CHANGED);
        assertThat(c.name()).isEqualTo("app.ini");
        assertQuiet(300);
    }

    @Test
    void atomicRenameOverTheFileIsAChange() throws Exception {
        Path app = dir.resolve("app.ini");
        Files.writeString(app, "[uwsgi]\nprocesses = 1\n");
        FileTime mtime = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(app, mtime);
        start(true, Duration.ofHours(1));
        assertThat(next().kind()).isEqualTo(ADDED);
        // Same size and mtime: only the inode tells the new file from the old one.
        Path tmp = dir.resolve(".app.ini.tmp");
        Files.writeString(tmp, "[uwsgi]\nprocesses = 2\n");
        Files.setLastModifiedTime(tmp, mtime);
        Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        VassalFileChange c = next();
        assertThat(c.kind()).isEqualTo(CHANGED);
        assertThat(c.name()).isEqualTo("app.ini");
        assertQuiet(300);
    }

    @Test
    void removalIsReported() throws Exception {
        Path app = dir.resolve("app.ini");
        Files.writeString(app, "[uwsgi]\n");
        makeOld(app);
        start(true, Duration.ofHours(1));
        assertThat(next().kind()).isEqualTo(ADDED);
        long t0 = System.nanoTime();
        Files.delete(app);
        VassalFileChange c = next();
        System.out.println("[measure] rm -> REMOVED: " + millisSince(t0) + " ms");
        assertThat(c.kind()).isEqualTo(REMOVED);
        assertThat(c.stamp()).isNull();
        assertQuiet(300);
    }

    @Test
    void anEditorSaveThatDeletesAndRecreatesIsOneChangeNotAStop() throws Exception {
        Path app = dir.resolve("app.ini");
        Files.writeString(app, "[uwsgi]\n");
        makeOld(app);
        start(true, Duration.ofHours(1));
        assertThat(next().kind()).isEqualTo(ADDED);
        // vim without backupcopy: probe file, rename the original to a backup, write a new file, drop the backup
        Files.writeString(dir.resolve("4913"), "");
        Files.delete(dir.resolve("4913"));
        Files.move(app, dir.resolve("app.ini~"));
        Files.writeString(app, "[uwsgi]\nprocesses = 4\n");
        Files.writeString(dir.resolve(".app.ini.swp"), "swap");
        Files.delete(dir.resolve("app.ini~"));
        VassalFileChange c = next();
        assertThat(c.kind()).isEqualTo(CHANGED);
        assertQuiet(400);
    }

    @Test
    void hiddenTemporaryForeignFilesAndSubdirectoriesAreIgnored() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/inner.ini"), "[uwsgi]\n");
        start(true, Duration.ofHours(1));
        for (String name : List.of(".hidden.ini", ".#app.ini", "#app.ini#", "app.ini~", "app.ini.swp", "app.tmp",
                "4913", "notes.txt", "app.skel")) {
            Files.writeString(dir.resolve(name), "x");
        }
        Files.createDirectory(dir.resolve("dir.ini"));
        Files.writeString(dir.resolve("sub/later.ini"), "[uwsgi]\n");
        Files.createDirectory(dir.resolve("sub2"));
        Files.writeString(dir.resolve("sub2/x.ini"), "[uwsgi]\n");
        assertQuiet(500);
        watcher.rescan().get(5, TimeUnit.SECONDS);
        assertQuiet(300);
        Files.writeString(dir.resolve("real.yaml"), "uwsgi: {}\n");
        VassalFileChange c = next();
        assertThat(c.kind()).isEqualTo(ADDED);
        assertThat(c.name()).isEqualTo("real.yaml");
        assertQuiet(300);
    }

    @Test
    void filesPresentAtStartAreAdded() throws Exception {
        for (String name : List.of("a.ini", "b.json", "c.xml")) {
            Files.writeString(dir.resolve(name), "x");
            makeOld(dir.resolve(name));
        }
        long t0 = System.nanoTime();
        start(true, Duration.ofHours(1));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            VassalFileChange c = next();
            assertThat(c.kind()).isEqualTo(ADDED);
            names.add(c.name());
        }
        assertThat(names).containsExactlyInAnyOrder("a.ini", "b.json", "c.xml");
        assertThat(millisSince(t0)).as("settled files at start need no waiting").isLessThan(1000);
        assertQuiet(300);
    }

    @Test
    void theRescanFindsChangesWhenEventsAreMissed() throws Exception {
        start(false, Duration.ofHours(1)); // no inotify: only rescans see anything
        assertQuiet(200);
        Path app = dir.resolve("app.ini");
        Files.writeString(app, "[uwsgi]\n");
        assertQuiet(300);
        watcher.rescan().get(5, TimeUnit.SECONDS);
        assertThat(next().kind()).isEqualTo(ADDED);
        Files.setLastModifiedTime(app, FileTime.from(Instant.now().plusSeconds(5)));
        watcher.rescan().get(5, TimeUnit.SECONDS);
        assertThat(next().kind()).isEqualTo(CHANGED);
        Files.delete(app);
        watcher.rescan().get(5, TimeUnit.SECONDS);
        assertThat(next().kind()).isEqualTo(REMOVED);
        assertQuiet(300);
    }

    @Test
    void periodicRescansRunOnTheirOwn() throws Exception {
        start(false, Duration.ofMillis(200));
        Files.writeString(dir.resolve("app.ini"), "[uwsgi]\n");
        assertThat(next().kind()).isEqualTo(ADDED);
    }

    @Test
    void aMissingDirectoryStopsItsVassalsAndIsWatchedAgainWhenBack() throws Exception {
        Path vassals = Files.createDirectory(dir.resolve("vassals"));
        Files.writeString(vassals.resolve("app.ini"), "x");
        makeOld(vassals.resolve("app.ini"));
        watcher = new VassalWatcher(vassals, SETTLE, Duration.ofMillis(200), Clock.systemUTC(), changes::add,
                warnings::add);
        watcher.start();
        assertThat(next().kind()).isEqualTo(ADDED);
        Files.delete(vassals.resolve("app.ini"));
        Files.delete(vassals);
        assertThat(next().kind()).isEqualTo(REMOVED);
        Files.createDirectory(vassals);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> warnings.stream().anyMatch(w -> w.contains("again")));
        Files.writeString(vassals.resolve("back.ini"), "x");
        VassalFileChange c = next();
        assertThat(c.kind()).isEqualTo(ADDED);
        assertThat(c.name()).isEqualTo("back.ini");
    }
}
