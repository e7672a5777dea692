package dev.imperium.emperor.foreign;

import dev.imperium.vassal.PrivilegeDrop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a command vassal's program is started: without the helper JVM when it has no sockets, as uid/gid say. */
class ProgramCommandTest {
    @TempDir
    Path dir;

    @Test
    void aProgramWithoutSocketsRunsThroughSetsidAndSetpriv() {
        assertThat(ProgramCommand.direct("/usr/bin/setsid", "/usr/bin/setpriv", List.of(), List.of("sleep", "9")))
                .containsExactly("/usr/bin/setsid", "/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "sleep", "9");
    }

    @Test
    void uidAndGidBecomeSetprivOptionsWhenTheEmperorIsRoot() {
        PrivilegeDrop www = new PrivilegeDrop(33, 33, "www-data", false);
        assertThat(ProgramCommand.privilegeOptions(www, 0)).containsExactly("--reuid=33", "--regid=33",
                "--init-groups");
        assertThat(ProgramCommand.privilegeOptions(new PrivilegeDrop(-1, 100, null, false), 0))
                .containsExactly("--regid=100", "--clear-groups");
        assertThat(ProgramCommand.privilegeOptions(new PrivilegeDrop(1000, 1000, null, false), 0))
                .containsExactly("--reuid=1000", "--regid=1000", "--clear-groups");
        assertThat(ProgramCommand.direct("setsid", "setpriv", ProgramCommand.privilegeOptions(www, 0),
                List.of("gunicorn"))).containsExactly("setsid", "setpriv", "--reuid=33", "--regid=33",
                "--init-groups", "--pdeathsig", "KILL", "--", "gunicorn");
    }

    @Test
    void uidAndGidAreIgnoredWithoutRootAsInUwsgi() {
        assertThat(ProgramCommand.privilegeOptions(new PrivilegeDrop(33, 33, "www-data", false), 1000)).isEmpty();
        assertThat(ProgramCommand.privilegeOptions(null, 0)).isEmpty();
    }

    @Test
    void throughTheHelperSetprivComesOnlyWithAUserChange() {
        assertThat(ProgramCommand.throughHelper("setpriv", List.of(), List.of("gunicorn", "app")))
                .containsExactly("gunicorn", "app");
        assertThat(ProgramCommand.throughHelper("setpriv", List.of("--reuid=33"), List.of("gunicorn")))
                .containsExactly("setpriv", "--reuid=33", "--pdeathsig", "KILL", "--", "gunicorn");
    }

    @Test
    void aProgramThatCannotRunIsToldBeforeAnythingStarts() throws Exception {
        assertThat(ProgramCommand.cannotRun("sh", dir, "/usr/bin:/bin")).isNull();
        assertThat(ProgramCommand.cannotRun("no-such-program-here", dir, "/usr/bin:/bin"))
                .isEqualTo("cannot run no-such-program-here: No such file or directory (not on the PATH)");
        assertThat(ProgramCommand.cannotRun("./missing", dir, null))
                .isEqualTo("cannot run ./missing: No such file or directory");
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        assertThat(ProgramCommand.cannotRun("./run.sh", dir, null)).isEqualTo("cannot run ./run.sh: Permission denied");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(ProgramCommand.cannotRun("./run.sh", dir, null)).isNull();
    }

    @Test
    void inTyrantModeAForeignProgramRunsAsTheFilesOwnerToo() {
        List<String> spawn = dev.imperium.emperor.Tyrant.runAs("/usr/bin/setpriv",
                new dev.imperium.emperor.Tyrant.RunAs(1000, 1000), List.of("/opt/imperium/bin/vassal", "app.ini"));
        assertThat(ForeignLauncher.tyrantPrefix(spawn)).containsExactly("/usr/bin/setpriv", "--reuid=1000",
                "--regid=1000", "--clear-groups", "--");
        assertThat(ForeignLauncher.tyrantOptions(spawn)).containsExactly("--reuid=1000", "--regid=1000",
                "--clear-groups");
        assertThat(ForeignLauncher.tyrantPrefix(List.of("/opt/imperium/bin/vassal", "app.ini"))).isEmpty();
    }
}
