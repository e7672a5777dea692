package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(Files.size(file)).isEqualTo(2L * Scoreboard.SLOT);
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
            assertThat(board.description(0)).hasSize(Scoreboard.SLOT - 18).startsWith("127.0.0.1 - GET /xx");
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
