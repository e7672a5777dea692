package dev.imperium.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** uWSGI's command line as config entries: getopt's splitting, flags, short forms, files, then the loader. */
class CommandLineConfigTest {
    @TempDir
    Path dir;

    private static List<String> parse(String... args) {
        return CommandLineConfig.parse(List.of(args)).describe();
    }

    private VassalConfig load(String... args) throws ConfigException {
        return new ConfigLoader(new LoaderOptions(Map.of(), false, dir)).load(CommandLineConfig.parse(List.of(args)));
    }

    @Test
    void optionsWithValuesTakeTheNextWordOrTheTextAfterTheEqualsSign() {
        assertThat(parse("--http-socket", ":8080", "--jwsgi", "x.Y", "--jvm-classpath=a.jar"))
                .containsExactly("http-socket=:8080", "jwsgi=x.Y", "jvm-classpath=a.jar");
        // as getopt: a required value is the next word, whatever it looks like
        assertThat(parse("--route", "-", "--env", "A=--b")).containsExactly("route=-", "env=A=--b");
        assertThat(parse("--http_socket", ":1")).as("_ is -, as in files").containsExactly("http-socket=:1");
    }

    @Test
    void flagsTakeNoValueAndOptionalValuesOnlyAfterAnEqualsSign() {
        assertThat(parse("--master", "--processes", "2", "--vacuum", "--strict"))
                .containsExactly("master", "processes=2", "vacuum", "strict");
        assertThat(parse("--chmod-socket", "--http-keepalive", "--need-app", "--chmod-socket=660"))
                .containsExactly("chmod-socket=1", "http-keepalive=1", "need-app=1", "chmod-socket=660");
        assertThat(parse("--honour-range=false", "--imperium-allow-root"))
                .containsExactly("honour-range=false", "imperium-allow-root");
    }

    @Test
    void uwsgisOneLetterFormsWork() {
        assertThat(parse("-s", "127.0.0.1:3031", "-p4", "-MT", "-t", "30"))
                .containsExactly("socket=127.0.0.1:3031", "processes=4", "master", "enable-threads", "harakiri=30");
        assertThat(parse("-Mp", "2")).containsExactly("master", "processes=2");
    }

    @Test
    void wordsThatAreNotOptionsAreConfigFilesReadAfterEveryOption() {
        CommandLineConfig cl = CommandLineConfig.parse(List.of("app.ini", "--processes", "4", "--ini", "more.ini",
                "other.yaml:dev"));
        assertThat(cl.describe()).containsExactly("processes=4", "ini=more.ini", "include=app.ini",
                "include=other.yaml:dev");
        assertThat(cl.files()).containsExactly("more.ini", "app.ini", "other.yaml:dev");
        assertThat(parse("--master", "--", "--odd.ini")).containsExactly("master", "include=--odd.ini");
    }

    @Test
    void usageErrorsUseGetoptsWords() {
        assertThatThrownBy(() -> parse("--http-socket")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option '--http-socket' requires an argument");
        assertThatThrownBy(() -> parse("--sockett", ":1")).hasMessage("unrecognized option '--sockett' (did you mean"
                + " 'socket'?)");
        assertThatThrownBy(() -> parse("-G")).hasMessage("invalid option -- 'G'");
        assertThatThrownBy(() -> parse("-p")).hasMessage("option requires an argument -- 'p'");
    }

    @Test
    void theLoaderTakesTheEntriesLikeAFilesLines() throws Exception {
        VassalConfig c = load("--http-socket", ":8080", "--jwsgi", "x.Y", "--jvm-classpath", "a.jar", "--master",
                "--processes", "2", "--set-ph", "port=9", "--http-socket", "127.0.0.1:%(port)");
        assertThat(c.values("http-socket")).containsExactly(":8080", "127.0.0.1:9");
        assertThat(c.value("jwsgi")).contains("x.Y");
        assertThat(c.intValue("processes", 1)).isEqualTo(2);
        assertThat(c.flag("master")).isTrue();
        assertThat(c.file()).as("no file: the working directory stands for the vassal").isEqualTo(dir);
        assertThat(c.entries("jwsgi").getFirst().origin().toString()).isEqualTo("command line");
    }

    @Test
    void filesAreReadWhereUwsgiReadsThemAndLaterEntriesWin() throws Exception {
        Files.writeString(dir.resolve("app.ini"), "[uwsgi]\nhttp-socket = :8080\nprocesses = 2\n");
        VassalConfig inPlace = load("--ini", "app.ini", "--processes", "4");
        assertThat(inPlace.intValue("processes", 1)).isEqualTo(4);
        assertThat(inPlace.file()).isEqualTo(dir.resolve("app.ini"));
        VassalConfig afterwards = load("app.ini", "--processes", "4");
        assertThat(afterwards.intValue("processes", 1)).as("a file named alone is read after the options").isEqualTo(2);
    }

    @Test
    void logicBlocksWorkOnTheCommandLine() throws Exception {
        VassalConfig c = new ConfigLoader(new LoaderOptions(Map.of("PROD", "1"), false, dir)).load(
                CommandLineConfig.parse(List.of("--http-socket", ":1", "--if-env", "PROD", "--processes", "8",
                        "--endif", "--if-not-env", "PROD", "--processes", "1", "--endif")));
        assertThat(c.intValue("processes", 0)).isEqualTo(8);
    }

    @Test
    void unsupportedOptionsAreErrorsNamingTheCommandLine() {
        assertThatThrownBy(() -> load("--http-socket", ":1", "--thunder-lock")).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).diagnostics()).extracting(Diagnostic::format)
                        .containsExactly("command line: unsupported: option 'thunder-lock' is a uWSGI option"
                                + " Imperium does not implement yet"));
    }

    @Test
    void everyFlagImperiumHonoursTakesNoValue() {
        for (Option o : OptionTable.all()) {
            if (o.status() != OptionStatus.UNSUPPORTED && o.type() == OptionType.FLAG) {
                assertThat(CommandLineConfig.arity(o.name())).as(o.name()).isNotEqualTo(CommandLineConfig.Arity.REQUIRED);
            }
        }
    }

    @Test
    void theUnsupportedLoaderReadsAnotherProgramsOptions() throws Exception {
        Files.writeString(dir.resolve("emperor.ini"), "[uwsgi]\nbase = /srv\nemperor = %(base)/vassals\n");
        VassalConfig c = new ConfigLoader(new LoaderOptions(Map.of(), false, dir)).loadUnchecked("emperor.ini");
        assertThat(c.value("emperor")).contains("/srv/vassals");
    }

    /**
     * The command line an emperor builds for vassals-include(-before), vassals-inherit(-before) and vassal-set
     * (issue 7) gives what Debian's uWSGI 2.0.21 gives for the same words (checked with {@code --show-config}):
     * include-before is overridden by the vassal file, include after overrides it, inherited files are read last
     * whether before or after, and the first placeholder wins.
     */
    @Test
    void theEmperorsVassalCommandLineReadsTheFilesInUwsgisOrder() throws Exception {
        Files.writeString(dir.resolve("app.ini"), "[uwsgi]\nhttp-socket = :8080\nprocesses = 2\nharakiri = 5\n"
                + "listen = 50\npidfile = %(who)\nwho = app\n");
        Files.writeString(dir.resolve("before.ini"), "[uwsgi]\nprocesses = 3\nlisten = 60\nwho = before\n");
        Files.writeString(dir.resolve("after.ini"), "[uwsgi]\nharakiri = 9\n");
        Files.writeString(dir.resolve("template.ini"), "[uwsgi]\nlisten = 70\n");
        CommandLineConfig line = CommandLineConfig.parse(List.of("--inherit", "template.ini", "--include",
                "before.ini", "--set", "max-requests=100", "--ini", "app.ini", "--include", "after.ini"));
        VassalConfig c = new ConfigLoader(new LoaderOptions(Map.of(), false, dir)).load(line);
        assertThat(c.intValue("processes", 0)).as("the vassal file overrides include-before").isEqualTo(2);
        assertThat(c.intValue("harakiri", 0)).as("an include after the file overrides it").isEqualTo(9);
        assertThat(c.intValue("listen", 0)).as("inherited files are read last, even when named before")
                .isEqualTo(70);
        assertThat(c.intValue("max-requests", 0)).isEqualTo(100);
        assertThat(c.value("pidfile")).as("the first placeholder of that name").contains("before");
        assertThat(line.vassalFile()).as("the vassal is app.ini, not the first include").isEqualTo("app.ini");
        assertThat(CommandLineConfig.parse(List.of("--include", "x.ini")).vassalFile()).isEqualTo("x.ini");
        assertThat(CommandLineConfig.parse(List.of("--processes", "2")).vassalFile()).isNull();
    }
}
