package dev.imperium.emperor;

import dev.imperium.emperor.foreign.ForeignSettings;
import dev.imperium.emperor.foreign.VassalRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** uWSGI's emperor-wrapper options, on the command line and in an emperor file (issue 7: foreign vassals). */
class EmperorForeignOptionsTest {
    @TempDir
    Path tmp;

    private static ForeignSettings parse(String... args) {
        EmperorMain main = new EmperorMain(new CapturingSink());
        EmperorMain.commandLine(main).parseArgs(args);
        return main.foreignSettings();
    }

    @Test
    void withoutWrapperVassalsAreImperiums() {
        ForeignSettings f = parse("--vassals", tmp.toString());
        assertThat(f.wrapsVassals()).isFalse();
        assertThat(f.defaultRuntime()).isEqualTo(VassalRuntime.IMPERIUM);
    }

    @Test
    void wrapperOverridesAndFallbacksAreTriedInUwsgisOrder() {
        ForeignSettings f = parse("--vassals", tmp.toString(), "--emperor-wrapper", "/usr/bin/uwsgi",
                "--emperor-wrapper-override", "/opt/a/uwsgi", "--emperor-wrapper-override=/opt/b/uwsgi",
                "--emperor-wrapper-fallback", "uwsgi-core");
        assertThat(f.uwsgiCandidates()).containsExactly("/opt/a/uwsgi", "/opt/b/uwsgi", "/usr/bin/uwsgi",
                "uwsgi-core");
        assertThat(f.defaultRuntime()).isEqualTo(VassalRuntime.UWSGI);
    }

    @Test
    void anEmperorFileSetsThemWithUwsgisNames() throws Exception {
        Path ini = Files.writeString(tmp.resolve("emperor.ini"), "[uwsgi]\nemperor = " + tmp + "\n"
                + "emperor-wrapper = /usr/bin/uwsgi-core\nemperor-wrapper-fallback = /usr/bin/uwsgi\n");
        ForeignSettings f = parse("--ini", ini.toString());
        assertThat(f.uwsgiCandidates()).containsExactly("/usr/bin/uwsgi-core", "/usr/bin/uwsgi");
    }

    @Test
    void helpListsThem() {
        EmperorCommand command = new EmperorCommand();
        assertThat(command.run("--help")).isZero();
        assertThat(command.out.toString()).contains("--emperor-wrapper", "--emperor-wrapper-override",
                "--emperor-wrapper-fallback");
    }
}
