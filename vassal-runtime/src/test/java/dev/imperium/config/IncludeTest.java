package dev.imperium.config;

import static dev.imperium.config.ConfigFixtures.fails;
import static dev.imperium.config.ConfigFixtures.fixtures;
import static dev.imperium.config.ConfigFixtures.load;
import static dev.imperium.config.ConfigFixtures.loader;
import static dev.imperium.config.ConfigFixtures.messages;
import static dev.imperium.config.ConfigFixtures.pairs;
import static dev.imperium.config.ConfigFixtures.warnings;
import static dev.imperium.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class IncludeTest {
    @TempDir
    Path dir;

    @Test
    void includesAcrossFormatsAreInlinedWhereTheyStand() {
        VassalConfig config = load(loader(fixtures()), "inc/top.ini");
        assertThat(pairs(config)).containsExactly("processes=2", "include=inc/part.yaml", "env=FROM=yaml part",
                "json=inc/part.json", "env=FROM=json part", "xml=inc/part.xml:b", "env=FROM=xml part b top",
                "env=AFTER=json", "threads=4");
        assertThat(config.entries("env").get(2).origin()).isEqualTo(new Origin(fixtures().resolve("inc/part.xml"),
                3));
        assertThat(warnings(config)).isEmpty();
    }

    @Test
    void sectionsInEveryFormat() {
        ConfigLoader loader = loader(fixtures());
        assertThat(load(loader, "sections.ini").values("processes")).containsExactly("1");
        assertThat(load(loader, "sections.ini").values("threads")).containsExactly("3");
        assertThat(load(loader, "sections.ini:zerg").values("threads")).containsExactly("8");
        assertThat(load(loader, "sections.yaml").intValue("processes", 0)).isEqualTo(1);
        assertThat(load(loader, "sections.yaml:zerg").intValue("processes", 0)).isEqualTo(2);
        assertThat(load(loader, "sections.json:zerg").intValue("processes", 0)).isEqualTo(2);
        assertThat(load(loader, "sections.xml").intValue("processes", 0)).isEqualTo(2);
        assertThat(pairs(load(loader, "sections.xml:main"))).containsExactly("processes=1", "threads=4");
    }

    @Test
    void missingSectionOfTheVassalFileIsAnErrorOfAnIncludedFileAWarning() {
        write(dir, "app.ini", "[uwsgi]\nprocesses = 1\nini = other.ini:nope\n");
        write(dir, "other.ini", "[uwsgi]\nthreads = 2\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(warnings(config)).containsExactly(dir.resolve("app.ini") + ":3: warning: no [nope] in "
                + dir.resolve("other.ini") + ": nothing is included");
        assertThat(messages(fails(loader(dir), "app.ini:nope"))).containsExactly(dir.resolve("app.ini")
                + ": error: no [nope] in " + dir.resolve("app.ini"));
        write(dir, "app.json", "{\"other\": {}}");
        assertThat(messages(fails(loader(dir), "app.json"))).containsExactly(dir.resolve("app.json")
                + ": error: no \"uwsgi\" object in " + dir.resolve("app.json"));
    }

    @Test
    void iniColonSectionReadsTheLastIniFile() {
        write(dir, "app.ini", """
                [uwsgi]
                ini = :app1
                ini = defaults.ini
                ini = :app2
                [app1]
                env = A=app1 %x
                """);
        write(dir, "defaults.ini", "[uwsgi]\nenv = D=defaults\n[app2]\nenv = B=app2 of %n\n");
        assertThat(load(loader(dir), "app.ini").values("env")).containsExactly("A=app1 app1", "D=defaults",
                "B=app2 of defaults");
    }

    @Test
    void typedKeysForceTheFormatIncludeGoesByExtension() {
        write(dir, "app.ini", "[uwsgi]\nyaml = conf/extra.cfg\ninclude = conf/extra.cfg\n");
        write(dir, "conf/extra.cfg", "uwsgi:\n  env: Y=1\n");
        ConfigException e = fails(loader(dir), "app.ini");
        assertThat(messages(e)).containsExactly(dir.resolve("app.ini") + ":3: error: cannot tell the format of "
                + dir.resolve("conf/extra.cfg") + ": the name must end with .ini, .yaml, .yml, .json, .js, .xml (or use"
                + " ini/yaml/json/xml instead of include)");
    }

    @Test
    void relativePathsAreResolvedAgainstTheWorkingDirectoryAsInUwsgi() {
        write(dir, "vassals/app.ini", "[uwsgi]\ninclude = common.ini\ninclude = %dlocal.ini\n");
        write(dir, "common.ini", "[uwsgi]\nenv = FROM=cwd\n");
        write(dir, "vassals/common.ini", "[uwsgi]\nenv = FROM=vassals\n");
        write(dir, "vassals/local.ini", "[uwsgi]\nenv = FROM=local\n");
        assertThat(load(loader(dir), "vassals/app.ini").values("env")).containsExactly("FROM=cwd", "FROM=local");
    }

    @Test
    void includePathsSeeEnvAndPlaceholdersWrittenAbove() {
        write(dir, "app.ini", "[uwsgi]\nconf = parts\ninclude = %(conf)/$(PART).ini\n");
        write(dir, "parts/a.ini", "[uwsgi]\nenv = A=1\n");
        VassalConfig config = load(loader(dir, ConfigFixtures.env("PART", "a")), "app.ini");
        assertThat(pairs(config)).containsExactly("conf=parts", "include=parts/a.ini", "env=A=1");
    }

    @Test
    void failedReferenceInAnIncludePathIsReportedOnce() {
        write(dir, "app.ini", "[uwsgi]\ninclude = $(NOPE)/a.ini\ninherit = %(nope)/b.ini\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                dir.resolve("app.ini") + ":2: error: environment variable NOPE is not set (used as $(NOPE) in"
                        + " 'include')",
                dir.resolve("app.ini") + ":3: error: placeholder %(nope) is not defined: no option or placeholder"
                        + " named 'nope'");
    }

    @Test
    void includesInsideLoops() {
        write(dir, "app.ini", "[uwsgi]\nfor = a b\ninclude = parts/%(_).ini\nendfor\n");
        write(dir, "parts/a.ini", "[uwsgi]\nenv = A\n");
        write(dir, "parts/b.ini", "[uwsgi]\nenv = B\n");
        assertThat(load(loader(dir), "app.ini").values("env")).containsExactly("A", "B");
    }

    @Test
    @Timeout(10)
    void includeCyclesAreErrorsNamingTheChain() {
        Path inc = fixtures().resolve("inc");
        assertThat(messages(fails(loader(fixtures()), "inc/cycle-a.ini"))).containsExactly(
                inc.resolve("cycle-b.yaml") + ":3: error: include cycle: " + inc.resolve("cycle-a.ini") + " -> "
                        + inc.resolve("cycle-b.yaml") + " -> " + inc.resolve("cycle-a.ini"));
        assertThat(messages(fails(loader(fixtures()), "inc/self.ini"))).containsExactly(
                inc.resolve("self.ini") + ":2: error: include cycle: " + inc.resolve("self.ini") + " -> "
                        + inc.resolve("self.ini"));
    }

    @Test
    void sameFileTwiceOrAnotherSectionIsNoCycle() {
        write(dir, "app.ini", "[uwsgi]\ninclude = part.ini\ninclude = part.ini\nini = app.ini:more\n[more]\nenv = M\n");
        write(dir, "part.ini", "[uwsgi]\nenv = P\n");
        assertThat(load(loader(dir), "app.ini").values("env")).containsExactly("P", "P", "M");
    }

    @Test
    @Timeout(10)
    void includeDepthIsBounded() {
        for (int i = 0; i < 40; i++) {
            write(dir, "f" + i + ".ini", "[uwsgi]\ninclude = f" + (i + 1) + ".ini\n");
        }
        write(dir, "f40.ini", "[uwsgi]\nenv = DEEP\n");
        assertThat(messages(fails(loader(dir), "f0.ini"))).singleElement().asString()
                .endsWith(":2: error: includes are nested more than 32 deep");
    }

    @Test
    void missingIncludedFileNamesTheIncludeLine() {
        write(dir, "app.ini", "[uwsgi]\nprocesses = 2\ninclude = nope.ini\nthreads = x\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                dir.resolve("app.ini") + ":3: error: included file " + dir.resolve("nope.ini") + " does not exist",
                dir.resolve("app.ini") + ":4: error: option 'threads' needs a whole number, got 'x'");
        assertThat(messages(fails(loader(dir), "missing.ini"))).containsExactly(dir.resolve("missing.ini")
                + ": error: config file " + dir.resolve("missing.ini") + " does not exist");
        assertThat(messages(fails(loader(dir), "app.conf"))).containsExactly(dir.resolve("app.conf")
                + ": error: unknown config file type: the name must end with .ini, .yaml, .yml, .json, .js, .xml");
    }

    @Test
    void schemesAreUnsupported() {
        write(dir, "app.ini", "[uwsgi]\ninclude = http://example.com/x.ini\nini = exec://cat x.ini\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                dir.resolve("app.ini") + ":2: unsupported: 'include = http://example.com/x.ini': Imperium reads config"
                        + " only from files, not from uWSGI schemes or stdin",
                dir.resolve("app.ini") + ":3: unsupported: 'ini = exec://cat x.ini': Imperium reads config only from"
                        + " files, not from uWSGI schemes or stdin");
    }

    @Test
    void inheritIsReadAfterExpansionAndAppendedAtTheEnd() {
        write(dir, "app.ini", "[uwsgi]\nprocesses = 4\ninherit = %(tpl)\nthreads = 2\ntpl = base.ini\n");
        write(dir, "base.ini", "[uwsgi]\nprocesses = 2\nenv = NAME=%n of %N\ninherit = more.ini\n");
        write(dir, "more.ini", "[uwsgi]\nenv = MORE\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(pairs(config)).containsExactly("processes=4", "inherit=base.ini", "threads=2", "tpl=base.ini",
                "processes=2", "env=NAME=base of app", "inherit=more.ini", "env=MORE");
        assertThat(config.intValue("processes", 0)).isEqualTo(2);
    }

    @Test
    @Timeout(10)
    void inheritCyclesAreErrors() {
        write(dir, "app.ini", "[uwsgi]\ninherit = base.ini\n");
        write(dir, "base.ini", "[uwsgi]\ninherit = app.ini\n");
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(dir.resolve("base.ini")
                + ":2: error: include cycle: " + dir.resolve("app.ini") + " -> " + dir.resolve("base.ini") + " -> "
                + dir.resolve("app.ini"));
    }

    @Test
    void setSetPlaceholderAndDeclareOption() {
        write(dir, "app.ini", """
                [uwsgi]
                set = processes=3
                set = name=shop
                set-ph = root=/srv
                declare-option = app=chdir=%(root)/$1;env=APP=$1;env=PORT=$2
                app = %(name) 8080
                """);
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(pairs(config)).containsExactly("processes=3", "name=shop", "root=/srv", "chdir=/srv/shop",
                "env=APP=shop", "env=PORT=8080");
        assertThat(warnings(config)).isEmpty();
    }

    @Test
    void setPlaceholderCannotNameAnOptionAndSetNeedsAnEqualsSign() {
        write(dir, "app.ini", "[uwsgi]\nset-ph = processes=2\nset = nothing\ndeclare-option = chdir=x=1\n"
                + "set = for=a b\n");
        String file = dir.resolve("app.ini").toString();
        assertThat(messages(fails(loader(dir), "app.ini"))).containsExactly(
                file + ":2: error: 'processes' is an option, so it cannot be a placeholder (use 'set' to set an"
                        + " option)",
                file + ":3: error: 'set' needs NAME=VALUE, got 'nothing'",
                file + ":4: error: cannot declare option 'chdir': it already exists",
                file + ":5: error: 'for' must be written as an entry of its own; it cannot come from set or"
                        + " declare-option");
    }

    @Test
    void includeFromExecIsNotReadWhenCommandsAreDisabled() {
        write(dir, "app.ini", "[uwsgi]\ninclude = @(exec://echo part.ini)\nprocesses = 1\n");
        write(dir, "part.ini", "[uwsgi]\nenv = P\n");
        VassalConfig ran = load(loader(dir), "app.ini");
        assertThat(ran.values("env")).containsExactly("P");
        VassalConfig checked = load(new ConfigLoader(new LoaderOptions(java.util.Map.of(), false, dir)), "app.ini");
        assertThat(checked.values("env")).isEmpty();
        assertThat(warnings(checked)).hasSize(2);
    }
}
