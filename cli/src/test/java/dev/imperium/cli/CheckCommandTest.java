package dev.imperium.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** imperium check: the loader's findings and what the vassal would refuse at start, never running anything. */
class CheckCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();

    private int check(String... names) {
        CommandLine cl = ImperiumMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        String[] args = new String[names.length + 1];
        args[0] = "check";
        for (int i = 0; i < names.length; i++) {
            args[i + 1] = tmp.resolve(names[i]).toString();
        }
        return cl.execute(args);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void aGoodFileIsOk() throws Exception {
        write("good.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:8080\nprocesses = 2\njwsgi = a.B\n");
        assertThat(check("good.ini")).isZero();
        assertThat(out.toString()).isEqualTo(tmp.resolve("good.ini") + ": ok\n");
    }

    @Test
    void aForeignFileIsCheckedForWhatTheEmperorReadsOnly() throws Exception {
        write("py.ini", "[uwsgi]\nimperium-runtime = uwsgi\nplugins = python3\nthunder-lock = true\n"
                + "wsgi-file = app.py\n");
        write("cmd.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = gunicorn app:app\n"
                + "http-socket = 127.0.0.1:8080\nuid = 0\n");
        assertThat(check("py.ini", "cmd.ini")).isZero();
        assertThat(out.toString()).contains(tmp.resolve("py.ini") + ": ok (imperium-runtime = uwsgi: checked what"
                + " the emperor reads; the rest is for uWSGI)").contains(tmp.resolve("cmd.ini") + ": ok (imperium-"
                + "runtime = command: checked what the emperor reads; the rest is for the program)")
                .doesNotContain("unsupported");
    }

    @Test
    void aForeignFileWithABadKeyIsAnErrorAtItsLine() throws Exception {
        Path file = write("cmd.ini", "[uwsgi]\nimperium-runtime = command\nimperium-command = sleep 1\n"
                + "imperium-ready = later\n");
        write("none.ini", "[uwsgi]\nimperium-runtime = command\n");
        assertThat(check("cmd.ini", "none.ini")).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains(file + ":4: error: imperium-ready = later: expected exec or notify")
                .contains("imperium-runtime = command needs imperium-command");
    }

    @Test
    void whatTheVassalWouldRefuseAtStartIsAnErrorAtItsLine() throws Exception {
        Path file = write("bad.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:8080\nharakiri-graceful-signal = 99\n");
        assertThat(check("bad.ini")).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).isEqualTo(file + ":3: error: option 'harakiri-graceful-signal' must be a signal"
                + " number (1-64), got 99\n");
    }

    @Test
    void aRefusalThatNamesItsEntryKeepsItsLine() throws Exception {
        Path file = write("env.ini", "[uwsgi]\nhttp-socket = :8080\n\nenv = NOEQUALSSIGN\n");
        assertThat(check("env.ini")).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).isEqualTo(file + ":4: error: env: expected KEY=VALUE, got 'NOEQUALSSIGN'\n");
    }

    @Test
    void loaderProblemsAndUnsupportedOptionsAreReportedAsBefore() throws Exception {
        Path file = write("old.ini", "[uwsgi]\nhttp-socket = :8080\nthunder-lock = true\n");
        write("warn.ini", "[uwsgi]\nhttp-socket = :8080\nharakri = 30\n");
        assertThat(check("old.ini", "warn.ini")).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains(file + ":3: unsupported: option 'thunder-lock'")
                .contains("warn.ini:3: warning: 'harakri' is no option").contains("did you mean 'harakiri'")
                .contains(tmp.resolve("warn.ini") + ": ok");
    }

    @Test
    void nothingIsRun() throws Exception {
        Path marker = tmp.resolve("ran");
        write("exec.ini", "[uwsgi]\nhttp-socket = :8080\nchdir = @(exec://touch " + marker + ")\n"
                + "attach-daemon = touch " + marker + "\n");
        check("exec.ini");
        assertThat(out.toString()).contains("warning").contains("exec://");
        assertThat(marker).doesNotExist();
    }
}
