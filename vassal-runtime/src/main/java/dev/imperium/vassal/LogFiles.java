package dev.imperium.vassal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reopening and rotating the {@code logto} file, for the master FIFO's {@code l} and {@code L} (uWSGI 2.0
 * {@code uwsgi_log_reopen}, {@code uwsgi_log_rotate} in {@code core/logging.c}). The master reopens its own log
 * here; it then tells its workers to reopen theirs, as they write to the file directly.
 */
final class LogFiles {
    private LogFiles() {
    }

    /** Returns where {@code L} moves the log: {@code FILE.EPOCHSECONDS}, uWSGI's name without {@code log-backupname}. */
    static Path rotatedName(Path file, long epochSeconds) {
        return file.resolveSibling(file.getFileName() + "." + epochSeconds);
    }

    /**
     * Reopens this process's log, after moving it aside first when {@code rotate} is set; logs uWSGI's lines
     * ({@code logsize: N, triggering rotation to FILE.T...}, or {@code [T] logsize: N, triggering log-reopen...}
     * and {@code [T] FILE reopened.}).
     *
     * @param file the {@code logto} file, absolute
     * @param rotate move the file aside before reopening
     * @return true if the log now writes to a freshly opened {@code file}
     */
    static boolean reopen(Path file, boolean rotate) {
        long now = System.currentTimeMillis() / 1000;
        long size = size(file);
        if (rotate) {
            Path rotated = rotatedName(file, now);
            Log.line("logsize: " + size + ", triggering rotation to " + rotated + "...");
            try {
                Files.move(file, rotated);
            } catch (IOException e) {
                Log.line("unable to rotate log: rename(): " + e.getMessage());
                return false;
            }
        } else {
            Log.line("[" + now + "] logsize: " + size + ", triggering log-reopen...");
        }
        if (!Master.redirectLog(file)) {
            Log.line("unable to open " + file + ": the log stays where it was");
            return false;
        }
        if (!rotate) {
            Log.line("[" + now + "] " + file + " reopened.");
        }
        return true;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
