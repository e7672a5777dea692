package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

/** {@code --emperor-dashboard} on the command line: help, a malformed address, an address in use. */
@Timeout(30)
class DashboardOptionTest {
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
    void helpShowsTheOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--emperor-dashboard=HOST:PORT");
    }

    @Test
    void aMalformedAddressIsAUsageError() {
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-dashboard", "9191"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("emperor: --emperor-dashboard needs a TCP address HOST:PORT, not '9191'");
    }

    @Test
    void anAddressInUseFailsToStartBeforeAnyVassal() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-dashboard",
                    "127.0.0.1:" + taken.getLocalPort())).isEqualTo(1);
        }
        assertThat(err.toString()).contains("emperor: cannot serve --emperor-dashboard on 127.0.0.1:")
                .contains("in use");
    }
}
