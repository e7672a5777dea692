package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleWriterTest {
    @Test
    void linesFromManyThreadsNeverInterleave() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleWriter writer = new ConsoleWriter(100_000, out, OutputStream.nullOutputStream());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    writer.out(("thread " + id + " line " + i + " " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        writer.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(8000).allMatch(l -> l.matches("thread \\d line \\d+ x{100}"));
    }

    @Test
    void aStuckOutputDropsLinesInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                collected.write(b, off, len);
            }
        };
        ConsoleWriter writer = new ConsoleWriter(10, stuck, OutputStream.nullOutputStream());
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            writer.out(("line " + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        assertThat(writer.dropped()).isGreaterThan(900);
        release.countDown();
        writer.close();
        assertThat(collected.toString(StandardCharsets.UTF_8)).contains("output lines dropped: stdout/stderr too slow");
    }

    @Test
    void pumpSplitsLinesKeepsBytesAndFlushesTheLastUnterminatedLine() {
        byte[] input = "one\ntwo\r\n\u00e9t\u00e9\n\nlast".getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        new LinePump(new ByteArrayInputStream(input), b -> lines.add(new String(b, StandardCharsets.UTF_8))).run();
        assertThat(lines).containsExactly("one", "two\r", "\u00e9t\u00e9", "", "last");
    }

    @Test
    void pumpCutsOverlongLines() {
        byte[] input = ("y".repeat(LinePump.MAX_LINE * 2 + 5) + "\n").getBytes(StandardCharsets.UTF_8);
        List<byte[]> lines = new ArrayList<>();
        new LinePump(new ByteArrayInputStream(input), lines::add).run();
        assertThat(lines).extracting(b -> b.length).containsExactly(LinePump.MAX_LINE, LinePump.MAX_LINE, 5);
    }

    /** Issue 8: resource limits. Stdout on a full disk: said once on stderr, counted, and noted when it works again. */
    @Test
    void aFullDiskIsReportedOnceAndTheLostLinesAreNotedWhenItWorksAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        OutputStream disk = new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
                if (full.get()) {
                    throw new java.io.IOException("No space left on device");
                }
                file.write(b, off, len);
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConsoleWriter writer = new ConsoleWriter(1000, disk, err);
        writer.out("before".getBytes(StandardCharsets.UTF_8));
        org.awaitility.Awaitility.await().until(() -> file.toString(StandardCharsets.UTF_8).contains("before"));
        full.set(true);
        for (int i = 0; i < 50; i++) {
            writer.out(("lost " + i).getBytes(StandardCharsets.UTF_8));
        }
        org.awaitility.Awaitility.await().until(() -> err.toString(StandardCharsets.UTF_8).contains("write error"));
        full.set(false);
        writer.out("after".getBytes(StandardCharsets.UTF_8));
        writer.close();
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .endsWith("[emperor] emperor log (stdout): write error: No space left on device; log lines are dropped "
                        + "until it can be written again");
        List<String> lines = file.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("before");
        assertThat(lines.get(1)).matches(".*\\[emperor] emperor log \\(stdout\\): writing again: 50 lines \\(\\d+ "
                + "bytes\\) were lost in [\\d.]+ s \\(No space left on device\\)");
        assertThat(lines.get(2)).isEqualTo("after");
    }
}
