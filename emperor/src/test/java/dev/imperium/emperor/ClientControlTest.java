package dev.imperium.emperor;

import dev.imperium.emperor.client.ControlClient;
import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import dev.imperium.emperor.client.VassalStatus;
import dev.imperium.emperor.stats.StatsReport;
import dev.imperium.os.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static dev.imperium.emperor.FakeVassals.drop;
import static dev.imperium.emperor.FakeVassals.touch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The emperor's client control socket driven the way {@code imperium} drives it, against real {@link FakeVassal}
 * processes: status, reload, stop/start (and the hold between them), logs, unknown names, the socket file itself.
 */
@Timeout(120)
class ClientControlTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Path dir;
    private Path socket;
    private final String marker = "client-control-test-" + UUID.randomUUID();
    private final CapturingSink out = new CapturingSink();
    private final List<Emperor> emperors = new ArrayList<>();

    private Emperor start(UnaryOperator<EmperorSettings> tweak) throws Exception {
        dir = Files.createDirectories(tmp.resolve("vassals"));
        socket = tmp.resolve("emperor.sock");
        EmperorSettings settings = FakeVassals.testSettings(dir, marker);
        Emperor emperor = new Emperor(tweak.apply(settings), out);
        emperor.clientControlSocket(socket, false);
        emperor.start();
        emperors.add(emperor);
        return emperor;
    }

    @AfterEach
    void bury() throws Exception {
        for (Emperor emperor : emperors) {
            emperor.shutdown();
            assertThat(emperor.awaitBuried(Duration.ofSeconds(30))).as("buried").isTrue();
        }
        try {
            FakeVassals.assertAllGone(marker);
        } finally {
            FakeVassals.alive(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private ControlClient connect() throws ControlClientException {
        return ControlClient.connect(socket, Credentials.effectiveUid()).timeout(T.plusSeconds(30));
    }

    private ControlReply ask(ControlRequest request) throws ControlClientException {
        try (ControlClient client = connect()) {
            client.send(request);
            return client.read();
        }
    }

    private VassalStatus status(String name) throws ControlClientException {
        ControlReply.Status s = (ControlReply.Status) ask(ControlRequest.status());
        return s.vassals().stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    private ControlReply.CommandResult result(ControlRequest request) throws ControlClientException {
        ControlReply reply = ask(request);
        assertThat(reply).isInstanceOf(ControlReply.Results.class);
        List<ControlReply.CommandResult> results = ((ControlReply.Results) reply).results();
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    private void awaitRunning(String name) {
        await().atMost(T).pollInterval(Duration.ofMillis(50)).until(() -> {
            VassalStatus v = status(name);
            return v != null && v.state() == VassalStatus.State.RUNNING;
        });
    }

    @Test
    void statusShowsEachVassalWithItsStatePidAndGeneration() throws Exception {
        start(UnaryOperator.identity());
        drop(dir, "app.ini", "mode = ok\n");
        awaitRunning("app.ini");
        ControlReply.Status s = (ControlReply.Status) ask(ControlRequest.status());
        assertThat(s.emperor().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(s.emperor().vassalsDir()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        VassalStatus v = s.vassals().getFirst();
        assertThat(v.name()).isEqualTo("app.ini");
        assertThat(v.detail()).isEqualTo("RUNNING");
        assertThat(v.pid()).isEqualTo(FakeVassals.pidOf(out, "app.ini"));
        assertThat(v.generation()).isEqualTo(1);
        assertThat(v.uptimeSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(v.restarts()).isZero();
        assertThat(v.lastError()).isNull();
        assertThat(v.statsJson()).as("no stats report yet").isNull();
        assertThat(v.workersTotal()).isEqualTo(-1);
    }

    @Test
    void reloadAnswersOnceTheNewGenerationAccepts() throws Exception {
        start(UnaryOperator.identity());
        drop(dir, "app.ini", "mode = ok\n");
        awaitRunning("app.ini");
        long pid = FakeVassals.pidOf(out, "app.ini");
        ControlReply.CommandResult r = result(ControlRequest.reload("app.ini", true));
        assertThat(r.ok()).isTrue();
        assertThat(r.message()).isEqualTo("generation 2 accepting (pid " + pid + ")");
        assertThat(out.count(0, "\\[emperor] reload the uwsgi instance app\\.ini$")).isEqualTo(1);
        ControlReply all = ask(ControlRequest.reloadAll(true));
        assertThat(((ControlReply.Results) all).results()).extracting(ControlReply.CommandResult::message)
                .containsExactly("generation 3 accepting (pid " + pid + ")");
    }

    @Test
    void aRefusedReloadIsAFailedResultWithTheVassalsReason() throws Exception {
        start(UnaryOperator.identity());
        drop(dir, "app.ini", "mode = ok\n");
        awaitRunning("app.ini");
        int mark = out.mark();
        drop(dir, "app.ini", "mode = ok\nreload = fail\n"); // the emperor reloads it at once; refused
        out.await(mark, "vassal app\\.ini refused the reload", T);
        ControlReply.CommandResult r = result(ControlRequest.reload("app.ini", true));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("reload refused: config error: reload = fail in app.ini; generation 1 keeps"
                + " serving");
        assertThat(status("app.ini").lastError()).startsWith("reload refused: config error");
    }

    @Test
    void stopHoldsTheVassalWhileItsFileStaysUntilStartOrATouch() throws Exception {
        Emperor emperor = start(UnaryOperator.identity());
        drop(dir, "app.ini", "mode = ok\n");
        awaitRunning("app.ini");
        long pid = FakeVassals.pidOf(out, "app.ini");

        ControlReply.CommandResult stopped = result(ControlRequest.stop("app.ini", true));
        assertThat(stopped.ok()).isTrue();
        assertThat(stopped.message()).isEqualTo("stopped");
        assertThat(FakeVassals.isAlive(pid)).isFalse();
        emperor.rescan();
        VassalStatus held = status("app.ini");
        assertThat(held.state()).isEqualTo(VassalStatus.State.STOPPED);
        assertThat(held.pid()).isEqualTo(-1);
        assertThat(result(ControlRequest.stop("app.ini", true)).message()).isEqualTo("already stopped");
        ControlReply.CommandResult reload = result(ControlRequest.reload("app.ini", true));
        assertThat(reload.ok()).isFalse();
        assertThat(reload.message()).isEqualTo("stopped: start it with 'imperium start app.ini'");

        ControlReply.CommandResult started = result(ControlRequest.start("app.ini", true));
        assertThat(started.ok()).isTrue();
        assertThat(started.message()).matches("generation 1 accepting \\(pid \\d+\\)");
        assertThat(status("app.ini").state()).isEqualTo(VassalStatus.State.RUNNING);
        assertThat(result(ControlRequest.start("app.ini", true)).message()).startsWith("already running");

        // A touch starts a held vassal, as a new file would.
        assertThat(result(ControlRequest.stop("app.ini", true)).ok()).isTrue();
        touch(dir.resolve("app.ini"));
        awaitRunning("app.ini");
    }

    @Test
    void startOfAVassalThatCannotStartAnswersWithItsFailure() throws Exception {
        start(s -> s.withBackoff(new BackoffPolicy(Duration.ofSeconds(60), Duration.ofSeconds(60), 0)));
        drop(dir, "crash.ini", "mode = crash-at-start\nexit-code = 3\n");
        out.await(0, "respawning vassal crash\\.ini in 60 s", T);
        VassalStatus backoff = status("crash.ini");
        assertThat(backoff.state()).isEqualTo(VassalStatus.State.BACKOFF);
        assertThat(backoff.backoffSeconds()).isBetween(1.0, 60.0);
        assertThat(backoff.restarts()).isEqualTo(1);
        assertThat(backoff.lastError()).isEqualTo("exited with code 3; last FATAL: cannot load app: boom");
        assertThat(backoff.lastErrorEpochSeconds()).isPositive();

        long t0 = System.nanoTime();
        ControlReply.CommandResult r = result(ControlRequest.start("crash.ini", true));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith("failed: exited with code 3; last FATAL: cannot load app: boom; next"
                + " attempt in ");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("retried now, not after the backoff")
                .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void logsSendTheKeptOutputAndFollowNewLines() throws Exception {
        start(UnaryOperator.identity());
        drop(dir, "app.ini", "mode = ok\n");
        awaitRunning("app.ini");
        List<String> lines = new ArrayList<>();
        try (ControlClient client = connect()) {
            client.send(ControlRequest.logs("app.ini", -1, false));
            assertThat(client.read()).isEqualTo(new ControlReply.LogsStart("app.ini", 0));
            for (ControlReply r = client.read(); !(r instanceof ControlReply.LogsEnd); r = client.read()) {
                lines.add(((ControlReply.LogLine) r).text());
            }
        }
        assertThat(lines).anyMatch(l -> l.matches("fake-vassal app\\.ini pid \\d+ started in .*"))
                .contains("fake-vassal app.ini generation 1 accepting");

        List<String> followed = new CopyOnWriteArrayList<>();
        ControlClient follower = connect();
        follower.send(ControlRequest.logs("app.ini", 1, true));
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    if (follower.read() instanceof ControlReply.LogLine l) {
                        followed.add(l.text());
                    }
                }
            } catch (ControlClientException e) {
                // closed
            }
        });
        try {
            await().atMost(T).until(() -> followed.contains("fake-vassal app.ini generation 1 accepting"));
            assertThat(result(ControlRequest.reload("app.ini", true)).ok()).isTrue();
            await().atMost(T).until(() -> followed.contains("fake-vassal app.ini generation 2 accepting"));
            assertThat(followed).hasSize(2);
        } finally {
            follower.close();
            reader.join(5000);
        }
    }

    @Test
    void anUnknownVassalIsNotFound() throws Exception {
        start(UnaryOperator.identity());
        for (ControlRequest r : List.of(ControlRequest.status("nope.ini"), ControlRequest.reload("nope.ini", true),
                ControlRequest.stop("nope.ini", true), ControlRequest.start("nope.ini", true),
                ControlRequest.logs("nope.ini", 10, false))) {
            ControlReply reply = ask(r);
            assertThat(reply).as(r.op().wireName()).isInstanceOf(ControlReply.Failure.class);
            assertThat(((ControlReply.Failure) reply).reason()).isEqualTo(ControlReply.Failure.NOT_FOUND);
            assertThat(((ControlReply.Failure) reply).message()).isEqualTo("no vassal nope.ini in "
                    + dir.toAbsolutePath().normalize());
        }
    }

    @Test
    void theSocketIsPrivateTakenOnlyOnceAndRemovedAtTheEnd() throws Exception {
        Emperor emperor = start(UnaryOperator.identity());
        assertThat(emperor.clientControlSocket()).isEqualTo(socket);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(out.count(0, "\\[emperor] listening for imperium on " + socket + " \\(mode 0600\\)$"))
                .isEqualTo(1);

        Emperor second = new Emperor(EmperorSettings.defaults(dir, FakeVassals.command(marker)), out);
        second.clientControlSocket(socket, false);
        assertThatThrownBy(second::start).isInstanceOf(EmperorStartException.class)
                .hasMessageContaining("is in use by another emperor");

        emperor.shutdown();
        assertThat(emperor.awaitBuried(T)).isTrue();
        emperors.clear();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> ControlClient.connect(socket, Credentials.effectiveUid()))
                .isInstanceOf(ControlClientException.class)
                .extracting(e -> ((ControlClientException) e).kind())
                .isEqualTo(ControlClientException.Kind.NOT_RUNNING);
    }

    @Test
    void aStaleSocketLeftByAKilledEmperorIsReplaced() throws Exception {
        Path stale = tmp.resolve("emperor.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        start(UnaryOperator.identity());
        assertThat(ask(ControlRequest.status())).isInstanceOf(ControlReply.Status.class);
    }

    @Test
    void aFileInPlaceOfTheSocketStopsTheStart() throws IOException {
        Files.writeString(tmp.resolve("emperor.sock"), "not a socket");
        assertThatThrownBy(() -> start(UnaryOperator.identity())).isInstanceOf(EmperorStartException.class)
                .hasMessageContaining("exists and is not a socket");
        emperors.clear();
    }

    @Test
    void statusCarriesTheLatestStatsReportAndItsWorkerCounts() throws Exception {
        start(UnaryOperator.identity());
        Path report = Files.writeString(tmp.resolve("report.json"), "{\"version\":\"2.0.21\",\"listen_queue\":0,"
                + "\"workers\":[{\"id\":1,\"pid\":11,\"requests\":5,\"status\":\"busy\",\"avg_rt\":900},"
                + "{\"id\":2,\"pid\":12,\"requests\":7,\"status\":\"idle\"}],\"imperium\":{\"generation\":1}}");
        drop(dir, "app.ini", "mode = ok\nreport = " + report + "\n");
        out.await(0, "fake-vassal app\\.ini reported stats", T);
        await().atMost(T).until(() -> status("app.ini").statsJson() != null);
        VassalStatus v = status("app.ini");
        assertThat(v.workersBusy()).isEqualTo(1);
        assertThat(v.workersTotal()).isEqualTo(2);
        assertThat(StatsReport.parse(v.statsJson()).requests()).isEqualTo(12);
    }
}
