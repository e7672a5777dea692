package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
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
        assertThat(run("--vassals", tmp.toString(), "--emperor-curse-tolerance", "5")).isEqualTo(2);
    }

    @Test
    void severalMonitorsAreReadInOrder() {
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--emperor", tmp.toString(), "--emperor", "/srv/*/vassal.ini",
                "--emperor", "pgsql://host=db user=emperor password=secret;SELECT name, config, ts FROM v",
                "--emperor", tmp.toString(), "--emperor-extra-extension", ".conf", "--emperor-extra-ext", ".cfg",
                "--vassal-command", "/bin/true");
        EmperorSettings s = main.settingsForTest();
        assertThat(s.vassalDir()).as("the first monitor stays the vassal directory").isEqualTo(tmp);
        assertThat(s.monitors().monitors()).extracting(EmperorMonitor::describe).containsExactly(
                "directory " + tmp, "glob /srv/*/vassal.ini", "PostgreSQL db:5432 database emperor as emperor");
        assertThat(s.monitors().monitors().get(2).pgsql().query()).isEqualTo("SELECT name, config, ts FROM v");
        assertThat(s.monitors().extraExtensions()).containsExactly(".conf", ".cfg");
    }

    @Test
    void oneMonitorKeepsTheSingleMonitorSettings() {
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--emperor", tmp.toString(), "--vassals", tmp.toString(),
                "--vassal-command", "/bin/true");
        assertThat(main.settingsForTest().monitors().monitors()).isEmpty();
        assertThat(main.settingsForTest().vassalDir()).isEqualTo(tmp);
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

    private CommandLine.ParseResult parse(String... args) {
        return EmperorMain.commandLine(new EmperorMain(new CapturingSink())).parseArgs(args);
    }

    @Test
    void theUwsgiFormReadsEmperorOptionsFromAnIniFileWhereItStands() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("emperor.ini"), """
                [uwsgi]
                base = %s
                emperor = %%(base)/vassals
                emperor-freq = 5
                master = true
                die-on-term = true
                emperor-pidfile = /run/e.pid
                """.formatted(tmp));
        CommandLine.ParseResult r = parse("--emperor-freq", "2", "--ini", tmp.resolve("emperor.ini").toString(),
                "--reload-mercy=7");
        assertThat(r.matchedOptionValue("--vassals", java.util.List.of())).containsExactly(tmp.resolve("vassals").toString());
        assertThat(r.matchedOptionValue("--emperor-freq", 0)).as("the file comes after --emperor-freq 2").isEqualTo(5);
        assertThat(r.matchedOptionValue("--reload-mercy", 0)).isEqualTo(7);
        assertThat(r.matchedOptionValue("--emperor-pidfile", Path.of("x"))).isEqualTo(Path.of("/run/e.pid"));
        assertThat(r.hasMatchedOption("--master")).isTrue();
        CommandLine.ParseResult later = parse("--ini", tmp.resolve("emperor.ini").toString(), "--emperor-freq", "9");
        assertThat(later.matchedOptionValue("--emperor-freq", 0)).as("later options win").isEqualTo(9);
    }

    @Test
    void imperiumsOwnEmperorOptionsAreReadFromTheFileToo() throws Exception {
        Path ini = java.nio.file.Files.writeString(tmp.resolve("emperor.ini"), """
                [uwsgi]
                emperor = /v
                emperor-metrics = 127.0.0.1:9191
                emperor-dashboard = 127.0.0.1:9192
                control-socket = /tmp/e.sock
                log-format = json
                """);
        CommandLine.ParseResult r = parse("--ini", ini.toString());
        assertThat(r.matchedOptionValue("--emperor-metrics", "")).isEqualTo("127.0.0.1:9191");
        assertThat(r.matchedOptionValue("--emperor-dashboard", "")).isEqualTo("127.0.0.1:9192");
        assertThat(r.matchedOptionValue("--control-socket", Path.of("x"))).isEqualTo(Path.of("/tmp/e.sock"));
        assertThat(r.matchedOptionValue("--log-format", "")).isEqualTo("json");
    }

    @Test
    void aMisspeltEmperorOptionInTheFileIsAnErrorNotAPlaceholder() throws Exception {
        Path ini = java.nio.file.Files.writeString(tmp.resolve("emperor.ini"),
                "[uwsgi]\nbase = /srv\nemperor = %(base)/v\nemperor-metrix = 127.0.0.1:9191\n");
        CommandLine cl = EmperorMain.commandLine(new EmperorMain(new CapturingSink()));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("--ini", ini.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(ini + ":4: unknown option 'emperor-metrix' (did you mean "
                + "'emperor-metrics'?)");
    }

    @Test
    void aUwsgiOptionTheEmperorDoesNotTakeIsAUsageErrorNamingItsLine() throws Exception {
        Path ini = java.nio.file.Files.writeString(tmp.resolve("emperor.ini"), "[uwsgi]\nemperor = /v\nuid = www-data\n");
        CommandLine cl = EmperorMain.commandLine(new EmperorMain(new CapturingSink()));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("--ini", ini.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(ini + ":3: option 'uid' is not an emperor option Imperium supports");
    }

    @Test
    void severalMonitorsComeFromAnEmperorFileToo() throws Exception {
        Path ini = java.nio.file.Files.writeString(tmp.resolve("emperor.ini"), "[uwsgi]\nemperor = " + tmp
                + "\nemperor = pg://dbname=fleet;SELECT 1\nemperor-extra-extension = .conf\n");
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--ini", ini.toString(), "--vassal-command", "/bin/true");
        EmperorSettings s = main.settingsForTest();
        assertThat(s.monitors().monitors()).hasSize(2);
        assertThat(s.monitors().monitors().get(1).pgsql().settings()).containsEntry("dbname", "fleet");
        assertThat(s.monitors().extraExtensions()).containsExactly(".conf");
    }

    @Test
    void aMissingSecondDirectoryFailsToStart() {
        assertThat(run("--vassals", tmp.toString(), "--emperor", tmp.resolve("nope").toString(),
                "--vassal-command", "/bin/true")).isEqualTo(1);
        assertThat(err.toString()).contains(tmp.resolve("nope") + " does not exist or is not a directory");
    }

    @Test
    void uwsgiEmperorCommandLinesPortUnchanged() {
        CommandLine.ParseResult r = parse("--emperor", tmp.toString(), "--master", "--die-on-term",
                "--emperor-freq=1", "--emperor-pidfile", "/tmp/p");
        assertThat(r.matchedOptionValue("--emperor-freq", 0)).isEqualTo(1);
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void helpNamesTheControlSocketAndTheConfigFileForm() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--control-socket=PATH", "/run/imperium/emperor.sock", "--ini=FILE",
                "--yaml=FILE");
    }

    @Test
    void emperorOptionsOfIssue7ReachTheSettingsFromTheCommandLine() {
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--vassals", tmp.toString(), "--vassal-command", "/bin/true",
                "--vassals-include", "a.ini", "--vassals-include", "b.ini", "--vassals-include-before", "c.ini",
                "--vassals-inherit", "d.ini", "--vassals-inherit-before", "e.ini", "--vassal-set", "x=1",
                "--vassals-set", "y=2", "--emperor-throttle", "500", "--emperor-max-throttle", "8000",
                "--emperor-no-blacklist", "--emperor-required-heartbeat", "7", "--emperor-graceful-shutdown");
        EmperorSettings s = main.settingsForTest();
        assertThat(s.fleet().arguments()).isEqualTo(new VassalArguments(java.util.List.of("e.ini"),
                java.util.List.of("c.ini"), java.util.List.of("x=1", "y=2"), java.util.List.of("d.ini"),
                java.util.List.of("a.ini", "b.ini")));
        assertThat(s.backoff().initial()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(s.backoff().max()).isEqualTo(java.time.Duration.ofMillis(8000));
        assertThat(s.fleet().noBlacklist()).isTrue();
        assertThat(s.fleet().requiredHeartbeat()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(s.fleet().gracefulShutdown()).isTrue();
    }

    @Test
    void emperorOptionsOfIssue7HaveUwsgisDefaults() {
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--vassals", tmp.toString(), "--vassal-command", "/bin/true");
        EmperorSettings s = main.settingsForTest();
        assertThat(s.fleet()).isEqualTo(FleetOptions.DEFAULT);
        assertThat(s.backoff().initial()).isEqualTo(java.time.Duration.ofMillis(1000));
        assertThat(s.backoff().max()).isEqualTo(java.time.Duration.ofMillis(180_000));
    }

    @Test
    void emperorOptionsOfIssue7AreReadFromAnIniFileRepeatedKeysIncluded() throws Exception {
        Path ini = java.nio.file.Files.writeString(tmp.resolve("emperor.ini"), """
                [uwsgi]
                emperor = %s
                vassals-include = /etc/imperium/common.ini
                vassals-include = /etc/imperium/more.ini
                vassals-include-before = /etc/imperium/defaults.ini
                vassals-inherit = /etc/imperium/t.ini
                vassals-inherit-before = /etc/imperium/tb.ini
                vassal-set = processes=4
                vassals-set = base=/srv
                emperor-throttle = 2000
                emperor-max-throttle = 60000
                emperor-no-blacklist = true
                emperor-required-heartbeat = 12
                emperor-graceful-shutdown = true
                emperor-tyrant = true
                emperor-tyrant-nofollow = true
                emperor-tyrant-allow-root = true
                """.formatted(tmp));
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--ini", ini.toString(), "--vassal-command", "/bin/true");
        EmperorSettings s = main.settingsForTest();
        assertThat(s.fleet().arguments().include()).containsExactly("/etc/imperium/common.ini",
                "/etc/imperium/more.ini");
        assertThat(s.fleet().arguments().includeBefore()).containsExactly("/etc/imperium/defaults.ini");
        assertThat(s.fleet().arguments().inherit()).containsExactly("/etc/imperium/t.ini");
        assertThat(s.fleet().arguments().inheritBefore()).containsExactly("/etc/imperium/tb.ini");
        assertThat(s.fleet().arguments().sets()).containsExactly("processes=4", "base=/srv");
        assertThat(s.backoff().initial()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(s.backoff().max()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(s.fleet().noBlacklist()).isTrue();
        assertThat(s.fleet().requiredHeartbeat()).isEqualTo(java.time.Duration.ofSeconds(12));
        assertThat(s.fleet().gracefulShutdown()).isTrue();
        assertThat(s.fleet().tyrant()).isEqualTo(new Tyrant(true, true, true));
    }

    @Test
    void wrongIssue7ValuesAreUsageErrors() {
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--vassal-set", "processes"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("KEY=VALUE");
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-throttle", "2000",
                "--emperor-max-throttle", "1000")).isEqualTo(2);
        assertThat(run("--vassals", tmp.toString(), "--vassal-command", "/bin/true",
                "--emperor-required-heartbeat", "0")).isEqualTo(2);
    }

    @Test
    void aGlobIsWatchedFromTheWorkingDirectory() {
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs("--emperor", "/srv/*/vassal.ini", "--vassal-command", "/bin/true");
        EmperorSettings s = main.settingsForTest();
        assertThat(s.fleet().glob()).isEqualTo("/srv/*/vassal.ini");
        assertThat(s.vassalDir()).isEqualTo(Path.of("").toAbsolutePath());
        assertThat(run("--emperor", "mongodb://db/fleet", "--vassal-command", "/bin/true")).isEqualTo(2);
        assertThat(err.toString()).contains("no imperial monitor 'mongodb://'");
        assertThat(run("--emperor", "pg://db=1;SELECT 1", "--vassal-command", "/bin/true")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid connection option \"db\"");
    }
}
