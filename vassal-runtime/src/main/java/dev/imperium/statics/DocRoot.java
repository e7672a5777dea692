package dev.imperium.statics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One directory (or file) that static files are served from, resolved to its real path on first use and cached
 * from then on, as uWSGI resolves {@code static-map} and {@code check-static} targets lazily: a target that does not
 * exist yet is retried on the next request. Thread-safe.
 */
final class DocRoot {
    private final Path configured;
    private volatile Resolved resolved;

    /** A real path and whether it is a regular file (a {@code static-map} may target one file). */
    record Resolved(Path path, boolean isFile) {
    }

    DocRoot(Path configured) {
        this.configured = configured;
    }

    /** Returns the path as configured (absolute). */
    Path configured() {
        return configured;
    }

    /** Returns the real path, or empty while the target does not exist. */
    Optional<Resolved> resolve() {
        Resolved current = resolved;
        if (current == null) {
            try {
                Path real = configured.toRealPath();
                current = new Resolved(real, Files.isRegularFile(real));
                resolved = current;
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }
}
