package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Several monitors joined: a name belongs to the first monitor that reports it. */
class MonitorSetTest {
    @TempDir
    Path tmp;

    private final List<String> changes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private MonitorSet set(Path a, Path b) {
        return new MonitorSet(List.of(new MonitorSet.Entry("directory " + a, new DirectoryScope(a)),
                new MonitorSet.Entry("directory " + b, new DirectoryScope(b))),
                c -> changes.add(c.kind() + " " + c.name() + (c.stamp() == null ? "" : " " + c.stamp().size())),
                warnings::add);
    }

    private static VassalFileChange change(VassalFileChange.Kind kind, String name, long size) {
        FileStamp stamp = kind == VassalFileChange.Kind.REMOVED ? null
                : new FileStamp(FileTime.fromMillis(1000), size, null);
        return new VassalFileChange(kind, name, stamp, 0);
    }

    @Test
    void theFirstMonitorKeepsANameTheSecondIsWarnedAbout() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        MonitorSet set = set(a, b);
        set.accept(0, change(VassalFileChange.Kind.ADDED, "app.ini", 1));
        set.accept(1, change(VassalFileChange.Kind.ADDED, "app.ini", 2));
        set.accept(1, change(VassalFileChange.Kind.CHANGED, "app.ini", 3));
        set.accept(1, change(VassalFileChange.Kind.ADDED, "other.ini", 4));
        assertThat(changes).containsExactly("ADDED app.ini 1", "ADDED other.ini 4");
        assertThat(warnings).containsExactly("vassal app.ini of directory " + b + " is ignored: vassal app.ini of "
                + "directory " + a + " has that name (the first monitor to report a name keeps it)");
        assertThat(set.directoryOf("app.ini")).isEqualTo(a);
        assertThat(set.directoryOf("other.ini")).isEqualTo(b);
        set.accept(0, change(VassalFileChange.Kind.CHANGED, "app.ini", 5));
        assertThat(changes).last().isEqualTo("CHANGED app.ini 5");
    }

    @Test
    void theDuplicateGoingAwayChangesNothingTheOwnerGoingAwayHandsOver() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        MonitorSet set = set(a, b);
        set.accept(0, change(VassalFileChange.Kind.ADDED, "app.ini", 1));
        set.accept(1, change(VassalFileChange.Kind.ADDED, "app.ini", 2));
        set.accept(1, change(VassalFileChange.Kind.REMOVED, "app.ini", 0));
        assertThat(changes).containsExactly("ADDED app.ini 1");
        set.accept(1, change(VassalFileChange.Kind.ADDED, "app.ini", 2));
        set.accept(0, change(VassalFileChange.Kind.REMOVED, "app.ini", 0));
        assertThat(changes).containsExactly("ADDED app.ini 1", "REMOVED app.ini", "ADDED app.ini 2");
        assertThat(warnings).last().isEqualTo("vassal app.ini of directory " + a + " is gone: vassal app.ini of "
                + "directory " + b + " takes its place");
        assertThat(set.directoryOf("app.ini")).isEqualTo(b);
        set.accept(1, change(VassalFileChange.Kind.REMOVED, "app.ini", 0));
        assertThat(changes).last().isEqualTo("REMOVED app.ini");
        assertThat(set.ownerOf("app.ini")).isEqualTo(-1);
    }

    @Test
    void anUnknownNameIsLookedForInEveryMonitor() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Files.writeString(b.resolve("held.ini"), "[uwsgi]\n");
        MonitorSet set = set(a, b);
        assertThat(set.hasFile("held.ini")).isTrue();
        assertThat(set.fileOf("held.ini")).isEqualTo(b.resolve("held.ini"));
        assertThat(set.hasFile("none.ini")).isFalse();
        assertThat(set.directoryOf("none.ini")).isEqualTo(a);
    }
}
