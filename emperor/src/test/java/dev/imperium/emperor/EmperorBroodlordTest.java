package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import static dev.imperium.emperor.FakeVassals.drop;
import static dev.imperium.emperor.FakeVassals.isAlive;
import static dev.imperium.emperor.FakeVassals.pidOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7: broodlord. The emperor starting zergs for {@link FakeVassal} lords that send message 30, counting them
 * against {@code emperor-broodlord}, stopping one that sends message 22, never respawning one, and stopping them with
 * their lord.
 */
@Timeout(120)
class EmperorBroodlordTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final String marker = "emperor-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Emperor emperor;

    private void start(int broodlord) throws Exception {
        EmperorSettings settings = FakeVassals.testSettings(dir, marker)
                .withBroodlord(new dev.imperium.emperor.broodlord.BroodlordSettings(broodlord));
        emperor = new Emperor(settings, out, new CommonsExecLauncher(out), Clock.systemDefaultZone(), new Random(7));
        emperor.start();
    }

    @AfterEach
    void bury() throws Exception {
        FakeVassals.bury(emperor, marker);
    }

    @Test
    void aLordGetsOneZergWithinTheLimitAndItLeavesWhenItAsks() throws Exception {
        start(1);
        drop(dir, "app.ini", "sos-ms = 300\nsos = 3\nzerg-leave-ms = 1500\n");
        out.await(0, "\\[emperor] going in broodlord mode: launching zergs for app\\.ini$", T);
        out.await(0, "spawning vassal app\\.ini:zerg: .*FakeVassal app\\.ini:zerg$", T);
        out.await(0, "\\[emperor] vassal app\\.ini:zerg is ready to accept requests$", T);
        out.await(0, "fake-vassal app\\.ini asks for reinforcements", T);
        out.await(0, "\\[emperor] stop the uwsgi instance app\\.ini:zerg$", T);
        out.await(0, "\\[emperor] removed uwsgi instance app\\.ini:zerg$", T);
        await().atMost(T).until(() -> emperor.stateOf("app.ini:zerg") == null);
        assertThat(out.count(0, "going in broodlord mode")).as("the limit is 1").isEqualTo(1);
        assertThat(emperor.stateOf("app.ini")).isEqualTo(VassalState.RUNNING);
    }

    @Test
    void removingTheLordStopsItsZergs() throws Exception {
        start(2);
        drop(dir, "app.ini", "sos-ms = 200\nsos = 2\n");
        out.await(0, "vassal app\\.ini:zerg is ready to accept requests$", T);
        out.await(0, "vassal app\\.ini:zerg#2 is ready to accept requests$", T);
        long zerg = pidOf(out, "app.ini:zerg");
        assertThat(zerg).isPositive();
        Files.delete(dir.resolve("app.ini"));
        out.await(0, "\\[emperor] removed uwsgi instance app\\.ini$", T);
        out.await(0, "\\[emperor] removed uwsgi instance app\\.ini:zerg$", T);
        out.await(0, "\\[emperor] removed uwsgi instance app\\.ini:zerg#2$", T);
        await().atMost(T).until(() -> !isAlive(zerg));
        assertThat(out.count(0, "respawning vassal app\\.ini:zerg")).isZero();
    }
}
