package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tyrant mode's decisions: who runs a vassal file, and how it is started as that user. */
class TyrantTest {
    @TempDir
    Path dir;

    private static final Tyrant ON = new Tyrant(true, false, false);

    @Test
    void offEveryFileRunsAsTheEmperor() {
        assertThat(Tyrant.OFF.decide(new FileStamp.Owner(0, 0))).isInstanceOf(Tyrant.AsEmperor.class);
        assertThat(Tyrant.OFF.decide(null)).isInstanceOf(Tyrant.AsEmperor.class);
    }

    @Test
    void aUsersFileRunsAsThatUserAndGroup() {
        assertThat(ON.decide(new FileStamp.Owner(1000, 1001))).isEqualTo(new Tyrant.RunAs(1000, 1001));
    }

    @Test
    void rootsFilesAndRootsGroupAreRefusedAsInUwsgi() {
        assertThat(ON.decide(new FileStamp.Owner(0, 0))).isInstanceOf(Tyrant.Refused.class);
        assertThat(ON.decide(new FileStamp.Owner(0, 1000))).isInstanceOf(Tyrant.Refused.class);
        assertThat(((Tyrant.Refused) ON.decide(new FileStamp.Owner(1000, 0))).reason()).contains("gid 0");
        assertThat(ON.decide(null)).isInstanceOf(Tyrant.Refused.class);
    }

    @Test
    void allowRootRunsRootsFilesAsTheEmperorButNotAUsersFileOfGroupRoot() {
        Tyrant t = new Tyrant(true, false, true);
        assertThat(t.decide(new FileStamp.Owner(0, 0))).isInstanceOf(Tyrant.AsEmperor.class);
        assertThat(t.decide(new FileStamp.Owner(1000, 0))).isInstanceOf(Tyrant.Refused.class);
    }

    @Test
    void theVassalStartsThroughSetpriv() {
        assertThat(Tyrant.runAs("/usr/bin/setpriv", new Tyrant.RunAs(65534, 65534), List.of("bin/vassal", "a.ini")))
                .containsExactly("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                        "bin/vassal", "a.ini");
        assertThat(Tyrant.findSetpriv("/nonexistent:/usr/bin")).endsWith("/setpriv");
    }

    @Test
    void aChangeOfOwnerIsAChangeOnlyInTyrantMode() throws Exception {
        assumeTrue(dev.imperium.os.Credentials.effectiveUid() == 0, "needs root to chown");
        Path file = Files.writeString(dir.resolve("a.ini"), "[uwsgi]\n");
        FileStamp before = FileStamp.of(file, true, false).orElseThrow();
        FileTime mtime = Files.getLastModifiedTime(file);
        Files.setAttribute(file, "unix:uid", 65534);
        Files.setLastModifiedTime(file, mtime);
        FileStamp after = FileStamp.of(file, true, false).orElseThrow();
        assertThat(after.owner()).isEqualTo(new FileStamp.Owner(65534, before.owner().gid()));
        assertThat(after).isNotEqualTo(before);
        assertThat(ON.ownerChanged(before, after)).isTrue();
        assertThat(Tyrant.OFF.ownerChanged(before, after)).isFalse();
        assertThat(FileStamp.of(file)).as("without tyrant mode the owner is not read").isEqualTo(
                FileStamp.of(file, false, false));
    }

    @Test
    void noFollowTakesTheSymbolicLinksOwner() throws Exception {
        assumeTrue(dev.imperium.os.Credentials.effectiveUid() == 0, "needs root to chown");
        Path target = Files.writeString(dir.resolve("target.ini"), "[uwsgi]\n");
        Files.setAttribute(target, "unix:uid", 65534);
        Files.setAttribute(target, "unix:gid", 65534);
        Path link = Files.createSymbolicLink(dir.resolve("a.ini"), target);
        assertThat(FileStamp.of(link, true, false).orElseThrow().owner()).isEqualTo(new FileStamp.Owner(65534, 65534));
        assertThat(FileStamp.of(link, true, true).orElseThrow().owner()).isEqualTo(new FileStamp.Owner(0, 0));
    }
}
