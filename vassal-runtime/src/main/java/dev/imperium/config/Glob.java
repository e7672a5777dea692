package dev.imperium.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Shell-style path globbing as C's {@code glob(3)} with {@code GLOB_MARK | GLOB_NOCHECK} does it for
 * {@code for-glob}: {@code * ? [...]} within one path component, names starting with {@code .} only matched by a
 * pattern starting with {@code .}, results sorted, directories marked with a trailing {@code /}, and the pattern
 * itself when nothing matches. Relative patterns are resolved against the working directory and results stay
 * relative, as written.
 */
final class Glob {
    private Glob() {
    }

    /** Expands a pattern; stops after {@code limit} matches. */
    static List<String> expand(String pattern, Path cwd, int limit) {
        boolean absolute = pattern.startsWith("/");
        String[] parts = pattern.split("/");
        List<String> current = new ArrayList<>();
        current.add(absolute ? "/" : "");
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String prefix : current) {
                if (!hasWildcard(part)) {
                    next.add(join(prefix, part));
                    continue;
                }
                Path dir = cwd.resolve(prefix.isEmpty() ? "." : prefix);
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + escapeBraces(part));
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        String name = child.getFileName().toString();
                        if ((name.startsWith(".") && !part.startsWith(".")) || !matcher.matches(child.getFileName())) {
                            continue;
                        }
                        next.add(join(prefix, name));
                        if (next.size() > limit) {
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // not a directory, or unreadable: no matches below it
                }
            }
            current = next;
        }
        List<String> matches = new ArrayList<>();
        for (String candidate : current) {
            Path path = cwd.resolve(candidate);
            if (Files.exists(path)) {
                matches.add(Files.isDirectory(path) && !candidate.endsWith("/") ? candidate + "/" : candidate);
            }
        }
        if (matches.isEmpty()) {
            return List.of(pattern);
        }
        matches.sort(null);
        return matches;
    }

    private static boolean hasWildcard(String part) {
        return part.indexOf('*') >= 0 || part.indexOf('?') >= 0 || part.indexOf('[') >= 0;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
    }

    /** glob(3) has no {@code {a,b}} alternatives; Java's glob syntax does, so braces are escaped. */
    private static String escapeBraces(String part) {
        return part.replace("{", "\\{").replace("}", "\\}");
    }
}
