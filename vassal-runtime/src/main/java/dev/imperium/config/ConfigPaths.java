package dev.imperium.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns a file name written in a config ({@code @(…)}, includes, {@code inherit}, {@code if-exists},
 * {@code for-readline}) into a path. A name no file can have (on Linux: one holding a NUL byte, which a C string
 * such as uWSGI's would silently cut there) is a config error naming the file and line, not an exception.
 */
final class ConfigPaths {
    private ConfigPaths() {
    }

    /**
     * Resolves {@code name} against {@code dir}.
     *
     * @return the path, or null after reporting an error at {@code origin} when {@code name} cannot be a file name
     */
    static Path resolve(Path dir, String name, Origin origin, String key, Diagnostics diagnostics) {
        try {
            return dir.resolve(name);
        } catch (InvalidPathException e) {
            diagnostics.error(origin, key, "invalid file name '" + name.replace("\0", "\\0") + "': "
                    + e.getReason());
            return null;
        }
    }
}
