package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.imperium.emperor.FakeVassals.drop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emperor as a systemd {@code Type=notify} service, supervising real {@link FakeVassal} processes: READY=1
 * once the vassals found by the first scan were spawned, STATUS as the count changes, watchdog pings, STOPPING=1
 * and the last status at Ragnarok.
 */
@Timeout(120)
class EmperorSystemdTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @TempDir
    Path runtime;

    private final String marker = "emperor-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private Emperor emperor;

    @AfterEach
    void bury() throws Exception {
        FakeVassals.bury(emperor, marker);
    }

    @Test
    void readyAfterTheFirstScanSpawnedItsVassalsThenStatusAndStopping() throws Exception {
        Path vassals = Files.createDirectories(dir.resolve("vassals"));
        drop(vassals, "a.ini", "mode = ok\n");
        drop(vassals, "b.ini", "mode = ok\n");
        Files.setLastModifiedTime(vassals.resolve("a.ini"), java.nio.file.attribute.FileTime.fromMillis(0));
        Files.setLastModifiedTime(vassals.resolve("b.ini"), java.nio.file.attribute.FileTime.fromMillis(0));
        try (NotifyReceiver systemd = NotifyReceiver.at(runtime.resolve("notify"))) {
            EmperorSettings settings = EmperorSettings.defaults(vassals, FakeVassals.command(marker))
                    .withReloadMercy(Duration.ofSeconds(2)).withStartConcurrency(0);
            emperor = new Emperor(settings, out, new CommonsExecLauncher(out), Clock.systemDefaultZone(),
                    new Random(7)).withSystemd(NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", systemd.address(),
                    "WATCHDOG_USEC", "1000000"), ProcessHandle.current().pid()));
            emperor.start();

            String ready = systemd.await(m -> m.startsWith("READY=1"), T);
            assertThat(ready).isEqualTo("READY=1\nSTATUS=The Emperor is governing 2 vassals");
            assertThat(out.indexOf(0, "\\[emperor] spawning vassal a\\.ini: ")).as("a.ini spawned").isNotNegative();
            assertThat(out.indexOf(0, "\\[emperor] spawning vassal b\\.ini: ")).as("b.ini spawned").isNotNegative();

            drop(vassals, "c.ini", "mode = ok\n");
            systemd.await(m -> m.equals("STATUS=The Emperor is governing 3 vassals"), T);
            Files.delete(vassals.resolve("a.ini"));
            systemd.await(m -> m.equals("STATUS=The Emperor is governing 2 vassals"), T);

            emperor.shutdown();
            systemd.await(m -> m.equals("STOPPING=1\nSTATUS=The Emperor is stopping 2 vassals"), T);
            systemd.await(m -> m.equals("STATUS=The Emperor is buried."), T);
            assertThat(emperor.awaitBuried(T)).isTrue();
            // the watchdog was pinged every half second all along
            assertThat(systemd.received()).contains("WATCHDOG=1");
            assertThat(systemd.received().indexOf("READY=1\nSTATUS=The Emperor is governing 2 vassals"))
                    .isEqualTo(systemd.received().lastIndexOf("READY=1\nSTATUS=The Emperor is governing 2 vassals"));
        }
    }
}
