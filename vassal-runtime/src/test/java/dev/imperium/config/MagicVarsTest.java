package dev.imperium.config;

import static dev.imperium.config.ConfigFixtures.env;
import static dev.imperium.config.ConfigFixtures.fails;
import static dev.imperium.config.ConfigFixtures.load;
import static dev.imperium.config.ConfigFixtures.loader;
import static dev.imperium.config.ConfigFixtures.messages;
import static dev.imperium.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MagicVarsTest {
    @TempDir
    Path dir;

    @Test
    void fileVariablesOfTheTopFile() throws Exception {
        Path real = dir.toRealPath();
        write(dir, "sub/my.app.ini", """
                [uwsgi]
                d = %d
                p = %p
                s = %s
                n = %n
                e = %e
                c = %c
                x = %x
                o = %o
                parts = %0|%1
                pct = 100%%
                keep = %(d)
                esc = %[
                """);
        VassalConfig config = load(loader(dir), "sub/my.app.ini");
        assertThat(config.string("d", null)).isEqualTo(real + "/sub/");
        assertThat(config.string("p", null)).isEqualTo(real + "/sub/my.app.ini");
        assertThat(config.string("s", null)).isEqualTo("my.app.ini");
        assertThat(config.string("n", null)).isEqualTo("my.app");
        assertThat(config.string("e", null)).isEqualTo("ini");
        assertThat(config.string("c", null)).isEqualTo("sub");
        assertThat(config.string("x", null)).isEmpty();
        assertThat(config.string("o", null)).isEqualTo("sub/my.app.ini");
        assertThat(config.string("parts", null)).isEqualTo(real.getName(0) + "|" + real.getName(1));
        assertThat(config.string("pct", null)).isEqualTo("100%");
        assertThat(config.string("keep", null)).isEqualTo(real + "/sub/");
        assertThat(config.string("esc", null)).isEqualTo("\033");
    }

    @Test
    void sectionVariable() {
        write(dir, "app.ini", "[uwsgi]\nx = none%x\n[zerg]\nx = %x %o\n");
        assertThat(load(loader(dir), "app.ini:zerg").string("x", null)).isEqualTo("zerg app.ini:zerg");
    }

    @Test
    void lowercaseRefersToTheIncludedFileUppercaseToTheVassalFile() throws Exception {
        Path real = dir.toRealPath();
        write(dir, "vassal.ini", "[uwsgi]\ninclude = common/base.yaml\ntop = %n %N\n");
        write(dir, "common/base.yaml", "uwsgi:\n  inc: \"%n %e %c %N %E %C %D %S %P %O\"\n");
        VassalConfig config = load(loader(dir), "vassal.ini");
        assertThat(config.string("top", null)).isEqualTo("vassal vassal");
        assertThat(config.string("inc", null)).isEqualTo("base yaml common vassal ini " + real.getFileName() + " "
                + real + "/ vassal.ini " + real + "/vassal.ini vassal.ini");
    }

    @Test
    void processVariables() {
        write(dir, "app.ini", "[uwsgi]\nk = %k\nh = %h\nu = %u\nU = %U\ng = %g\nG = %G\nt = %t\nT = %T\nV = %V\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.string("k", null)).isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(config.string("h", null)).isEqualTo(new SystemFacts().hostname()).isNotEmpty();
        assertThat(config.string("u", null)).matches("\\d+");
        assertThat(config.string("g", null)).matches("\\d+");
        assertThat(config.string("U", null)).isNotEmpty();
        assertThat(config.string("G", null)).isNotEmpty();
        long seconds = Long.parseLong(config.string("t", null));
        assertThat(seconds).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(Long.parseLong(config.string("T", null)) / 1_000_000).isEqualTo(seconds);
        assertThat(config.string("V", null)).startsWith("imperium-");
    }

    @Test
    void inodeAndHashOfThePath() throws Exception {
        Path file = write(dir, "app.ini", "[uwsgi]\ni = %i\nj = %j\n");
        VassalConfig config = load(loader(dir), "app.ini");
        assertThat(config.string("i", null)).isEqualTo(Files.getAttribute(file, "unix:ino").toString());
        assertThat(config.string("j", null)).isEqualTo(MagicVars.djb33xHex(file.toRealPath().toString()));
    }

    @Test
    void djb33xMatchesUwsgi() {
        // value printed by Debian's uwsgi-core 2.0.21 (show-config) for a file at this path
        assertThat(MagicVars.djb33xHex("/tmp/uwt/sub/dir/my.app.ini")).isEqualTo("756ABEE0");
    }

    @Test
    void vassalsDirComesFromTheEmperorOrFallsBackToTheFilesDirectory() throws Exception {
        write(dir, "vassals/app.ini", "[uwsgi]\nv = %v\n");
        assertThat(load(loader(dir), "vassals/app.ini").string("v", null))
                .isEqualTo(dir.toRealPath().resolve("vassals").toString());
        assertThat(load(loader(dir, env("IMPERIUM_VASSALS_DIR", "/etc/imperium/vassals")), "vassals/app.ini")
                .string("v", null)).isEqualTo("/etc/imperium/vassals");
    }

    @Test
    void magicVariablesWorkAtTheStartOfYamlValues() throws Exception {
        write(dir, "app.yaml", "uwsgi:\n  chdir: %d\n  logto: %dlog/%n.log\n");
        VassalConfig config = load(loader(dir), "app.yaml");
        assertThat(config.string("chdir", null)).isEqualTo(dir.toRealPath() + "/");
        assertThat(config.string("logto", null)).isEqualTo(dir.toRealPath() + "/log/app.log");
    }

    @Test
    void unknownMagicVariableOnAnEntryLineIsAnErrorButCommentsMayHoldPercent() {
        write(dir, "app.ini", """
                [uwsgi]
                ; 100% sure, %z in a comment is fine
                date = %Y-%m
                ratio = 50%
                processes = 2
                """);
        ConfigException e = fails(loader(dir), "app.ini");
        String file = dir.resolve("app.ini").toString();
        assertThat(messages(e)).contains(
                file + ":3: error: unknown magic variable '%Y' (uWSGI replaces it with nothing); write '%%' for a"
                        + " literal '%'",
                file + ":3: error: unknown magic variable '%m' (uWSGI replaces it with nothing); write '%%' for a"
                        + " literal '%'",
                file + ":4: error: a '%' at the end of a line is no magic variable (uWSGI would join the next line to"
                        + " this one); write '%%' for a literal '%'");
        assertThat(messages(e)).noneMatch(m -> m.contains(":2:"));
    }

    @Test
    void symlinkedConfigKeepsItsOwnPath() throws Exception {
        Path target = write(dir, "real/app.ini", "[uwsgi]\nn = %n\nd = %d\n");
        Files.createDirectories(dir.resolve("vassals"));
        Files.createSymbolicLink(dir.resolve("vassals/linked.ini"), target);
        VassalConfig config = load(loader(dir.toRealPath()), "vassals/linked.ini");
        assertThat(config.string("n", null)).isEqualTo("linked");
        assertThat(config.string("d", null)).isEqualTo(dir.toRealPath().resolve("vassals") + "/");
        assertThat(config.file()).isEqualTo(dir.toRealPath().resolve("vassals/linked.ini"));
    }
}
