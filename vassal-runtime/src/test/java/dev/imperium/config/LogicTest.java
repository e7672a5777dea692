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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogicTest {
    @TempDir
    Path dir;

    private List<String> run(String body, Map<String, String> env) {
        write(dir, "app.ini", "[uwsgi]\n" + body);
        return pairs(load(loader(dir, env), "app.ini"));
    }

    private List<String> run(String body) {
        return run(body, Map.of());
    }

    @Test
    void forAppliesToEachEntryInTurnWithTheLoopVariable() {
        assertThat(run("""
                for = a  b c
                http-socket = /run/%(_).sock
                env = N=%(_)
                endfor =
                processes = 1
                """)).containsExactly("http-socket=/run/a.sock", "http-socket=/run/b.sock", "http-socket=/run/c.sock",
                "env=N=a", "env=N=b", "env=N=c", "processes=1");
    }

    @Test
    void forGlobForReadlineAndForTimes() throws Exception {
        write(dir, "apps/b.jar", "");
        write(dir, "apps/a.jar", "");
        write(dir, "apps/.hidden.jar", "");
        Files.createDirectories(dir.resolve("apps/dir.jar"));
        write(dir, "ports.txt", "8001\n\n8002\r\n");
        assertThat(run("""
                for-glob = apps/*.jar
                jvm-classpath = %(_)
                end-for =
                for-glob = nothing/*.jar
                jvm-opt = -Dmissing=%(_)
                endfor
                for-readline = ports.txt
                env = PORT=%(_)
                endfor =
                for-times = 3
                jvm-opt = -Dn=%(_)
                end =
                """)).containsExactly("jvm-classpath=apps/a.jar", "jvm-classpath=apps/b.jar",
                "jvm-classpath=apps/dir.jar/", "jvm-opt=-Dmissing=nothing/*.jar", "env=PORT=8001", "env=PORT=",
                "env=PORT=8002", "jvm-opt=-Dn=1", "jvm-opt=-Dn=2", "jvm-opt=-Dn=3");
    }

    @Test
    void globWithAbsolutePatternAndNoWildcard() throws Exception {
        write(dir, "x/one.ini", "");
        String base = dir.toString();
        assertThat(Glob.expand(base + "/x/*.ini", dir, 100)).containsExactly(base + "/x/one.ini");
        assertThat(Glob.expand("x", dir, 100)).containsExactly("x/");
        assertThat(Glob.expand("x/[a-o]ne.ini", dir, 100)).containsExactly("x/one.ini");
        assertThat(Glob.expand("x/{one}.ini", dir, 100)).containsExactly("x/{one}.ini");
    }

    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            if-env            | HOME          | /home/u
            if-env            | HOME=/home/u  | /home/u
            if-env            | HOME=/other   | -
            if-env            | NOPE          | -
            ifenv             | HOME          | /home/u
            if-not-env        | NOPE          | taken
            if-not-env        | HOME          | -
            if-not-env        | HOME=/other   | /home/u
            if-not-env        | HOME=/home/u  | -
            if-opt            | processes     | 3
            if-opt            | workers=3     | 3
            if-opt            | processes=4   | -
            if-opt            | later         | -
            if-not-opt        | later         | taken
            if-not-opt        | processes=4   | 3
            if-exists         | data          | data
            if-exists         | data/f.txt    | data/f.txt
            ifexists          | nope          | -
            if-not-exists     | nope          | nope
            if-exists         | ''            | -
            if-dir            | ''            | -
            if-file           | data/f.txt    | data/f.txt
            if-file           | data          | -
            if-not-file       | data          | data
            if-dir            | data          | data
            ifdir             | data/f.txt    | -
            if-directory      | data          | data
            if-not-dir        | data/f.txt    | data/f.txt
            if-plugin         | jwsgi         | jwsgi
            ifplugin          | 0:jvm         | 0:jvm
            if-plugin         | python3       | -
            if-not-plugin     | python3       | python3
            if-reload         | x             | -
            if-not-reload     | x             | taken
            """)
    void everyConditionForm(String kind, String arg, String expected) {
        write(dir, "data/f.txt", "x");
        String underscore = expected.equals("taken") ? "" : "env = V=%(_)\n";
        List<String> result = run("processes = 3\n" + kind + " = " + arg + "\n" + underscore + "env = TAKEN\nendif\n"
                + "later = 1\n", env("HOME", "/home/u"));
        List<String> body = result.stream().filter(p -> p.startsWith("env=")).toList();
        switch (expected) {
            case "-" -> assertThat(body).isEmpty();
            case "taken" -> assertThat(body).containsExactly("env=TAKEN");
            default -> assertThat(body).containsExactly("env=V=" + expected, "env=TAKEN");
        }
    }

    @Test
    void underscoreWithoutValueIsAnError() {
        write(dir, "app.ini", "[uwsgi]\nif-not-env = NOPE\nenv = X=%(_)\nendif\nchdir = %(_)\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                dir.resolve("app.ini") + ":3: error: %(_) has no value here: this block does not set one (if-not-env,"
                        + " if-not-opt with an unset name, if-reload)",
                dir.resolve("app.ini") + ":5: error: %(_) has no value here: it is only set inside a for/if block, and"
                        + " not by if-not-env, if-not-opt or if-reload when the name is unset");
    }

    @Test
    void hostnameConditions() {
        String host = new SystemFacts().hostname();
        assertThat(run("if-hostname = " + host + "\nenv = A=%(_)\nendif\nif-not-hostname = " + host + "\nenv = B\nendif\n"
                + "if-hostname-match = ^" + host.charAt(0) + "\nenv = C\nendif\nif-not-hostname-match = ^$\nenv = D\n"
                + "endif\n")).containsExactly("env=A=" + host, "env=C", "env=D");
    }

    @Test
    void ifReloadFollowsImperiumReloads() {
        String body = "if-reload\nenv = RELOAD\nendif\nif-not-reload =\nenv = FIRST\nendif\n";
        assertThat(run(body, env("IMPERIUM_RELOADS", "2"))).containsExactly("env=RELOAD");
        assertThat(run(body, env("IMPERIUM_RELOADS", "0"))).containsExactly("env=FIRST");
    }

    @Test
    void conditionArgumentsSeePlaceholdersAndEnvWrittenAbove() {
        write(dir, "data/f.txt", "x");
        assertThat(run("base = data\nif-file = %(base)/f.txt\nenv = OK=%(_)\nendif\nif-env = $(WHICH)\nenv = E=%(_)\n"
                + "endif\n", env("WHICH", "HOME", "HOME", "/h"))).containsExactly("base=data", "env=OK=data/f.txt",
                "env=E=/h");
        write(dir, "app.ini", "[uwsgi]\nif-dir = %(later)\nenv = X\nendif\nlater = data\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(dir.resolve("app.ini")
                + ":2: error: placeholder %(later) is not defined: no option or placeholder named 'later' above this"
                + " line (include, set, if-* and for arguments are read before the rest of the file, so they only see"
                + " entries written above them)");
    }

    @Test
    void blocksNestWithAWarningThatUwsgiDoesNot() {
        write(dir, "app.ini", """
                [uwsgi]
                for = a b
                if-env = %(_)
                env = SET=%(_)
                endif
                env = ALL=%(_)
                endfor
                if-env = NOPE
                if-env = HOME
                env = INNER
                endif
                env = NOT-REACHED
                endif
                """);
        VassalConfig config = load(loader(dir, env("b", "bee", "HOME", "/h")), "app.ini");
        assertThat(pairs(config)).containsExactly("env=SET=bee", "env=ALL=a", "env=ALL=b");
        assertThat(warnings(config)).singleElement().asString().isEqualTo(dir.resolve("app.ini") + ":3: warning:"
                + " 'if-env' opens a block inside the 'for' block of line 2: Imperium nests blocks, uWSGI 2.0 does not"
                + " (it exits, or ends the outer block at the first end)");
    }

    @Test
    void unbalancedBlocksAreWarnings() {
        write(dir, "app.ini", "[uwsgi]\nendif\nfor = x\nif-env = HOME\nenv = A\nendfor\nendif\nif-env = HOME\n"
                + "env = B\n");
        VassalConfig config = load(loader(dir, env("HOME", "/h")), "app.ini");
        assertThat(pairs(config)).containsExactly("env=A", "env=B");
        String file = dir.resolve("app.ini").toString();
        assertThat(warnings(config)).containsExactly(
                file + ":2: warning: 'endif' without an open for/if block is ignored",
                file + ":4: warning: 'if-env' opens a block inside the 'for' block of line 3: Imperium nests blocks,"
                        + " uWSGI 2.0 does not (it exits, or ends the outer block at the first end)",
                file + ":6: warning: 'endfor' closes the 'if-env' block of line 4",
                file + ":7: warning: 'endif' closes the 'for' block of line 3",
                file + ":8: warning: the 'if-env' block is not closed; it ends at the end of the file");
    }

    @Test
    void loopsAreBounded() {
        write(dir, "app.ini", "[uwsgi]\nfor-times = 100000\nenv = X\nendfor\nfor-times = many\nenv = Y\nendfor\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                dir.resolve("app.ini") + ":2: error: for-times 100000 is more than 10000 items",
                dir.resolve("app.ini") + ":5: error: for-times needs a whole number, got 'many'");
    }

    @Test
    void blockNestingIsBounded() {
        write(dir, "app.ini", "[uwsgi]\n" + "if-env = HOME\n".repeat(5000) + "env = DEEP\n");
        ConfigException e = fails(loader(dir, env("HOME", "/h")), "app.ini");
        assertThat(e.getMessage()).isEqualTo(dir.resolve("app.ini") + ":66: error: for/if blocks are nested more than"
                + " 64 deep");
    }

    @Test
    void forReadlineOfAMissingFileIsAnError() {
        write(dir, "app.ini", "[uwsgi]\nfor-readline = nope.txt\nenv = X\nendfor\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(dir.resolve("app.ini")
                + ":2: error: for-readline: cannot read " + dir.resolve("nope.txt") + ": no such file");
    }

    @Test
    void yamlAndXmlBlocks() {
        write(dir, "app.yaml", "uwsgi:\n  for: a b\n  env: X=%(_)\n  endfor:\n  env: AFTER\n");
        assertThat(pairs(load(loader(dir), "app.yaml"))).containsExactly("env=X=a", "env=X=b", "env=AFTER");
        write(dir, "app.xml", "<uwsgi><if-env>HOME</if-env><env>H=%(_)</env><endif/><env>AFTER</env></uwsgi>");
        assertThat(pairs(load(loader(dir, env("HOME", "/h")), "app.xml"))).containsExactly("env=H=/h", "env=AFTER");
    }
}
