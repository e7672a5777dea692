package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long from a file operation to the emperor's decision to spawn (the launcher being called), with a launcher
 * that starts nothing. Prints the medians; asserts generous bounds.
 */
class SpawnLatencyTest {
    @TempDir
    Path dir;

    private final BlockingQueue<Long> launches = new LinkedBlockingQueue<>();
    private Emperor emperor;

    @AfterEach
    void stop() throws Exception {
        if (emperor != null) {
            emperor.shutdown();
            assertThat(emperor.awaitBuried(Duration.ofSeconds(10))).isTrue();
        }
    }

    private void start() throws Exception {
        VassalLauncher recording = (request, callback) -> launches.add(System.nanoTime());
        emperor = new Emperor(EmperorSettings.defaults(dir, List.of("/bin/false")).withReloadMercy(Duration.ZERO)
                        .withStartConcurrency(0), // nothing is launched: no vassal would ever give its slot back
                new CapturingSink(), recording, Clock.systemDefaultZone(), new Random(1));
        emperor.start();
    }

    private long measure(Path file, boolean old) throws Exception {
        Path staging = dir.resolve("." + file.getFileName() + ".tmp");
        Files.writeString(staging, "[uwsgi]\n");
        if (old) {
            Files.setLastModifiedTime(staging, FileTime.from(Instant.now().minusSeconds(10)));
        }
        long t0 = System.nanoTime();
        Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
        Long t1 = launches.poll(5, TimeUnit.SECONDS);
        assertThat(t1).as("spawn decided").isNotNull();
        return TimeUnit.NANOSECONDS.toMicros(t1 - t0);
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    @Test
    void fromRenameToSpawnDecision() throws Exception {
        start();
        long[] fresh = new long[7];
        long[] settled = new long[7];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = measure(dir.resolve("fresh" + i + ".ini"), false);
            settled[i] = measure(dir.resolve("old" + i + ".ini"), true);
        }
        System.out.println("[measure] rename of a just-written file -> spawn decision: median "
                + median(fresh) / 1000.0 + " ms " + Arrays.toString(fresh) + " us");
        System.out.println("[measure] rename of a file written before the settle time -> spawn decision: median "
                + median(settled) / 1000.0 + " ms " + Arrays.toString(settled) + " us");
        // Bounds loose enough for a busy machine; the printed medians are the measurement.
        long settleMicros = EmperorSettings.DEFAULT_SETTLE.toNanos() / 1000;
        assertThat(median(fresh)).as("a just-written file waits for the settle time")
                .isBetween(settleMicros - 5_000L, 2_000_000L);
        assertThat(median(settled)).isLessThan(median(fresh));
    }
}
