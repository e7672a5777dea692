package dev.imperium.config;

import static dev.imperium.config.ConfigFixtures.env;
import static dev.imperium.config.ConfigFixtures.fails;
import static dev.imperium.config.ConfigFixtures.load;
import static dev.imperium.config.ConfigFixtures.loader;
import static dev.imperium.config.ConfigFixtures.messages;
import static dev.imperium.config.ConfigFixtures.pairs;
import static dev.imperium.config.ConfigFixtures.warnings;
import static dev.imperium.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ExpansionTest {
    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void placeholdersMayBeUsedBeforeTheyAreDefinedAndTheFirstValueCounts() {
        write(dir, "app.ini", """
                [uwsgi]
                chdir = %(base)/%(name)
                base = /srv
                name = first
                name = second
                my_dir = /opt
                pidfile = %(my_dir)/%(my-dir)/x.pid
                """);
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.string("chdir", null)).isEqualTo("/srv/first");
        assertThat(config.string("pidfile", null)).isEqualTo("/opt//opt/x.pid");
        assertThat(pairs(config)).contains("my-dir=/opt", "name=second");
        assertThat(warnings(config)).isEmpty();
    }

    @Test
    void placeholdersRefertoOptionsAndNestedPlaceholders() {
        write(dir, "app.ini", "[uwsgi]\nhttp-socket = :8080\nlogto = /log/%(x).log\nx = %(y)-%(http-socket)\ny = a\n");
        assertThat(load(loader(dir), "app.ini").string("logto", null)).isEqualTo("/log/a-:8080.log");
    }

    @Test
    void placeholderMathIsAPipeline() {
        write(dir, "app.ini", """
                [uwsgi]
                foo = 17
                bar = 30
                a = %(foo + bar + 3)
                b = %(foo + bar + 3 * 2)
                c = %(foo ++)
                d = %(foo bar ++)
                e = %(foo / 0)
                f = %(bar - foo --)
                """);
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(List.of("a", "b", "c", "d", "e", "f")).map(k -> config.string(k, null))
                .containsExactly("50", "100", "18", "1731", "0", "12");
    }

    @Test
    void environmentVariables() {
        write(dir, "app.ini", "[uwsgi]\nchdir = $(APP_HOME)/$(APP_NAME)\nenv = X=$(\nempty = $()\n");
        VassalConfig config = load(loader(dir, env("APP_HOME", "/srv", "APP_NAME", "shop")), "app.ini");
        assertThat(config.string("chdir", null)).isEqualTo("/srv/shop");
        assertThat(config.string("env", null)).isEqualTo("X=$(");
        assertThat(config.string("empty", null)).isEqualTo("$()");
    }

    @Test
    void undefinedEnvironmentVariableAndPlaceholderAreErrorsNamingThemAndTheLine() {
        write(dir, "app.ini", "[uwsgi]\nprocesses = 2\nchdir = $(NOPE)/x\npidfile = %(nope)/x.pid\n");
        ConfigException e = fails(loader(dir), "app.ini");
        assertThat(messages(e)).containsExactly(
                file("app.ini") + ":3: error: environment variable NOPE is not set (used as $(NOPE) in 'chdir')",
                file("app.ini") + ":4: error: placeholder %(nope) is not defined: no option or placeholder named"
                        + " 'nope'");
        assertThat(e.getMessage()).contains(file("app.ini") + ":3: error: environment variable NOPE is not set");
    }

    @Test
    void placeholderCyclesAreErrorsNamingTheChain() {
        write(dir, "app.ini", "[uwsgi]\na = %(b)\nb = %(c)\nc = %(a)\nself = x%(self)\n");
        ConfigException e = fails(loader(dir), "app.ini");
        assertThat(messages(e)).contains(
                file("app.ini") + ":4: error: placeholder cycle: a -> b -> c -> a",
                file("app.ini") + ":5: error: placeholder cycle: self -> self");
    }

    @Test
    @Timeout(10)
    void exponentialExpansionIsBounded() {
        StringBuilder text = new StringBuilder("[uwsgi]\nv0 = xxxxxxxxxxxxxxxx\n");
        for (int i = 1; i <= 40; i++) {
            text.append("v").append(i).append(" = %(v").append(i - 1).append(")%(v").append(i - 1).append(")\n");
        }
        text.append("chdir = %(v40)\n");
        write(dir, "app.ini", text.toString());
        assertThat(messages(fails(loader(dir), "app.ini"))).anyMatch(m -> m.contains("expands to more than"));
    }

    @Test
    void fileContentsWithOneTrailingNewlineRemoved() {
        write(dir, "name.txt", "shop\n");
        write(dir, "two.txt", "two\n\n");
        write(dir, "app.ini", "[uwsgi]\nchdir = /srv/@(name.txt)\na = @(two.txt)|\nb = @(%(f))\nf = name.txt\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.string("chdir", null)).isEqualTo("/srv/shop");
        assertThat(config.string("a", null)).isEqualTo("two\n|");
        assertThat(config.string("b", null)).isEqualTo("shop");
    }

    @Test
    void missingFileAndOtherSchemesAreReported() {
        write(dir, "app.ini", "[uwsgi]\nchdir = @(missing.txt)\npidfile = @(http://example.com/x)\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                file("app.ini") + ":2: error: @(missing.txt): no such file " + dir.resolve("missing.txt"),
                file("app.ini") + ":3: unsupported: @(http://example.com/x) is not supported: Imperium reads @(…)"
                        + " only from files and exec://");
    }

    @Test
    @Timeout(30)
    void execRunsWithShellEnvironmentAndWorkingDirectory() {
        write(dir, "app.ini", """
                [uwsgi]
                a = @(exec://echo hi)
                b = @(exec://echo $GREETING; pwd)
                c = @(exec://printf 'x\\n\\n')
                d = @(exec://echo out; exit 3)
                processes = 2
                """);
        VassalConfig config = load(loader(dir, env("GREETING", "hello")), "app.ini");
        assertThat(config.string("a", null)).isEqualTo("hi");
        assertThat(config.string("b", null)).isEqualTo("hello\n" + dir);
        assertThat(config.string("c", null)).isEqualTo("x\n");
        assertThat(config.string("d", null)).isEqualTo("out");
        assertThat(warnings(config)).anyMatch(w -> w.contains(":5: warning: @(exec://echo out; exit 3) exited with"
                + " status 3"));
    }

    @Test
    @Timeout(30)
    void execOutputIsBounded() {
        write(dir, "app.ini", "[uwsgi]\nchdir = @(exec://head -c 2000000 /dev/zero)\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).singleElement().asString()
                .endsWith("error: @(exec://head -c 2000000 /dev/zero): output is larger than 1048576 bytes");
    }

    @Test
    void execIsNotRunWhenDisabled() {
        Path marker = dir.resolve("ran");
        write(dir, "app.ini", "[uwsgi]\nchdir = /x/@(exec://touch " + marker + "; echo y)\nprocesses = 1\n");
        ConfigLoader checkOnly = new ConfigLoader(new LoaderOptions(Map.of(), false, dir));
        VassalConfig config = load(checkOnly, "app.ini");
        assertThat(marker).doesNotExist();
        assertThat(config.string("chdir", null)).isEqualTo("/x/@(exec://touch " + marker + "; echo y)");
        assertThat(warnings(config)).singleElement().asString().isEqualTo(file("app.ini") + ":2: warning:"
                + " @(exec://touch " + marker + "; echo y) was not run: running commands is disabled (checking only);"
                + " the value is left unexpanded");
    }

    @Test
    void templateOptionsKeepUndefinedPlaceholders() {
        write(dir, "app.ini", "[uwsgi]\nmine = x\nlog-format = %(addr) %(mine)\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.string("log-format", null)).as("the request variable is kept for the request log")
                .isEqualTo("%(addr) x");
    }

    @Test
    void extraEntriesComeAfterTheFileAndAreExpanded() throws Exception {
        write(dir, "app.ini", "[uwsgi]\nprocesses = 2\nname = shop\n");
        Origin cli = new Origin(null, 0);
        VassalConfig config = loader(dir).load("app.ini", List.of(new ConfigEntry("processes", "8", cli),
                new ConfigEntry("chdir", "/srv/%(name)", cli), new ConfigEntry("set", "threads=4", cli)));
        assertThat(config.intValue("processes", 0)).isEqualTo(8);
        assertThat(config.string("chdir", null)).isEqualTo("/srv/shop");
        assertThat(config.intValue("threads", 0)).isEqualTo(4);
        assertThat(pairs(config)).containsExactly("processes=2", "name=shop", "processes=8", "chdir=/srv/shop",
                "threads=4");
    }
}
