package dev.imperium.statics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the file a request path names under a root, without ever leaving it: the candidate is resolved to its real
 * path ({@code realpath(3)}: symlinks followed, {@code .} and {@code ..} removed) and must lie under the root's real
 * path or under a {@code static-safe} directory, as in uWSGI's {@code core/static.c}. A directory is served through
 * the first {@code static-index} name that is a regular file (checked the same way); without one it is not served.
 * Thread-safe.
 */
final class FileLookup {
    private final List<String> indexNames;
    private final List<Path> safeDirs;

    /** What a lookup found. */
    sealed interface Result {
    }

    /** A regular file to serve, by real path. */
    record Found(Path file) implements Result {
    }

    /** Nothing to serve there: the request goes on to the next mount or the app. */
    record Missing() implements Result {
    }

    /** The path resolved outside the root and every safe directory: refused, and logged as a security error. */
    record Outside(Path realPath, Path root) implements Result {
    }

    private static final Missing MISSING = new Missing();

    /**
     * @param indexNames the {@code static-index} names, in order
     * @param safeDirs the {@code static-safe} directories, as real paths where they exist
     */
    FileLookup(List<String> indexNames, List<Path> safeDirs) {
        this.indexNames = List.copyOf(indexNames);
        this.safeDirs = List.copyOf(safeDirs);
    }

    /**
     * Looks a remainder up under a root.
     *
     * @param root the root's real path
     * @param rootIsFile whether the root is a file (then the remainder is ignored)
     * @param remainder the request path below the mountpoint, decoded, e.g. {@code /css/a.css}
     */
    Result find(Path root, boolean rootIsFile, String remainder) {
        if (rootIsFile) {
            return Files.isRegularFile(root) ? new Found(root) : MISSING;
        }
        String relative = stripLeadingSlashes(remainder);
        Path candidate;
        try {
            candidate = relative.isEmpty() ? root : root.resolve(relative);
        } catch (InvalidPathException e) {
            return MISSING;
        }
        Result result = check(root, candidate);
        if (!(result instanceof Found(Path real)) || Files.isRegularFile(real)) {
            return result;
        }
        if (!Files.isDirectory(real)) {
            return MISSING;
        }
        for (String index : indexNames) {
            Result indexed = check(root, real.resolve(index));
            if (indexed instanceof Outside
                    || indexed instanceof Found(Path file) && Files.isRegularFile(file)) {
                return indexed;
            }
        }
        return MISSING;
    }

    /**
     * Looks up a precompressed variant ({@code FILE.gz}) next to a file found under {@code root}: found only if it
     * is a regular file whose real path stays under the root or a safe directory, like the file itself.
     *
     * @param root the root's real path
     * @param candidate the variant's path, e.g. the file's real path followed by {@code .gz}
     */
    Result variant(Path root, Path candidate) {
        Result result = check(root, candidate);
        return result instanceof Found(Path real) && !Files.isRegularFile(real) ? MISSING : result;
    }

    /** Resolves {@code candidate} to its real path and checks it stays under the root or a safe directory. */
    private Result check(Path root, Path candidate) {
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException | SecurityException e) {
            return MISSING;
        }
        if (real.startsWith(root) || safeDirs.stream().anyMatch(real::startsWith)) {
            return new Found(real);
        }
        return new Outside(real, root);
    }

    /** Returns {@code path} without its leading slashes ({@code //a/b} → {@code a/b}). */
    static String stripLeadingSlashes(String path) {
        int i = 0;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return path.substring(i);
    }
}
