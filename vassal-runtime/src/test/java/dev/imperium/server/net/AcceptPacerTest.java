package dev.imperium.server.net;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8: resource limits. A failing accept (EMFILE) pauses the loop and logs a few lines, not one per try. */
class AcceptPacerTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AcceptPacer pacer = new AcceptPacer("", lines::add, now::get);
    private final IOException emfile = new IOException("Too many open files");

    @Test
    void pausesDoubleFromTenMillisecondsUpToTheCap() {
        assertThat(pacer.failed(emfile)).isEqualTo(10);
        assertThat(pacer.failed(emfile)).isEqualTo(20);
        assertThat(pacer.failed(emfile)).isEqualTo(40);
        assertThat(pacer.failed(emfile)).isEqualTo(80);
        assertThat(pacer.failed(emfile)).isEqualTo(160);
        assertThat(pacer.failed(emfile)).isEqualTo(AcceptPacer.MAX_PAUSE.toMillis());
        assertThat(pacer.failed(emfile)).isEqualTo(AcceptPacer.MAX_PAUSE.toMillis());
        pacer.succeeded();
        assertThat(pacer.failed(emfile)).as("a new run of failures starts small again").isEqualTo(10);
    }

    @Test
    void oneLineWhenFailuresBeginThenOnePerIntervalThenOneWhenItWorksAgain() {
        for (int i = 0; i < 60 * 5; i++) { // a minute of failures, one try every 200 ms
            pacer.failed(emfile);
            now.addAndGet(200_000_000L);
        }
        pacer.succeeded();
        assertThat(lines).first().isEqualTo(
                "accept(): Too many open files (retrying every 0.2 s; clients wait in the listen queue)");
        assertThat(lines.get(1)).isEqualTo("accept(): Too many open files (50 failures in the last 10.0 s)");
        assertThat(lines).last().isEqualTo("accept() works again after 300 failures in 60.0 s");
        assertThat(lines).as("a minute of EMFILE: 1 + 5 + 1 lines").hasSize(7);
        pacer.succeeded();
        assertThat(lines).as("nothing more while it works").hasSize(7);
    }

    @Test
    void namesWhatAccepts() {
        AcceptPacer named = new AcceptPacer("stats server", lines::add, now::get);
        named.failed(emfile);
        assertThat(lines).containsExactly(
                "stats server: accept(): Too many open files (retrying every 0.2 s; clients wait in the listen queue)");
    }

    @Test
    void aFailingLogDoesNotStopTheLoop() {
        AcceptPacer broken = new AcceptPacer("", line -> {
            throw new IllegalStateException("log closed");
        }, now::get);
        assertThat(broken.failed(emfile)).isEqualTo(10);
        broken.succeeded();
    }
}
