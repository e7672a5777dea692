package dev.imperium.vassal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The files of {@code touch-reload}, polled by the master once a second (uWSGI 2.0 {@code uwsgi_check_touches}): a
 * file counts as touched when its modification time changes, when it is removed, or when it appears after being
 * missing. A file missing at start is reported once ({@code unable to stat() PATH, events will be triggered as soon
 * as the file is created}). Unlike uWSGI, which compares whole seconds, the full modification time is compared, so
 * two touches within one second are both seen. Not thread-safe: the master's loop owns it.
 */
final class TouchWatch {
    /** The state of one file: its last modification time, or null while it is missing. */
    private static final class Watched {
        final String name;
        final Path path;
        FileTime mtime;

        Watched(String name, Path path, FileTime mtime) {
            this.name = name;
            this.path = path;
            this.mtime = mtime;
        }
    }

    private final List<Watched> files = new ArrayList<>();

    /**
     * Records the files' current state.
     *
     * @param base the directory relative names resolve against
     * @param names the files to watch, as configured (log lines name them so, as uWSGI's do)
     * @param log receives the line for a file that is missing now
     */
    TouchWatch(Path base, List<String> names, Consumer<String> log) {
        for (String name : names) {
            Path path = base.resolve(name);
            FileTime mtime = mtime(path);
            if (mtime == null) {
                log.accept("unable to stat() " + name + ", events will be triggered as soon as the file is created");
            }
            files.add(new Watched(name, path, mtime));
        }
    }

    /** Returns true if there is nothing to watch. */
    boolean isEmpty() {
        return files.isEmpty();
    }

    /**
     * Checks every file once and returns the first one touched since the last check, as configured, or null.
     */
    String check() {
        for (Watched w : files) {
            FileTime now = mtime(w.path);
            boolean touched = now == null ? w.mtime != null : !now.equals(w.mtime);
            w.mtime = now;
            if (touched) {
                return w.name;
            }
        }
        return null;
    }

    private static FileTime mtime(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return null;
        }
    }
}
