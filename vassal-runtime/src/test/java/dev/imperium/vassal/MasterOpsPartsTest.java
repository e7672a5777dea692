package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import dev.imperium.server.AcceptGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small parts of the master's operations: stats lines, the rotated log's name, the pause gate. */
class MasterOpsPartsTest {
    @Test
    void statsPrintTheConfigAsUwsgiThenOneLinePerWorker() {
        VassalConfig config = new VassalConfig(Path.of("v.ini"), List.of(
                new ConfigEntry("http-socket", ":8080", new Origin(Path.of("v.ini"), 2)),
                new ConfigEntry("master", "", new Origin(Path.of("v.ini"), 3))), List.of());
        List<String> lines = MasterStats.lines(config, 3, "running", true,
                List.of(new MasterStats.Worker(1, 42, "accepting", 3, 12)));
        assertThat(lines).containsSubsequence(";uWSGI instance configuration", "[uwsgi]", "http-socket = :8080",
                "master = true", ";end of configuration", "\tgeneration 3 (running, paused), 1 worker process(es)",
                "-----------------", "\tworker 1 (pid: 42) accepting, generation 3, running for 12 second(s)",
                "-----------------");
    }

    @Test
    void aPausedGateRefusesUntilResumedThenAsksTheInnerGate() throws Exception {
        boolean[] free = {true};
        PauseGate gate = new PauseGate(timeout -> free[0]);
        assertThat(gate.awaitCapacity(Duration.ZERO)).isTrue();
        gate.paused(true);
        assertThat(gate.awaitCapacity(Duration.ZERO)).isFalse();
        long start = System.nanoTime();
        assertThat(gate.awaitCapacity(Duration.ofMillis(30))).isFalse();
        assertThat(System.nanoTime() - start).as("waits instead of spinning").isGreaterThan(20_000_000L);
        Thread resumer = Thread.ofVirtual().start(() -> gate.paused(false));
        assertThat(gate.awaitCapacity(Duration.ofSeconds(10))).as("resumed while waiting").isTrue();
        resumer.join();
        free[0] = false;
        assertThat(gate.awaitCapacity(Duration.ZERO)).isFalse();
        assertThat(new PauseGate(AcceptGate.OPEN).paused()).isFalse();
    }
}
