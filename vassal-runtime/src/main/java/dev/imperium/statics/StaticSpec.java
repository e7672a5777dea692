package dev.imperium.statics;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A vassal's static-file options, as the config gives them (uWSGI syntax), for {@link StaticFiles#create}.
 *
 * <p>Relative paths resolve against {@code directory} (the vassal's {@code chdir}, else its working directory), as
 * uWSGI's {@code realpath()} resolves them against the process's current directory.
 *
 * @param staticMaps {@code static-map} values, {@code /mount=/path} (a directory or a file), in order
 * @param checkStatic {@code check-static} directories, in order
 * @param staticIndex {@code static-index} names tried, in order, when a request maps to a directory
 * @param mimeFiles {@code mimefile} paths; empty means {@code /etc/mime.types} when it exists
 * @param staticSafe {@code static-safe} directories: files resolved (through symlinks) under them are served even
 *     when they lie outside the mapped directory
 * @param directory the directory relative paths resolve against
 */
public record StaticSpec(
        List<String> staticMaps,
        List<String> checkStatic,
        List<String> staticIndex,
        List<String> mimeFiles,
        List<String> staticSafe,
        Path directory) {

    /** Copies the lists; every component is required (use empty lists). */
    public StaticSpec {
        staticMaps = List.copyOf(staticMaps);
        checkStatic = List.copyOf(checkStatic);
        staticIndex = List.copyOf(staticIndex);
        mimeFiles = List.copyOf(mimeFiles);
        staticSafe = List.copyOf(staticSafe);
        Objects.requireNonNull(directory, "directory");
    }

    /** Returns a spec with no static options, whose {@link StaticFiles} declines every request. */
    public static StaticSpec none() {
        return new StaticSpec(List.of(), List.of(), List.of(), List.of(), List.of(), Path.of("").toAbsolutePath());
    }

    /** Returns true when neither {@code static-map} nor {@code check-static} is set: nothing will be served. */
    public boolean isEmpty() {
        return staticMaps.isEmpty() && checkStatic.isEmpty();
    }
}
