package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ImperiumCli;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Every {@code imperium} subcommand against a real emperor running a real JWSGI vassal, as an operator uses them: the
 * status table and its JSON, a reload seen in the vassal's own log, stop and start, logs and logs -f, top, check, and
 * a user who is not the emperor's being refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path root;

    private static EmperorFixture emperor;
    private static int port;

    @BeforeAll
    static void startEmperor() throws Exception {
        // traversable by others, so that a refusal below comes from the socket's own mode (0600)
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        emperor = EmperorFixture.start(root);
        port = FreePorts.next();
        emperor.deploy("app.ini", """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 2
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                """.formatted(port, Dist.helloJar()));
        emperor.awaitGeneration("app.ini", 1, START);
    }

    @AfterAll
    static void stopEmperor() {
        if (emperor != null) {
            emperor.close();
        }
    }

    private static ImperiumCli.Result imperium(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-socket";
        all[args.length + 1] = emperor.controlSocket().toString();
        return ImperiumCli.run(all);
    }

    private static String get(String path) {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    private static void awaitServing() {
        await().atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> imperium("status", "app.ini").exit() == 0);
    }

    @Test
    void statusShowsTheVassalAsATableAndAsJson() {
        awaitServing();
        ImperiumCli.Result status = imperium("status");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).startsWith("VASSAL   STATE")
                .containsPattern("(?m)^app\\.ini +RUNNING +\\d+ +\\d+ +(-|\\d+/2) +0:\\d\\d:\\d\\d +\\d+ +-$");

        ImperiumCli.Result json = imperium("status", "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).startsWith("{\"type\":\"status\",\"ok\":true,\"emperor\":{\"pid\":"
                + emperor.process().pid()).contains("\"name\":\"app.ini\",\"state\":\"running\",\"detail\":\"RUNNING\"");

        ImperiumCli.Result unknown = imperium("status", "nope.ini");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("imperium: no vassal nope.ini in " + emperor.vassals());
    }

    @Test
    void reloadAnswersWithTheNewGenerationAndTheVassalLogsIt() {
        awaitServing();
        ImperiumCli.Result reload = imperium("reload", "app.ini");
        assertThat(reload.exit()).as(reload.toString()).isZero();
        Matcher m = Pattern.compile("^app\\.ini: generation (\\d+) accepting \\(pid (\\d+)\\)$", Pattern.MULTILINE)
                .matcher(reload.out());
        assertThat(m.find()).as(reload.out()).isTrue();
        int generation = Integer.parseInt(m.group(1));
        assertThat(generation).isGreaterThanOrEqualTo(2);
        emperor.awaitLog("\\.\\.\\.graceful reload of app\\.ini requested by emperor: starting generation "
                + generation, Duration.ofSeconds(10));
        // the same line, from the emperor's own buffer of the vassal's output
        ImperiumCli.Result logs = imperium("logs", "app.ini");
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).contains("...graceful reload of app.ini requested by emperor: starting generation "
                + generation + "...");
        assertThat(get("/")).isEqualTo("Hello from JWSGI\n");

        ImperiumCli.Result all = imperium("reload", "--all", "--json");
        assertThat(all.exit()).isZero();
        assertThat(all.out()).startsWith("{\"type\":\"results\",\"ok\":true,\"results\":[{\"vassal\":\"app.ini\",\"ok\":true,"
                + "\"message\":\"generation " + (generation + 1) + " accepting");
    }

    @Test
    void stopKeepsTheVassalStoppedUntilStart() {
        awaitServing();
        ImperiumCli.Result stop = imperium("stop", "app.ini");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        assertThat(stop.out()).isEqualTo("app.ini: stopped\n");
        assertThat(dev.imperium.tests.support.Ports.isListening(port)).isFalse();
        assertThat(emperor.vassals().resolve("app.ini")).exists();
        ImperiumCli.Result status = imperium("status");
        assertThat(status.exit()).as("a vassal is not serving").isEqualTo(1);
        assertThat(status.out()).containsPattern("(?m)^app\\.ini +STOPPED +- ");
        assertThat(imperium("reload", "app.ini").out()).isEqualTo("app.ini: ERROR stopped: start it with 'imperium"
                + " start app.ini'\n");

        ImperiumCli.Result start = imperium("start", "app.ini");
        assertThat(start.exit()).as(start.toString()).isZero();
        assertThat(start.out()).matches("app\\.ini: generation 1 accepting \\(pid \\d+\\)\n");
        assertThat(get("/")).isEqualTo("Hello from JWSGI\n");
        assertThat(imperium("start", "app.ini").out()).startsWith("app.ini: already running");
    }

    @Test
    void logsPrintTheKeptOutputAndFollowNewLines() {
        awaitServing();
        ImperiumCli.Result tail = imperium("logs", "app.ini", "-n", "3");
        assertThat(tail.exit()).isZero();
        assertThat(tail.out().lines()).hasSize(3);

        Path followed = root.resolve("follow.log");
        String marker = UUID.randomUUID().toString();
        try (ManagedProcess follow = ManagedProcess.builder("imperium logs -f", List.of(Dist.bin("imperium").toString(),
                        "logs", "-f", "-n", "0", "app.ini", "--control-socket", emperor.controlSocket().toString()))
                .log(followed).env("JAVA_HOME", System.getProperty("java.home")).env(Orphans.MARKER, marker)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                get("/followed");
                return follow.log().contains("GET /followed => generated");
            });
            assertThat(follow.isAlive()).as("still following").isTrue();
        }
        Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "imperium logs -f");
    }

    @Test
    void topShowsTwoFramesAndStops() {
        awaitServing();
        ImperiumCli.Result top = imperium("top", "--iterations", "2");
        assertThat(top.exit()).as(top.toString()).isZero();
        assertThat(Pattern.compile("(?m)^imperium top - ").matcher(top.out()).results().count()).isEqualTo(2);
        assertThat(top.out()).contains("VASSAL", "app.ini");
        // before the vassals report stats, top says so; once they do, it shows their workers
        assertThat(top.out()).containsAnyOf("stats are not available", "app.ini    1  ");

        ImperiumCli.Result json = imperium("top", "-n", "1", "--json");
        assertThat(json.out().lines()).hasSize(1).allMatch(l -> l.startsWith("{\"type\":\"status\""));
    }

    @Test
    void checkReportsFileLineAndExitCodesAndRunsNothing() throws Exception {
        Path good = Files.writeString(root.resolve("good.ini"), "[uwsgi]\nhttp-socket = :8080\njwsgi = a.B\n");
        Path ran = root.resolve("ran");
        Path bad = Files.writeString(root.resolve("bad.ini"), "[uwsgi]\nhttp-socket = :8080\n"
                + "harakiri-graceful-signal = 99\nchdir = @(exec://touch " + ran + ")\n");
        ImperiumCli.Result ok = ImperiumCli.run("check", good.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).isEqualTo(good + ": ok\n");
        ImperiumCli.Result failed = ImperiumCli.run("check", good.toString(), bad.toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).contains(good + ": ok\n", bad + ":3: error: option 'harakiri-graceful-signal' must"
                + " be a signal number (1-64), got 99");
        assertThat(ran).doesNotExist();
        assertThat(ImperiumCli.run("check").exit()).isEqualTo(2);
    }

    @Test
    void someoneElseThanTheEmperorsUserIsRefused() throws Exception {
        assumeThat(System.getProperty("user.name")).as("needs root to switch users").isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(emperor.controlSocket())))
                .isEqualTo("rw-------");
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                "HOME=/tmp");
        ImperiumCli.Result refused = ImperiumCli.run(asNobody, Duration.ofSeconds(60), "stop", "app.ini",
                "--control-socket", emperor.controlSocket().toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(4);
        assertThat(refused.err()).contains("permission denied on " + emperor.controlSocket());
        awaitServing(); // still running
    }
}
