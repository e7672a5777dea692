package dev.imperium.emperor;

import io.methvin.watcher.visitor.FileTreeVisitor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The vassal files of one directory, as uWSGI's {@code dir://} monitor finds them: its direct children whose names
 * are {@link VassalFiles#isVassalName vassal names}, named by their file name. Subdirectories are neither vassals
 * nor watched.
 *
 * @param dir the directory, absolute
 * @param extraExtensions uWSGI's {@code emperor-extra-extension}s: more vassal file name endings
 */
record DirectoryScope(Path dir, List<String> extraExtensions) implements WatchScope {
    /** A directory with the standard extensions only. */
    DirectoryScope(Path dir) {
        this(dir, List.of());
    }

    /** Copies the extensions. */
    DirectoryScope {
        extraExtensions = List.copyOf(extraExtensions);
    }

    @Override
    public Path workingDirectory() {
        return dir;
    }

    @Override
    public Path root() {
        return dir;
    }

    @Override
    public FileTreeVisitor visitor() {
        return (file, onDirectory, onFile) -> {
            if (file.toAbsolutePath().normalize().equals(dir)) {
                onDirectory.call(file); // the top directory only: no subdirectory is registered
            }
        };
    }

    @Override
    public String nameOf(Path path) {
        if (!dir.equals(path.getParent())) {
            return null;
        }
        String name = path.getFileName().toString();
        return VassalFiles.isVassalName(name, extraExtensions) ? name : null;
    }

    @Override
    public boolean mayChangeMatches(Path path) {
        return false;
    }

    @Override
    public Path fileOf(String name) {
        return dir.resolve(name);
    }

    @Override
    public List<String> scan() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (VassalFiles.isVassalName(name, extraExtensions)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    @Override
    public String describe() {
        return "vassal directory " + dir;
    }
}
