package dev.imperium.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line itself: help everywhere, exit codes, completion, and what happens without an emperor. */
class ImperiumMainTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ImperiumMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void everySubcommandHasHelpWithItsExitCodes() {
        for (String command : new String[] {"status", "reload", "stop", "start", "top", "logs", "check", "completion"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out.toString()).as(command).contains("Usage: imperium " + command, "Exit codes:");
        }
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("status", "reload", "stop", "start", "top", "logs", "check",
                "completion", "3   No emperor listens", "4   Permission denied");
    }

    @Test
    void theEmperorCommandsShareTheSocketTimeoutAndJsonOptions() {
        for (String command : new String[] {"status", "reload", "stop", "start", "top", "logs"}) {
            out.getBuffer().setLength(0);
            run(command, "--help");
            assertThat(out.toString()).as(command).contains("--control-socket=PATH", "--json", "--timeout=SECONDS");
        }
    }

    @Test
    void completionPrintsABashScriptKnowingTheSubcommands() {
        assertThat(run("completion")).isZero();
        assertThat(out.toString()).startsWith("#!/usr/bin/env bash").contains("complete -F")
                .contains("status", "reload", "logs", "--control-socket");
    }

    @Test
    void withoutAnEmperorTheCommandsSaySoAndExitWith3() {
        Path socket = tmp.resolve("nobody-here.sock");
        assertThat(run("status", "--control-socket", socket.toString())).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(err.toString()).contains("imperium: no emperor control socket at " + socket);
        assertThat(run("reload", "--all", "--control-socket", socket.toString())).isEqualTo(3);
        assertThat(run("logs", "-f", "app.ini", "--control-socket", socket.toString())).isEqualTo(3);
    }

    @Test
    void aStaleSocketIsNotAnEmperor() throws Exception {
        Path socket = tmp.resolve("stale.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertThat(Files.exists(socket)).isTrue();
        assertThat(run("status", "--control-socket", socket.toString())).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(err.toString()).contains("no emperor is listening on " + socket);
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("reload")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("reload", "--all", "app.ini")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("stop")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("logs")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
    }
}
