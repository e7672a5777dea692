package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: help, version, usage errors and start-up failures, with their exit codes. */
class EmperorMainTest {
    @TempDir
    Path tmp;

    private final EmperorCommand command = new EmperorCommand();
    private final StringWriter out = command.out;
    private final StringWriter err = command.err;

    private int run(String... args) {
        return command.run(args);
    }

    @Test
    void helpListsTheUwsgiOptionsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--vassals", "--emperor", "--emperor-freq", "--reload-mercy",
                "--emperor-pidfile", "Exit codes:", "SIGINT/SIGTERM").doesNotContain("--vassal-command");
    }

    @Test
    void versionNamesImperium() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("Imperium emperor ").contains("Java ");
    }

    @Test
    void aMissingDirectoryOptionIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("--vassals");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("--vassals", tmp.toString(), "--emperor-tyrant")).isEqualTo(2);
    }

    @Test
    void twoDirectoriesAreRefused() {
        assertThat(run("--vassals", tmp.toString(), "--emperor", tmp.toString())).isEqualTo(2);
    }

    @Test
    void aMissingDirectoryFailsToStart() {
        assertThat(run("--vassals", tmp.resolve("nope").toString(), "--vassal-command", "/bin/true")).isEqualTo(1);
        assertThat(err.toString()).contains("does not exist or is not a directory");
    }

    @Test
    void withoutImperiumHomeThereIsNoVassalCommand() {
        assertThat(System.getProperty("imperium.home")).isNull();
        assertThat(run("--vassals", tmp.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("imperium.home");
    }

    @Test
    void aZeroRescanPeriodIsRefused() {
        assertThat(run("--vassals", tmp.toString(), "--emperor-freq", "0", "--vassal-command", "/bin/true"))
                .isEqualTo(2);
    }
}
