package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.LoadLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7: broodlord, as an operator sees it with the built {@code bin/emperor} and real JWSGI vassals: a lord with
 * one worker under a bounded load loop asks for help ({@code vassal-sos}), the emperor
 * ({@code --emperor-broodlord 1}) starts its zerg from the {@code [zerg]} section, the zerg takes the lord's socket
 * from its zerg server and serves requests itself (they show in the log on the zerg's worker pid), the load stops,
 * the zerg leaves ({@code idle} + {@code die-on-idle}), and removing the lord leaves no process behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BroodlordIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close(); // no process of the emperor's tree may be left
        }
    }

    private static String lordIni(int port, Path zergServer) {
        String app = "jvm-classpath = " + Dist.testApps() + "\njwsgi = dev.imperium.tests.apps.ThreadApp\n";
        return """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 1
                zerg-server = %s
                vassal-sos = 1
                %s
                [zerg]
                zerg = %s
                processes = 1
                idle = 2
                die-on-idle = true
                %s
                """.formatted(port, zergServer, app, zergServer, app);
    }

    @Test
    void aZergJoinsUnderLoadServesTheLordsSocketAndLeavesWhenIdle() throws Exception {
        int port = FreePorts.next();
        Path zergServer = root.resolve("brood.sock");
        emperor = EmperorFixture.start(root, "--emperor-broodlord", "1", "--reload-mercy", "10");
        emperor.deploy("app.ini", lordIni(port, zergServer));
        emperor.awaitGeneration("app.ini", 1, START);
        emperor.awaitLog("\\[app\\.ini] \\*\\*\\* Zerg server enabled on " + Pattern.quote(zergServer.toString())
                + " \\*\\*\\*", START);

        long zergMaster;
        try (LoadLoop load = LoadLoop.start(port, "/sleep?ms=30", 0, 6, Duration.ofSeconds(60))) {
            emperor.awaitLog("\\[app\\.ini] .*asking Emperor for reinforcements \\(overload: \\d+\\)\\.\\.\\.", START);
            emperor.awaitLog("\\[emperor] going in broodlord mode: launching zergs for app\\.ini", START);
            zergMaster = emperor.awaitGeneration("app.ini:zerg", 1, START);
            emperor.awaitLog("\\[app\\.ini:zerg] uwsgi zerg socket 0 attached to INET address 127\\.0\\.0\\.1:" + port
                    + " fd \\d+", START);
            // requests served by the zerg's own worker, on the lord's port
            Set<Long> zergWorkers = EmperorFixture.workers(zergMaster);
            assertThat(zergWorkers).hasSize(1);
            long zergWorker = zergWorkers.iterator().next();
            await("a request served by the zerg's worker").atMost(Duration.ofSeconds(30))
                    .until(() -> servedBy(emperor.log(), "app.ini:zerg", zergWorker) > 0);
            load.stop();
            assertThat(load.ok()).isPositive();
            assertThat(load.failures()).as("no request lost while the zerg joined").isEmpty();
        }

        // no load: the zerg is idle for more than 2 s, asks to leave, and the emperor stops it
        emperor.awaitLog("\\[app\\.ini:zerg] workers have been inactive for more than 2 seconds", START);
        emperor.awaitLog("(?m)\\[emperor] stop the uwsgi instance app\\.ini:zerg$", START);
        emperor.awaitLog("(?m)\\[emperor] removed uwsgi instance app\\.ini:zerg$", START);
        await("the zerg's processes are gone").atMost(Duration.ofSeconds(20))
                .until(() -> ProcessHandle.of(zergMaster).map(p -> !p.isAlive()).orElse(true));
        assertThat(count(emperor.log(), "going in broodlord mode")).as("emperor-broodlord 1: one zerg at a time")
                .isEqualTo(1);
        assertThat(emperor.log()).doesNotContain("respawning vassal app.ini:zerg");

        // the lord serves on alone
        assertThat(dev.imperium.tests.support.RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close"
                + "\r\n\r\n", false, Duration.ofSeconds(10)).status()).isEqualTo(200);
        emperor.remove("app.ini");
        emperor.awaitLog("(?m)\\[emperor] removed uwsgi instance app\\.ini$", START);
    }

    /** Counts the request lines of {@code vassal}'s output logged by worker {@code pid}. */
    private static long servedBy(String log, String vassal, long pid) {
        Matcher m = Pattern.compile("\\[" + Pattern.quote(vassal) + "] \\[pid: " + pid + "\\|app: \\d+\\|req: "
                + "\\d+/\\d+] .* GET /sleep").matcher(log);
        return m.results().count();
    }

    private static long count(String log, String regex) {
        return Pattern.compile(regex).matcher(log).results().count();
    }
}
