package dev.imperium.logging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8: resource limits. A full disk under a log file: one line when it begins, one when it ends. */
class WriteFailuresTest {
    private final IOException enospc = new IOException("No space left on device");

    @Test
    void oneLineWhenWritesBeginToFailNothingWhileTheyGoOn() {
        WriteFailures f = new WriteFailures("log file /var/log/app.log");
        assertThat(f.failing()).isFalse();
        assertThat(f.failed(enospc, 1, 80, true, 1_000)).contains("log file /var/log/app.log: write error: No space "
                + "left on device; log lines are dropped until it can be written again");
        for (int i = 0; i < 1000; i++) {
            assertThat(f.failed(enospc, 2, 100, false, 2_000 + i)).isEmpty();
        }
        assertThat(f.failing()).isTrue();
        assertThat(f.cutLine()).isTrue();
        assertThat(f.recoveryNote(42_700)).contains("log file /var/log/app.log: writing again: 2001 lines "
                + "(100080 bytes) were lost in 41.7 s (No space left on device)");
        f.recovered();
        assertThat(f.failing()).isFalse();
        assertThat(f.recoveryNote(50_000)).isEmpty();
        assertThat(f.failed(enospc, 1, 10, false, 60_000)).as("a new run is reported again").isPresent();
        assertThat(f.cutLine()).isFalse();
        assertThat(f.recoveryNote(60_000)).contains("log file /var/log/app.log: writing again: 1 line (10 bytes) "
                + "were lost in 0.0 s (No space left on device)");
    }

    @Test
    void countsLines() {
        byte[] b = "a\nbb\nccc\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(WriteFailures.lines(b, 0, b.length)).isEqualTo(3);
        assertThat(WriteFailures.lines(b, 2, 3)).isEqualTo(1);
    }
}
