package dev.imperium.emperor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a vassal's file is, by its name: with several monitors (issue 7: monitors) each vassal belongs to the monitor
 * that reported it first, and runs in that monitor's {@link WatchScope#workingDirectory() working directory}, against
 * which its name resolves to its file. Thread-safe.
 */
interface VassalLocator {
    /**
     * Returns the directory a vassal runs in; its name resolves against it to its file.
     *
     * @param name the vassal name
     */
    Path directoryOf(String name);

    /** Returns the file of a vassal name (absolute). */
    default Path fileOf(String name) {
        return directoryOf(name).resolve(name).normalize();
    }

    /**
     * Returns whether {@code name} is a vassal file that a monitor would run now (the file is there and the monitor
     * names it so).
     */
    boolean hasFile(String name);

    /** The locator of a single scope. */
    static VassalLocator of(WatchScope scope) {
        return new VassalLocator() {
            @Override
            public Path directoryOf(String name) {
                return scope.workingDirectory();
            }

            @Override
            public boolean hasFile(String name) {
                Path file = scope.fileOf(name);
                return name.equals(scope.nameOf(file)) && Files.isRegularFile(file);
            }
        };
    }
}
