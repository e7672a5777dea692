package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** uWSGI's emperor-broodlord, on the command line and in an emperor file (issue 7: broodlord). */
class EmperorBroodlordOptionsTest {
    @TempDir
    Path tmp;

    private EmperorSettings parse(String... args) {
        EmperorMain main = new EmperorMain(new CapturingSink());
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--vassal-command";
        all[args.length + 1] = "/bin/true";
        EmperorMain.commandLine(main).parseArgs(all);
        return main.settingsForTest();
    }

    @Test
    void offByDefaultAsInUwsgi() {
        assertThat(parse("--vassals", tmp.toString()).broodlord().enabled()).isFalse();
    }

    @Test
    void theLimitComesFromTheCommandLineOrAnEmperorFile() throws Exception {
        assertThat(parse("--vassals", tmp.toString(), "--emperor-broodlord", "4").broodlord().limit()).isEqualTo(4);
        Path ini = Files.writeString(tmp.resolve("emperor.ini"), "[uwsgi]\nemperor = " + tmp
                + "\nemperor-broodlord = 2\n");
        assertThat(parse("--ini", ini.toString()).broodlord().limit()).isEqualTo(2);
    }

    @Test
    void aNegativeLimitIsACommandLineError() {
        EmperorCommand command = new EmperorCommand();
        assertThat(command.run("--vassals", tmp.toString(), "--vassal-command", "/bin/true", "--emperor-broodlord",
                "-1")).isEqualTo(2);
        assertThat(command.err.toString()).contains("--emperor-broodlord must not be negative");
    }
}
