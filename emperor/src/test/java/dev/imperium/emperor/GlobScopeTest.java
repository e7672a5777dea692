package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.imperium.emperor.VassalFileChange.Kind.ADDED;
import static dev.imperium.emperor.VassalFileChange.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Glob monitors: which files match, their names, and how the watcher sees them come and go. */
class GlobScopeTest {
    @TempDir
    Path tmp;

    private final BlockingQueue<VassalFileChange> changes = new LinkedBlockingQueue<>();
    private final List<String> warnings = new ArrayList<>();
    private VassalWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private Path write(String relative) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "[uwsgi]\n");
    }

    @Test
    void twoDirectoriesWithTheSameFileNameAreTwoVassalsNamedByTheirPath() throws Exception {
        write("srv/a/vassal.ini");
        write("srv/b/vassal.ini");
        write("srv/b/other.ini");
        write("srv/.hidden/vassal.ini");
        write("srv/c/vassal.ini~");
        write("srv/d/sub/vassal.ini");
        GlobScope g = new GlobScope(tmp + "/srv/*/vassal.ini", Path.of("/"));
        assertThat(g.root()).isEqualTo(tmp.resolve("srv"));
        assertThat(g.scan()).containsExactly(tmp + "/srv/a/vassal.ini", tmp + "/srv/b/vassal.ini");
        assertThat(g.fileOf(tmp + "/srv/a/vassal.ini")).isEqualTo(tmp.resolve("srv/a/vassal.ini"));
        assertThat(g.nameOf(tmp.resolve("srv/b/vassal.ini"))).isEqualTo(tmp + "/srv/b/vassal.ini");
        assertThat(g.nameOf(tmp.resolve("srv/b/other.ini"))).isNull();
        assertThat(g.nameOf(tmp.resolve("srv/b"))).isNull();
        assertThat(g.mayChangeMatches(tmp.resolve("srv/new"))).as("a new directory may hold a vassal").isTrue();
        assertThat(g.mayChangeMatches(tmp.resolve("srv/a/vassal.ini"))).isFalse();
        assertThat(g.mayChangeMatches(tmp.resolve("elsewhere"))).isFalse();
    }

    @Test
    void aRelativePatternGivesRelativeNamesAndWildcardsFollowGlob3() throws Exception {
        write("apps/one.ini");
        write("apps/two.yaml");
        write("apps/.three.ini");
        write("apps/notes.txt");
        GlobScope g = new GlobScope("apps/*.*", tmp);
        assertThat(g.scan()).containsExactly("apps/one.ini", "apps/two.yaml");
        assertThat(new GlobScope("apps/.*.ini", tmp).scan()).as("hidden files are never vassals").isEmpty();
        assertThat(new GlobScope("apps/[ot]*.ini", tmp).scan()).containsExactly("apps/one.ini");
        assertThat(new GlobScope("apps/?ne.ini", tmp).scan()).containsExactly("apps/one.ini");
        assertThat(new GlobScope("apps/{one}.ini", tmp).scan()).as("no braces in glob(3)").isEmpty();
    }

    @Test
    void aPatternWithoutWildcardIsOneFile() throws Exception {
        write("etc/app.ini");
        GlobScope g = new GlobScope(tmp + "/etc/app.ini", Path.of("/"));
        assertThat(g.root()).isEqualTo(tmp.resolve("etc"));
        assertThat(g.scan()).containsExactly(tmp + "/etc/app.ini");
    }

    @Test
    void aMissingBaseDirectoryIsReportedAsMissing() {
        GlobScope g = new GlobScope(tmp + "/nope/*/vassal.ini", Path.of("/"));
        assertThatThrownBy(g::scan).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> new GlobScope(tmp + "/srv/*/", Path.of("/"))).isInstanceOf(
                IllegalArgumentException.class);
    }

    private VassalFileChange next() throws InterruptedException {
        VassalFileChange c = changes.poll(5, TimeUnit.SECONDS);
        assertThat(c).as("a change within 5 s").isNotNull();
        return c;
    }

    @Test
    void theWatcherSeesANewDirectoryWithItsVassalAndADirectoryMovedAwayAtOnce() throws Exception {
        write("srv/a/vassal.ini");
        watcher = new VassalWatcher(new GlobScope(tmp + "/srv/*/vassal.ini", Path.of("/")), Duration.ofMillis(50),
                Duration.ofHours(1), Clock.systemUTC(), changes::add, warnings::add, FileStamp::of);
        watcher.start();
        VassalFileChange first = next();
        assertThat(first.kind()).isEqualTo(ADDED);
        assertThat(first.name()).isEqualTo(tmp + "/srv/a/vassal.ini");

        Path staged = Files.createDirectories(tmp.resolve("staged"));
        Files.writeString(staged.resolve("vassal.ini"), "[uwsgi]\n");
        Files.move(staged, tmp.resolve("srv/b")); // a whole app directory renamed in: no event for its file
        VassalFileChange added = next();
        assertThat(added.kind()).isEqualTo(ADDED);
        assertThat(added.name()).isEqualTo(tmp + "/srv/b/vassal.ini");

        Files.createDirectories(tmp.resolve("srv/c"));
        Thread.sleep(200); // let the new directory be registered, then write into it
        Files.writeString(tmp.resolve("srv/c/vassal.ini"), "[uwsgi]\n");
        VassalFileChange inNewDir = next();
        assertThat(inNewDir.name()).isEqualTo(tmp + "/srv/c/vassal.ini");

        Files.move(tmp.resolve("srv/a"), tmp.resolve("gone")); // moved away: no event for its file either
        VassalFileChange removed = next();
        assertThat(removed.kind()).isEqualTo(REMOVED);
        assertThat(removed.name()).isEqualTo(tmp + "/srv/a/vassal.ini");
        assertThat(changes.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
}
