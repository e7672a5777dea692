package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The stats and metrics options on the command line: help, usage errors and start failures. */
class EmperorMonitoringOptionsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new EmperorMain(new CapturingSink()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        PrintStream savedErr = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            return cl.execute(args);
        } finally {
            System.setErr(savedErr);
            err.write(stderr.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--emperor-stats", "--emperor-stats-server", "--stats-http",
                "--stats-minified", "--emperor-metrics");
    }

    @Test
    void aUnixAddressForMetricsIsAUsageError() {
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-metrics",
                tmp.resolve("m.sock").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--emperor-metrics needs a TCP address HOST:PORT");
    }

    @Test
    void aMalformedStatsAddressIsAUsageError() {
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-stats",
                "127.0.0.1:http")).isEqualTo(2);
        assertThat(err.toString()).contains("--emperor-stats: invalid port 'http'");
    }

    @Test
    void statsHttpWithoutAStatsServerIsAUsageError() {
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--stats-http")).isEqualTo(2);
        assertThat(err.toString()).contains("need --emperor-stats");
    }

    @Test
    void aBusyPortFailsToStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-stats-server",
                    "127.0.0.1:" + taken.getLocalPort())).isEqualTo(1);
        }
        assertThat(err.toString()).contains("emperor: unable to bind 127.0.0.1:");
    }
}
