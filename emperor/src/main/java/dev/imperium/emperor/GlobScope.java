package dev.imperium.emperor;

import io.methvin.watcher.visitor.FileTreeVisitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The vassal files matching a glob, as uWSGI's {@code glob://} monitor finds them ({@code --emperor
 * '/srv/*&#47;vassal.ini'}; {@code core/emperor.c uwsgi_imperial_monitor_glob}): {@code *}, {@code ?} and
 * {@code [...]} within one path component, as {@code glob(3)} (a name starting with {@code .} only matches a
 * pattern component starting with {@code .}; no {@code {a,b}}). A vassal is named by its path as the glob gives it:
 * {@code /srv/app1/vassal.ini}, or relative to the emperor's working directory for a relative pattern, so two
 * {@code vassal.ini} in two directories are two vassals. Its file name must still be a
 * {@link VassalFiles#isVassalName vassal name} (extension, no hidden or editor files) and the whole name at most 254
 * bytes, as uWSGI's.
 *
 * <p>uWSGI only polls its globs; here inotify watches the pattern's base directory (its components before the first
 * wildcard) and the directories below it that match the pattern's directory components, so a new
 * {@code /srv/app3/vassal.ini} is seen at once, a new directory {@code /srv/app3} included.
 *
 * @param pattern the glob as given, without {@code glob://}
 * @param cwd the directory a relative pattern is relative to (the emperor's working directory), absolute
 * @param extraExtensions uWSGI's {@code emperor-extra-extension}s: more vassal file name endings
 */
record GlobScope(String pattern, Path cwd, List<String> extraExtensions) implements WatchScope {
    /** A glob with the standard extensions only. */
    GlobScope(String pattern, Path cwd) {
        this(pattern, cwd, List.of());
    }

    @Override
    public Path workingDirectory() {
        return cwd;
    }

    private static final int MAX_NAME_BYTES = 254;

    /** The pattern's base: the components before the first one with a wildcard (never the file component). */
    private String base() {
        List<String> parts = parts();
        StringBuilder base = new StringBuilder(pattern.startsWith("/") ? "/" : "");
        for (int i = 0; i < parts.size() - 1 && !hasWildcard(parts.get(i)); i++) {
            if (!base.isEmpty() && base.charAt(base.length() - 1) != '/') {
                base.append('/');
            }
            base.append(parts.get(i));
        }
        return base.toString();
    }

    /** The pattern's components below the base, the last one the file's. */
    private List<String> rest() {
        List<String> parts = parts();
        int i = 0;
        while (i < parts.size() - 1 && !hasWildcard(parts.get(i))) {
            i++;
        }
        return parts.subList(i, parts.size());
    }

    private List<String> parts() {
        List<String> parts = new ArrayList<>();
        for (String p : pattern.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("the glob '" + pattern + "' names no file");
        }
        return parts;
    }

    /** Checks the pattern. */
    GlobScope {
        cwd = cwd.toAbsolutePath().normalize();
        extraExtensions = List.copyOf(extraExtensions);
        if (pattern.isEmpty() || pattern.endsWith("/")) {
            throw new IllegalArgumentException("the glob '" + pattern + "' names no file");
        }
    }

    static boolean hasWildcard(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    @Override
    public Path root() {
        String base = base();
        return cwd.resolve(base.isEmpty() ? "." : base).normalize();
    }

    /** Whether {@code name} matches the pattern component {@code part} (glob(3): no leading dot for a wildcard). */
    private static boolean matches(String part, String name) {
        if (!hasWildcard(part)) {
            return part.equals(name);
        }
        if (name.startsWith(".") && !part.startsWith(".")) {
            return false;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + part.replace("{", "\\{").replace("}", "\\}"));
        return m.matches(Path.of(name));
    }

    /** The components of {@code path} below the root, or null when it is not below it. */
    private List<String> below(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path root = root();
        if (!abs.startsWith(root) || abs.equals(root)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Path p : root.relativize(abs)) {
            names.add(p.toString());
        }
        return names;
    }

    /** Whether the first {@code names.size()} components of the rest match {@code names}. */
    private boolean prefixMatches(List<String> names) {
        List<String> rest = rest();
        if (names.size() > rest.size()) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!matches(rest.get(i), names.get(i))) {
                return false;
            }
        }
        return true;
    }

    private String nameOf(List<String> names) {
        String base = base();
        String relative = String.join("/", names);
        String name = base.isEmpty() ? relative : base.endsWith("/") ? base + relative : base + "/" + relative;
        if (!VassalFiles.isVassalName(names.getLast(), extraExtensions)
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return null;
        }
        return name;
    }

    @Override
    public String nameOf(Path path) {
        List<String> names = below(path);
        if (names == null || names.size() != rest().size() || !prefixMatches(names)) {
            return null;
        }
        return nameOf(names);
    }

    @Override
    public boolean mayChangeMatches(Path path) {
        List<String> names = below(path);
        return names != null && names.size() < rest().size() && prefixMatches(names);
    }

    @Override
    public Path fileOf(String name) {
        return cwd.resolve(name).normalize();
    }

    @Override
    public FileTreeVisitor visitor() {
        return this::visit;
    }

    /** Registers the root and the directories matching the pattern's directory components; reports their files. */
    private void visit(Path file, FileTreeVisitor.Callback onDirectory, FileTreeVisitor.Callback onFile)
            throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        List<String> names = abs.equals(root()) ? List.of() : below(abs);
        int dirs = rest().size() - 1;
        if (names == null || names.size() > dirs || !prefixMatches(names) || !Files.isDirectory(abs)) {
            return;
        }
        onDirectory.call(file);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(file)) {
            for (Path child : children) {
                if (names.size() < dirs) {
                    visit(child, onDirectory, onFile);
                } else if (nameOf(child) != null) {
                    onFile.call(child);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // gone meanwhile
        }
    }

    @Override
    public List<String> scan() throws IOException {
        Path root = root();
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString());
        }
        List<String> rest = rest();
        List<List<String>> level = List.of(List.of());
        for (int depth = 0; depth < rest.size(); depth++) {
            boolean last = depth == rest.size() - 1;
            List<List<String>> next = new ArrayList<>();
            for (List<String> names : level) {
                Path dir = names.isEmpty() ? root : root.resolve(String.join("/", names));
                String part = rest.get(depth);
                if (!hasWildcard(part)) {
                    Path child = dir.resolve(part);
                    if (last ? Files.exists(child) : Files.isDirectory(child)) {
                        next.add(append(names, part));
                    }
                    continue;
                }
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        String name = child.getFileName().toString();
                        if (matches(part, name) && (last || Files.isDirectory(child))) {
                            next.add(append(names, name));
                        }
                    }
                } catch (NoSuchFileException | NotDirectoryException e) {
                    // gone meanwhile, or not a directory: nothing below it
                }
            }
            level = next;
        }
        List<String> found = new ArrayList<>();
        for (List<String> names : level) {
            String name = nameOf(names);
            if (name != null) {
                found.add(name);
            }
        }
        found.sort(null);
        return found;
    }

    private static List<String> append(List<String> names, String name) {
        List<String> longer = new ArrayList<>(names);
        longer.add(name);
        return longer;
    }

    @Override
    public String describe() {
        return "vassal glob " + pattern;
    }
}
