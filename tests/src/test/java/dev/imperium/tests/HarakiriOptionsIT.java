package dev.imperium.tests;

import dev.imperium.tests.support.BlockingRequests;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.Orphans;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code harakiri-verbose}, {@code harakiri-graceful-timeout} and {@code harakiri-graceful-signal} on stuck requests. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HarakiriOptionsIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    private int port;

    private ManagedProcess start(String extra) {
        port = FreePorts.next();
        ManagedProcess vassal = vassals.start("stuck.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:" + port
                + "\njvm-classpath = " + Dist.testApps() + "\njwsgi = dev.imperium.tests.apps.BlockingApp\n"
                + "disable-logging = true\n" + extra);
        vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
        return vassal;
    }

    /** Sends {@code /block} on its own thread and waits until the app has it. */
    private CompletableFuture<RawHttp.Response> block(Path release) {
        return BlockingRequests.block(port, release, SOON);
    }

    @Test
    void sighupAsGracefulSignalLetsTheOtherRequestsFinishLogsTheStackThenSigkills() throws Exception {
        ManagedProcess v = start("threads = 2\nharakiri = 1\nharakiri-verbose = true\n"
                + "harakiri-graceful-timeout = 3\nharakiri-graceful-signal = 1\n");
        long worker = EmperorFixture.workers(v.pid()).iterator().next();
        CompletableFuture<RawHttp.Response> stuck = block(dir.resolve("never"));
        Path release = dir.resolve("release");
        CompletableFuture<RawHttp.Response> other = block(release);

        v.awaitLog(Pattern.compile("\\*\\*\\* HARAKIRI ON WORKER 1 \\(pid: " + worker
                + ", try: 1, graceful: yes\\) \\*\\*\\*"), SOON);
        v.awaitLog(Pattern.compile("HARAKIRI: --- uWSGI worker 1 core \\d \\(pid: " + worker + "\\) WAS managing"
                + " request /block\\?file=\\S+never since \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} ---\\n"
                + "\\tat "), SOON);
        assertThat(v.log()).as("the stuck request's own stack, from the worker")
                .containsPattern("\tat \\S*dev\\.imperium\\.tests\\.apps\\.BlockingApp\\.application\\(BlockingApp\\.java")
                .containsPattern("HARAKIRI: -- (syscall|wchan)> ");
        v.awaitLog(Pattern.compile("HARAKIRI: graceful termination attempt on worker 1 with signal 1\\. Next harakiri:"
                + " \\d{10}"), SOON);
        v.awaitLog(Pattern.compile("Respawned uWSGI worker 1 \\(new pid: \\d+\\)"), SOON);
        Files.writeString(release, "");
        assertThat(other.get(20, TimeUnit.SECONDS).bodyText()).as("finished under the graceful signal")
                .isEqualTo("released\n");
        assertThat(Orphans.running(worker)).as("the stuck request holds it until the SIGKILL:%n%s", v.log()).isTrue();

        v.awaitLog(Pattern.compile("\\*\\*\\* HARAKIRI ON WORKER 1 \\(pid: " + worker
                + ", try: 2, graceful: no\\) \\*\\*\\*"), SOON);
        v.awaitLog(Pattern.compile("worker 1 killed successfully \\(pid: " + worker + "\\)"), SOON);
        assertThat(stuck).failsWithin(Duration.ofSeconds(10));
        await().atMost(START).ignoreExceptions().until(() -> "ok\n".equals(RawHttp.send(port,
                "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false, Duration.ofSeconds(10)).bodyText()));
    }

    @Test
    void uwsgisDefaultGracefulSignalEndsTheWorkerAtOnceAndItIsRespawned() throws Exception {
        ManagedProcess v = start("harakiri = 1\nharakiri-graceful-timeout = 10\n");
        long worker = EmperorFixture.workers(v.pid()).iterator().next();
        CompletableFuture<RawHttp.Response> stuck = block(dir.resolve("never"));

        v.awaitLog(Pattern.compile("try: 1, graceful: yes\\) \\*\\*\\*"), SOON);
        v.awaitLog(Pattern.compile("HARAKIRI: graceful termination attempt on worker 1 with signal 15\\."), SOON);
        v.awaitLog(Pattern.compile("DAMN ! worker 1 \\(pid: " + worker + "\\) died :\\( trying respawn \\.\\.\\."),
                SOON);
        v.awaitLog(Pattern.compile("Respawned uWSGI worker 1 \\(new pid: \\d+\\)"), SOON);
        assertThat(stuck).failsWithin(Duration.ofSeconds(10));
        assertThat(v.log()).doesNotContain("try: 2").doesNotContain("HARAKIRI: ---");
    }
}
