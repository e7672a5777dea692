package dev.imperium.tests;

import dev.imperium.tests.support.BlockingRequests;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.Ports;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The master FIFO ({@code master-fifo}) driven as uWSGI users drive it, {@code echo r > /path/to/fifo}, and the
 * master's signals SIGUSR1 (stats) and SIGTSTP (pause).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MasterFifoIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private int port;
    private Path fifo;

    private String hello(String extra) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nprocesses = 2\nmaster-fifo = master.fifo\n"
                + "jvm-classpath = " + Dist.helloJar() + "\njwsgi = dev.imperium.samples.hello.HelloApp\n" + extra;
    }

    private String blocking(String extra) {
        return "[uwsgi]\nhttp-socket = 127.0.0.1:" + port + "\nmaster-fifo = master.fifo\njvm-classpath = "
                + Dist.testApps() + "\njwsgi = dev.imperium.tests.apps.BlockingApp\n" + extra;
    }

    private ManagedProcess start(String content) {
        ManagedProcess vassal = vassals.start("v.ini", content);
        if (content.contains("logto = vassal.log")) {
            Path log = dir.resolve("vassal.log");
            await().atMost(START).until(() -> Files.exists(log)
                    && Files.readString(log).contains("generation 1 accepting"));
        } else {
            vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
        }
        fifo = dir.resolve("master.fifo");
        return vassal;
    }

    /** What {@code echo -n TEXT > fifo} does. */
    private void write(String text) throws IOException {
        Files.write(fifo, text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }

    private RawHttp.Response get(String path) {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10));
    }

    /** Sends {@code /block} on its own thread and waits until the app has it. */
    private CompletableFuture<RawHttp.Response> block(Path release) {
        return BlockingRequests.block(port, release, SOON);
    }

    @Test
    void bigCGoesCheapAndTheNextConnectionBringsTheWorkersBack() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(hello(""));
        write("C");
        v.awaitLog(Pattern.compile(Pattern.quote("going cheap...")), SOON);
        v.awaitLog(Pattern.compile(Pattern.quote("cheap mode enabled: waiting for socket connection...")), SOON);
        await().atMost(SOON).until(() -> v.log().split("killed successfully", -1).length - 1 == 2);
        assertThat(get("/").bodyText()).as("the connection that wakes the vassal is served")
                .isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void rReloadsGracefullyAndTheFifoIsAPipeRemovedAtExit() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(hello(""));
        assertThat(fifo).exists();
        assertThat(Files.isRegularFile(fifo)).isFalse();
        Set<Long> before = EmperorFixture.workers(v.pid());

        write("r\n");

        v.awaitLog(Pattern.compile("graceful reload of v\\.ini requested by the master FIFO"), SOON);
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        await().atMost(SOON).until(() -> before.stream().noneMatch(Orphans::running));
        assertThat(EmperorFixture.workers(v.pid())).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(get("/").bodyText()).isEqualTo("Hello from JWSGI\n");

        v.signal("TERM");
        await().atMost(SOON).until(() -> !v.isAlive());
        assertThat(fifo).as("removed at exit").doesNotExist();
    }

    @Test
    void wReplacesTheWorkersWithTheSameConfigWhileRReadsTheFileAgain() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(hello(""));
        Set<Long> before = EmperorFixture.workers(v.pid());
        Files.writeString(dir.resolve("v.ini"), hello("add-header = X-Edited: yes\n"));

        write("w");

        v.awaitLog(Pattern.compile("graceful reload of the workers requested by the master FIFO: starting generation 2"
                + " with the same config"), SOON);
        v.awaitLog(Pattern.compile("generation 2 accepting"), START);
        await().atMost(SOON).until(() -> before.stream().noneMatch(Orphans::running));
        assertThat(EmperorFixture.workers(v.pid())).hasSize(2).doesNotContainAnyElementsOf(before);
        assertThat(get("/").header("X-Edited")).as("the file was not read again").isNull();

        write("r");

        v.awaitLog(Pattern.compile("generation 3 accepting"), START);
        assertThat(get("/").header("X-Edited")).isEqualTo("yes");
    }

    @Test
    void cChainReloadsAndAWorkerFailingToStartLeavesTheOldOnesServing() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(hello(""));
        Set<Long> first = EmperorFixture.workers(v.pid());

        write("c");

        v.awaitLog(Pattern.compile("chain reloading complete"), START);
        await().atMost(SOON).until(() -> first.stream().noneMatch(Orphans::running));
        Set<Long> second = EmperorFixture.workers(v.pid());
        assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);

        // the new app cannot load: the first new worker fails, nothing was replaced, nothing stops serving
        Files.writeString(dir.resolve("v.ini"), hello("need-app = true\n").replace("HelloApp", "NoSuchApp"));
        write("c");

        v.awaitLog(Pattern.compile("chain reload: new worker 1 exited with code 22 .*before accepting; worker 1 of"
                + " generation 2 keeps serving"), START);
        v.awaitLog(Pattern.compile("reload failed: chain reload: .*; generation 2 keeps serving"), SOON);
        assertThat(get("/").bodyText()).isEqualTo("Hello from JWSGI\n");
        assertThat(EmperorFixture.workers(v.pid())).isEqualTo(second);

        // a change the chain cannot apply one worker at a time: a graceful reload instead
        Files.writeString(dir.resolve("v.ini"), hello("").replace("processes = 2", "processes = 1"));
        write("c");

        v.awaitLog(Pattern.compile("chain reload cannot replace the workers one at a time: the number of processes"
                + " changed \\(2 -> 1\\); reloading gracefully instead"), SOON);
        v.awaitLog(Pattern.compile("generation 3 accepting: 1 worker"), START);
        await().atMost(SOON).until(() -> EmperorFixture.workers(v.pid()).size() == 1);
        assertThat(v.log()).doesNotContain("DAMN");
    }

    @Test
    void qStopsGracefullyLettingTheRequestInFlightFinish() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(blocking(""));
        Path release = dir.resolve("release");
        CompletableFuture<RawHttp.Response> inFlight = block(release);

        write("q");

        v.awaitLog(Pattern.compile("graceful shutdown triggered\\.\\.\\."), SOON);
        v.awaitLog(Pattern.compile("Gracefully killing worker 1"), SOON);
        assertThat(v.isAlive()).as("waits for the request").isTrue();
        Files.writeString(release, "");
        assertThat(inFlight.get(20, TimeUnit.SECONDS).bodyText()).isEqualTo("released\n");
        await().atMost(SOON).until(() -> !v.isAlive());
        assertThat(v.exitValue()).isZero();
        assertThat(v.log()).contains("goodbye to uWSGI.");
        assertThat(fifo).doesNotExist();
    }

    @Test
    void bigQStopsAtOnceDroppingTheRequestInFlight() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(blocking(""));
        CompletableFuture<RawHttp.Response> inFlight = block(dir.resolve("never"));

        write("Q");

        await().atMost(Duration.ofSeconds(10)).until(() -> !v.isAlive());
        assertThat(v.log()).contains("SIGINT/SIGTERM received...killing workers...");
        assertThat(inFlight).as("its connection closed without an answer").failsWithin(Duration.ofSeconds(10));
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void pPausesAcceptingUntilTheNextPAndSigtstpDoesTheSame() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(blocking(""));

        write("p");

        v.awaitLog(Pattern.compile("\\*\\*\\* PAUSE \\(press start to resume, if you do not have a joypad send"
                + " SIGTSTP\\) \\*\\*\\*"), SOON);
        CompletableFuture<RawHttp.Response> waiting =
                CompletableFuture.supplyAsync(() -> get("/"), BlockingRequests.OWN_THREAD);
        await("no answer while paused").during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> !waiting.isDone());

        write("p");

        v.awaitLog(Pattern.compile("\\*\\*\\* \\(SIGTSTP received\\) resuming workers \\*\\*\\*"), SOON);
        assertThat(waiting.get(10, TimeUnit.SECONDS).bodyText()).as("the queued client is served").isEqualTo("ok\n");

        v.signal("TSTP");
        v.awaitLog(Pattern.compile("PAUSE \\(press start"), SOON);
        CompletableFuture<RawHttp.Response> again =
                CompletableFuture.supplyAsync(() -> get("/"), BlockingRequests.OWN_THREAD);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !again.isDone());
        v.signal("TSTP");
        assertThat(again.get(10, TimeUnit.SECONDS).bodyText()).isEqualTo("ok\n");
        assertThat(v.isAlive()).isTrue();
    }

    @Test
    void severalCommandsInOneWriteRunInOrderAndSigusr1PrintsTheStats() throws Exception {
        port = FreePorts.next();
        ManagedProcess v = start(hello("pidfile = v.pid\n"));
        Files.delete(dir.resolve("v.pid"));

        write("s+-P\n");

        v.awaitLog(Pattern.compile("writing pidfile to v\\.pid"), SOON);
        String log = v.log();
        int stats = log.indexOf(";uWSGI instance configuration");
        int plus = log.indexOf("cheaper mode not enabled: master fifo '+' ignored");
        int minus = log.indexOf("cheaper mode not enabled: master fifo '-' ignored");
        int pidfile = log.indexOf("writing pidfile to v.pid");
        assertThat(List.of(stats, plus, minus, pidfile)).doesNotContain(-1).isSorted();
        assertThat(log).containsPattern("\tworker 1 \\(pid: \\d+\\) accepting, generation 1, running for \\d+ second")
                .contains("master-fifo = master.fifo", ";end of configuration");
        assertThat(Files.readString(dir.resolve("v.pid")).trim()).isEqualTo(Long.toString(v.pid()));

        v.signal("USR1");

        await().atMost(SOON).until(() -> Pattern.compile(";uWSGI instance configuration").matcher(v.log())
                .results().count() == 2);
        assertThat(v.isAlive()).isTrue();
    }

    @Test
    void bigLRotatesTheLogAndEveryProcessWritesToTheNewFile() throws Exception {
        port = FreePorts.next();
        start(hello("logto = vassal.log\n"));
        Path log = dir.resolve("vassal.log");
        assertThat(get("/").status()).isEqualTo(200);
        await().atMost(SOON).until(() -> Files.readString(log).contains("GET / => generated"));

        write("L");

        await().atMost(SOON).until(() -> rotated().size() == 1);
        Path old = rotated().getFirst();
        await().atMost(SOON).until(() -> Files.readString(old).contains("triggering rotation to " + old));
        for (int i = 0; i < 4; i++) {
            assertThat(get("/").status()).isEqualTo(200);
        }
        await("the request lines in the new file").atMost(SOON).until(() -> Files.exists(log)
                && Pattern.compile("GET / => generated").matcher(Files.readString(log)).results().count() == 4);
        assertThat(Pattern.compile("GET / => generated").matcher(Files.readString(old)).results().count())
                .isEqualTo(1);

        write("l");

        await().atMost(SOON).until(() -> Files.readString(log).contains(log + " reopened."));
    }

    private List<Path> rotated() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("vassal\\.log\\.\\d+")).toList();
        }
    }
}
