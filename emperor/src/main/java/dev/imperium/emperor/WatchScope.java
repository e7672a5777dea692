package dev.imperium.emperor;

import io.methvin.watcher.visitor.FileTreeVisitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Which files are vassals for a {@link VassalWatcher}, and what to watch to see them change: one directory
 * ({@link DirectoryScope}, uWSGI's {@code dir://} monitor) or a glob ({@link GlobScope}, uWSGI's {@code glob://}).
 */
interface WatchScope {
    /** Returns the directory inotify watches (absolute); below it, {@link #visitor()} says which directories. */
    Path root();

    /** Returns the visitor that tells directory-watcher which directories under {@link #root()} to watch. */
    FileTreeVisitor visitor();

    /**
     * Returns the vassal name of a path an event is about, or null when that path is no vassal file.
     *
     * @param path an absolute path under {@link #root()}
     */
    String nameOf(Path path);

    /**
     * Returns whether an event on {@code path} (a directory appearing or going away) may add or remove vassal files
     * without an event of their own, so that the scope must be scanned again.
     */
    boolean mayChangeMatches(Path path);

    /**
     * Returns the directory a vassal of this scope runs in, against which its name resolves to its file: the
     * directory of a {@code dir://} monitor (uWSGI chdir's there), the emperor's working directory for a glob.
     */
    Path workingDirectory();

    /** Returns the file of a vassal name (absolute). */
    Path fileOf(String name);

    /**
     * Lists the vassal names whose files are present now (their stamps are read by the caller).
     *
     * @throws java.nio.file.NoSuchFileException if the directory (or the glob's base directory) is missing
     * @throws IOException if it cannot be read
     */
    List<String> scan() throws IOException;

    /** Describes the scope for log lines, e.g. {@code vassal directory /etc/imperium/vassals}. */
    String describe();

    /**
     * Returns the scope of an emperor's first monitor: its glob ({@link FleetOptions#glob()}) relative to the vassal
     * directory (the emperor's working directory), else the vassal directory; with the settings'
     * {@code emperor-extra-extension}s.
     */
    static WatchScope of(EmperorSettings settings) {
        Path dir = settings.vassalDir().toAbsolutePath().normalize();
        String glob = settings.fleet().glob();
        java.util.List<String> extra = settings.monitors().extraExtensions();
        return glob == null ? new DirectoryScope(dir, extra) : new GlobScope(glob, dir, extra);
    }
}
