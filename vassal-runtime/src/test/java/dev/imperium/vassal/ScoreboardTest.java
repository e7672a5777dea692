package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.stats.RequestDurations;
import dev.imperium.stats.WorkerCounters;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-core request slots a worker writes and its master reads for harakiri. */
class ScoreboardTest {
    @TempDir
    Path dir;

    @Test
    void whatTheWorkerWritesTheMasterReadsThroughTheFile() throws Exception {
        Path file = dir.resolve("scoreboard-1-1");
        try (Scoreboard master = Scoreboard.create(file, 2); Scoreboard worker = Scoreboard.open(file)) {
            assertThat(Files.size(file)).isEqualTo(Scoreboard.HEADER + 2L * Scoreboard.SLOT);
            assertThat(master.cores()).isEqualTo(2);
            assertThat(worker.cores()).isEqualTo(2);
            assertThat(master.startMillis(0)).isZero();
            assertThat(master.startMillis(1)).isZero();

            worker.begin(1, 1_732_500_000_123L, "127.0.0.1 - GET /block?file=x");
            assertThat(master.startMillis(0)).isZero();
            assertThat(master.startMillis(1)).isEqualTo(1_732_500_000_123L);
            assertThat(master.description(1)).isEqualTo("127.0.0.1 - GET /block?file=x");

            worker.end(1);
            assertThat(master.startMillis(1)).isZero();
        }
    }

    @Test
    void aLongDescriptionIsCutAndNonLatin1CharsReplaced() throws Exception {
        Path file = dir.resolve("sb");
        try (Scoreboard board = Scoreboard.create(file, 1)) {
            board.begin(0, 1, "127.0.0.1 - GET /" + "x".repeat(400));
            assertThat(board.description(0)).hasSize(Scoreboard.TEXT_MAX).startsWith("127.0.0.1 - GET /xx");
            board.begin(0, 2, "::1 - GET /\u20ac");
            assertThat(board.description(0)).isEqualTo("::1 - GET /?");
        }
    }

    @Test
    void theMasterSeesWhetherAWorkerIsBusyAndWhenItsLastRequestEnded() throws Exception {
        Path file = dir.resolve("sb");
        try (Scoreboard master = Scoreboard.create(file, 2); Scoreboard worker = Scoreboard.open(file)) {
            assertThat(master.busy()).isFalse();
            assertThat(master.lastEndMillis()).isZero();
            long before = System.currentTimeMillis();
            worker.begin(1, before, "127.0.0.1 - GET /");
            assertThat(master.busy()).isTrue();
            worker.end(1);
            assertThat(master.busy()).isFalse();
            assertThat(master.lastEndMillis()).isBetween(before, System.currentTimeMillis());
            assertThat(master.lastEndMillis(0)).isZero();
        }
    }

    @Test
    void theWorkersRequestCountersReachTheMaster() throws Exception {
        Path file = dir.resolve("sb");
        try (Scoreboard master = Scoreboard.create(file, 2); Scoreboard worker = Scoreboard.open(file)) {
            worker.begin(0, 1, null);
            worker.end(0, 200, 150, 3_000, 0);
            worker.begin(0, 2, null);
            worker.end(0, 404, 90, 20_000, Scoreboard.ROUTED);
            worker.begin(1, 3, null);
            worker.end(1, 200, 5_000, 2_000_000, Scoreboard.STATIC | Scoreboard.WRITE_ERROR);
            worker.begin(1, 4, null);
            worker.end(1, 0, 0, 100, Scoreboard.READ_ERROR);
            worker.exception();
            worker.exception();

            WorkerCounters c = new WorkerCounters();
            master.addCountersTo(c);
            assertThat(master.requests()).isEqualTo(4);
            assertThat(c.get(0, WorkerCounters.REQUESTS)).isEqualTo(2);
            assertThat(c.get(1, WorkerCounters.REQUESTS)).isEqualTo(2);
            assertThat(c.get(0, WorkerCounters.ROUTED_REQUESTS)).isEqualTo(1);
            assertThat(c.get(1, WorkerCounters.STATIC_REQUESTS)).isEqualTo(1);
            assertThat(c.get(1, WorkerCounters.WRITE_ERRORS)).isEqualTo(1);
            assertThat(c.get(1, WorkerCounters.READ_ERRORS)).isEqualTo(1);
            assertThat(c.total(WorkerCounters.TX)).isEqualTo(5_240);
            assertThat(c.total(WorkerCounters.RUNNING_MICROS)).isEqualTo(2_023_100);
            assertThat(c.totals(WorkerCounters.STATUS_1XX, 5)).as("1xx..5xx; a request without answer in none")
                    .containsExactly(0, 2, 0, 1, 0);
            assertThat(c.totals(WorkerCounters.DURATION_BUCKET_0, RequestDurations.BOUNDS + 1))
                    .containsExactly(2, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0);
            assertThat(c.exceptions()).isEqualTo(2);
            assertThat(master.exceptions()).isEqualTo(2);
            // uWSGI's running average: (avg + rt) / 2 per request
            assertThat(master.avgRtMicros()).isEqualTo((((3_000 / 2 + 20_000) / 2 + 2_000_000) / 2 + 100) / 2);
            assertThat(master.busy()).isFalse();
        }
    }

    @Test
    void withoutADescriptionTheCoreStillShowsItsRequestInFlight() throws Exception {
        try (Scoreboard board = Scoreboard.create(dir.resolve("sb"), 1)) {
            board.begin(0, 1_732_500_000_123L, "127.0.0.1 - GET /a");
            board.end(0, 200, 1, 1, 0);
            board.begin(0, 1_732_500_000_456L, null);
            assertThat(board.startMillis(0)).isEqualTo(1_732_500_000_456L);
            assertThat(board.description(0)).isEmpty();
        }
    }

    @Test
    void creatingAgainResetsEveryCoreToIdle() throws Exception {
        Path file = dir.resolve("sb");
        try (Scoreboard board = Scoreboard.create(file, 1)) {
            board.begin(0, 42, "a");
        }
        try (Scoreboard board = Scoreboard.create(file, 1)) {
            assertThat(board.startMillis(0)).isZero();
        }
    }
}
