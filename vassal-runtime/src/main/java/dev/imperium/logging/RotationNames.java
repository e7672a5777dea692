package dev.imperium.logging;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Where a rotated log goes (uWSGI 2.0 {@code uwsgi_log_do_rotate}, {@code core/logging.c}): {@code log-backupname}
 * when set (the previous backup of that name is replaced, as in uWSGI), else {@code FILE.EPOCHSECONDS}. Unlike
 * uWSGI, a second rotation within the same second does not replace the first one's file: it gets
 * {@code FILE.EPOCHSECONDS.1}, {@code .2}... Pure.
 */
public final class RotationNames {
    private RotationNames() {
    }

    /**
     * Returns the name of the rotated file.
     *
     * @param file the log file
     * @param backupName {@code log-backupname}, already resolved, or null
     * @param epochSeconds now
     * @param exists tells whether a path exists
     * @return the path to move the log to
     */
    public static Path backup(Path file, Path backupName, long epochSeconds, Predicate<Path> exists) {
        if (backupName != null) {
            return backupName;
        }
        Path name = file.resolveSibling(file.getFileName() + "." + epochSeconds);
        for (int i = 1; exists.test(name); i++) {
            name = file.resolveSibling(file.getFileName() + "." + epochSeconds + "." + i);
        }
        return name;
    }

    /**
     * Returns true if a log of {@code size} bytes must be rotated ({@code log-maxsize}: strictly more than the
     * limit, as uWSGI compares).
     *
     * @param size the file's size in bytes
     * @param maxSize the limit, 0 for none
     */
    public static boolean due(long size, long maxSize) {
        return maxSize > 0 && size > maxSize;
    }
}
