package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * On-demand vassals (issue 7) with the built {@code bin/emperor} and a real JWSGI vassal: the emperor binds the
 * socket named by {@code hello.ini.socket} ({@code --emperor-on-demand-extension}), the first connection starts the
 * vassal, which serves that very connection on the socket it got as fd 0; after {@code idle} seconds it asks to stop
 * (message 22) and the emperor puts it back to sleep. Several cycles in a row, a touch while asleep, the removal of
 * the file, and an ordinary vassal's {@code die-on-idle}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OnDemandIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern SPAWNED = Pattern.compile("\\[emperor] vassal hello\\.ini generation 1 accepting "
            + "\\(pid (\\d+)");

    @TempDir
    Path root;

    private EmperorFixture emperor;

    @AfterEach
    void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    private static String helloIni(int port, String extra) {
        return Dist.helloVassal(port, extra);
    }

    private static RawHttp.Response get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(60));
    }

    private static String stats(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static int count(String text, String literal) {
        return text.split(Pattern.quote(literal), -1).length - 1;
    }

    private Set<Long> masters() {
        Set<Long> pids = new HashSet<>();
        Matcher m = SPAWNED.matcher(emperor.log());
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    @Test
    void sleepsAndWakesUpAgainWithoutLosingTheConnectionThatWakesIt() throws Exception {
        int port = FreePorts.next();
        int statsPort = FreePorts.next();
        emperor = EmperorFixture.start(root, "--emperor-on-demand-extension", ".socket", "--emperor-stats",
                "127.0.0.1:" + statsPort, "--reload-mercy", "10");
        Files.writeString(emperor.vassals().resolve("hello.ini.socket"), "127.0.0.1:" + port + "\n");
        emperor.deploy("hello.ini", helloIni(port, "idle = 1\ndie-on-idle = true"));

        emperor.awaitLog("hello\\.ini -> \"on demand\" instance detected, waiting for connections on socket "
                + "\"127\\.0\\.0\\.1:" + port + "\"", START);
        assertThat(emperor.log()).doesNotContain("spawning vassal hello.ini");
        String asleep = stats(statsPort);
        assertThat(asleep).containsPattern("\"id\":\\s*\"hello\\.ini\",\\s*\"pid\":\\s*-1,")
                .containsPattern("\"on_demand\":\\s*\"127\\.0\\.0\\.1:" + port + "\"")
                .containsPattern("\"status\":\\s*\"on_demand\"");

        Set<Long> seen = new HashSet<>();
        for (int cycle = 1; cycle <= 3; cycle++) {
            RawHttp.Response waking = get(port); // nobody listens but the emperor: this request starts the vassal
            assertThat(waking.status()).as("cycle %d", cycle).isEqualTo(200);
            int woken = cycle;
            await("a new master, cycle " + cycle).atMost(START).until(() -> masters().size() == woken);
            seen.addAll(masters());
            int sleeps = cycle;
            await("back to sleep, cycle " + cycle).atMost(START).pollInterval(Duration.ofMillis(100))
                    .until(() -> count(emperor.log(), "-> back to \"on demand\" mode") >= sleeps);
            assertThat(emperor.log()).contains("bringing back instance hello.ini to on-demand mode");
        }
        assertThat(stats(statsPort)).containsPattern("\"id\":\\s*\"hello\\.ini\",\\s*\"pid\":\\s*-1,");
        for (long pid : seen) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("master %d", pid).isFalse();
        }

        // a touch while asleep only records the new file
        int spawns = count(emperor.log(), "spawning vassal hello.ini");
        emperor.touch("hello.ini");
        emperor.awaitLog("updated configuration for \"on demand\" instance hello\\.ini", START);
        assertThat(count(emperor.log(), "spawning vassal hello.ini")).isEqualTo(spawns);

        // and it still wakes up
        assertThat(get(port).status()).isEqualTo(200);
        await("back to sleep after the touch").atMost(START).pollInterval(Duration.ofMillis(100))
                .until(() -> count(emperor.log(), "-> back to \"on demand\" mode") >= 4);

        // removing the file closes the socket
        emperor.remove("hello.ini");
        emperor.awaitLog("removed uwsgi instance hello\\.ini", START);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void anOrdinaryVassalThatDiesOnIdleIsStoppedAndStartedAgain() {
        int port = FreePorts.next();
        emperor = EmperorFixture.start(root, "--reload-mercy", "10");
        emperor.deploy("hello.ini", helloIni(port, "idle = 1\ndie-on-idle = true"));
        long first = emperor.awaitGeneration("hello.ini", 1, START);
        assertThat(get(port).status()).isEqualTo(200);
        emperor.awaitLog("stop the uwsgi instance hello\\.ini", START);
        long second = emperor.awaitGeneration("hello.ini", 1, START, pid -> pid != first);
        assertThat(second).isNotEqualTo(first);
        assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
