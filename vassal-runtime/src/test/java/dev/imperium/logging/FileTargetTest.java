package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTargetTest {
    @TempDir
    Path dir;

    private static void write(LogRoutes routes, String lines) {
        byte[] b = lines.getBytes(StandardCharsets.UTF_8);
        routes.requests(1, b, 0, b.length);
    }

    private List<String> allLines(String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }

    /** Issue 8: resource limits. A device that is always full (ENOSPC): every write fails, nothing throws. */
    @Test
    void aFullDeviceDropsLinesWithoutThrowing() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full");
        FileTarget target = FileTarget.open(full, 0, null, false, null, false);
        byte[] line = "a line\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1000; i++) {
            target.write(1, line, 0, line.length);
        }
        target.close();
    }

    @Test
    void rotatesPastMaxSizeWithoutLosingOrSplittingALineUnderConcurrentWriters() throws Exception {
        Path log = dir.resolve("app.log");
        FileTarget target = FileTarget.open(log, 4096, null, false, null, false);
        LogRoutes routes = new LogRoutes(List.of(target), List.of(target));
        int threads = 4;
        int perThread = 2000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    write(routes, "writer " + id + " line " + i + " " + "x".repeat(i % 50) + "\n");
                }
            }));
        }
        go.countDown();
        for (Thread w : writers) {
            w.join();
        }
        target.close();

        List<String> lines = allLines("app.log");
        List<String> requests = lines.stream().filter(l -> l.startsWith("writer ")).toList();
        assertThat(requests).hasSize(threads * perThread).doesNotHaveDuplicates()
                .allMatch(l -> l.matches("writer \\d line \\d+ x*"));
        assertThat(lines.stream().filter(l -> l.contains("triggering rotation to")).count())
                .as("the rotation lines").isGreaterThan(10);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> !p.equals(log)).toList()).allSatisfy(p ->
                    assertThat(Files.size(p)).as("a rotated file ends just past the limit").isLessThan(4096 + 200));
        }
    }

    @Test
    void reopenAfterAnExternalMoveWritesToTheNewFile() throws Exception {
        Path log = dir.resolve("app.log");
        FileTarget target = FileTarget.open(log, 0, null, false, null, false);
        LogRoutes routes = new LogRoutes(List.of(target), List.of(target));
        write(routes, "before\n");
        Path moved = dir.resolve("app.log.1");
        Files.move(log, moved);
        write(routes, "still old\n");
        routes.reopen();
        write(routes, "after\n");
        target.close();

        assertThat(Files.readAllLines(moved)).first().isEqualTo("before");
        assertThat(Files.readAllLines(moved)).contains("still old").anyMatch(l -> l.endsWith("triggering log-reopen..."));
        assertThat(Files.readAllLines(log)).hasSize(2).last().isEqualTo("after");
        assertThat(Files.readAllLines(log).getFirst()).endsWith(log + " reopened.");
    }

    @Test
    void aBackupNameIsReplacedAtTheNextRotation() throws Exception {
        Path log = dir.resolve("app.log");
        Path old = dir.resolve("app.old");
        FileTarget target = FileTarget.open(log, 0, old, false, null, false);
        LogRoutes routes = new LogRoutes(List.of(target), List.of(target));
        write(routes, "one\n");
        routes.rotate();
        write(routes, "two\n");
        routes.rotate();
        write(routes, "three\n");
        target.close();
        assertThat(Files.readString(old)).contains("two").doesNotContain("one");
        assertThat(Files.readAllLines(log)).containsExactly("three");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
                .as("uWSGI's mode").isEqualTo("rw-r-----");
    }
}
