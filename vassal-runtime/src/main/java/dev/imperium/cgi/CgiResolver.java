package dev.imperium.cgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a request's {@code PATH_INFO} to a CGI script, the way uWSGI's CGI plugin does ({@code uwsgi_cgi_request}):
 *
 * <ol>
 *   <li>the {@code cgi} value with the longest mountpoint the path lies under (whole path segments: {@code /cgi}
 *       does not cover {@code /cgi-bin}, where uWSGI compares bare prefixes), else the last one without a
 *       mountpoint, else nothing (404); with {@code cgi-from-docroot}, the request's {@code DOCUMENT_ROOT};</li>
 *   <li>a value naming a script runs it, with the rest of the path as {@code PATH_INFO};</li>
 *   <li>a directory is walked one segment at a time: a missing segment is 404, the first one that is no directory
 *       is the script and the rest of the path its {@code PATH_INFO}; the script, symbolic links resolved, must lie
 *       under the directory (or under a {@code cgi-safe} prefix), else 403 and uWSGI's log line
 *       {@code CGI security error: FILE is not under DIR};</li>
 *   <li>a directory asked for without a trailing slash is redirected (301) to the path with one; with one, the
 *       first readable {@code cgi-index} file in it is the script, else 404;</li>
 *   <li>with {@code cgi-allowed-ext}, a file whose name ends with none of them is 403; in a directory, a file with
 *       no {@code cgi-helper} for its name that is not executable is 403.</li>
 * </ol>
 *
 * Reads the file system (stat, realpath, access) but keeps no state between requests; thread-safe.
 */
public final class CgiResolver {
    private final CgiConfig config;
    private final Path workDir;
    private final Map<CgiConfig.Mountpoint, Path> resolved = new HashMap<>();

    /**
     * Creates a resolver.
     *
     * @param config the options
     * @param workDir the directory relative {@code cgi} paths resolve against (the worker's)
     * @throws IllegalArgumentException with {@code cgi-optimize}, if a {@code cgi} path does not exist (uWSGI:
     *     {@code unable to find CGI path PATH})
     */
    public CgiResolver(CgiConfig config, Path workDir) {
        this.config = config;
        this.workDir = workDir;
        if (config.optimize()) {
            for (CgiConfig.Mountpoint m : config.mountpoints()) {
                Path real = realPath(m.path());
                if (real == null) {
                    throw new IllegalArgumentException("unable to find CGI path " + m.path());
                }
                resolved.put(m, real);
            }
        }
    }

    /**
     * Maps one request.
     *
     * @param pathInfo the request's {@code PATH_INFO}, decoded
     * @param documentRoot the request's {@code DOCUMENT_ROOT} variable, or null (used by {@code cgi-from-docroot})
     * @param query the request's query, for the trailing-slash redirect
     * @return what to answer
     */
    public CgiTarget resolve(String pathInfo, String documentRoot, String query) {
        String mountpoint = null;
        int discard = 0;
        Path root;
        if (config.fromDocroot()) {
            root = documentRoot == null || documentRoot.isEmpty() ? null : realPath(documentRoot);
        } else {
            CgiConfig.Mountpoint chosen = choose(pathInfo);
            if (chosen == null) {
                return new CgiTarget.NotFound();
            }
            if (chosen.mountpoint() != null) {
                mountpoint = chosen.mountpoint();
                discard = mountpoint.endsWith("/") ? mountpoint.length() - 1 : mountpoint.length();
            }
            root = resolved.containsKey(chosen) ? resolved.get(chosen) : realPath(chosen.path());
        }
        if (root == null) {
            return new CgiTarget.NotFound();
        }
        String rest = pathInfo.substring(Math.min(discard, pathInfo.length()));
        if (!Files.isDirectory(root)) {
            String scriptName = mountpoint != null && discard > 1 ? pathInfo.substring(0, discard) : null;
            return allowed(root.toString()) ? new CgiTarget.Script(root, null, root, true, scriptName, rest, null)
                    : new CgiTarget.Forbidden(null);
        }
        return inDirectory(root, pathInfo, discard, rest, query);
    }

    private CgiTarget inDirectory(Path root, String pathInfo, int discard, String rest, String query) {
        String rootText = root.toString();
        String current = rootText;
        String scriptPathInfo = null;
        int i = rest.startsWith("/") ? 1 : 0;
        while (i <= rest.length()) {
            int slash = rest.indexOf('/', i);
            if (slash < 0) {
                String last = rest.substring(i);
                if (!last.isEmpty()) {
                    current = current + "/" + last;
                }
                break;
            }
            String segment = rest.substring(i, slash);
            String candidate = segment.isEmpty() ? current : current + "/" + segment;
            BasicFileAttributes attributes = attributes(candidate);
            if (attributes == null) {
                return new CgiTarget.NotFound();
            }
            current = candidate;
            if (!attributes.isDirectory()) {
                if (slash < rest.length() - 1) {
                    scriptPathInfo = rest.substring(slash);
                }
                break;
            }
            i = slash + 1;
        }
        Path real = realPath(current);
        if (real == null) {
            return new CgiTarget.NotFound();
        }
        if (!real.startsWith(root) && !safe(real.toString())) {
            return new CgiTarget.Forbidden("CGI security error: " + real + " is not under " + root);
        }
        Path file = real;
        if (Files.isDirectory(real)) {
            if (!pathInfo.endsWith("/")) {
                return new CgiTarget.AddSlash(PathText.encode(pathInfo) + "/" + (query.isEmpty() ? "" : "?" + query));
            }
            file = index(real);
            if (file == null) {
                return new CgiTarget.NotFound();
            }
        }
        String fileText = file.toString();
        if (!allowed(fileText)) {
            return new CgiTarget.Forbidden(null);
        }
        String helper = helperFor(fileText);
        if (helper == null && !Files.isExecutable(file)) {
            return new CgiTarget.Forbidden("access(): Permission denied [" + file + "]");
        }
        String scriptName = pathInfo.substring(0, Math.min(discard, pathInfo.length()))
                + (fileText.startsWith(rootText) ? fileText.substring(rootText.length()) : "/" + file.getFileName());
        return new CgiTarget.Script(file, helper, root, false, scriptName, scriptPathInfo, file.getParent());
    }

    /** The longest mountpoint {@code path} lies under, else the last value without one, else null. */
    private CgiConfig.Mountpoint choose(String path) {
        CgiConfig.Mountpoint best = null;
        int bestLength = -1;
        CgiConfig.Mountpoint fallback = null;
        for (CgiConfig.Mountpoint m : config.mountpoints()) {
            if (m.mountpoint() == null) {
                fallback = m;
            } else if (m.mountpoint().length() > bestLength && under(path, m.mountpoint())) {
                best = m;
                bestLength = m.mountpoint().length();
            }
        }
        return best != null ? best : fallback;
    }

    /** True if {@code path} is {@code mountpoint} or lies under it, whole segments compared. */
    static boolean under(String path, String mountpoint) {
        String m = mountpoint.endsWith("/") ? mountpoint.substring(0, mountpoint.length() - 1) : mountpoint;
        return path.startsWith(m) && (path.length() == m.length() || path.charAt(m.length()) == '/');
    }

    private Path index(Path directory) {
        for (String name : config.indexFiles()) {
            Path candidate = directory.resolve(name);
            if (Files.isReadable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code cgi-allowed-ext}: with none given every file may run; else the name must end with one. */
    private boolean allowed(String file) {
        List<String> allowed = config.allowedExtensions();
        if (allowed.isEmpty()) {
            return true;
        }
        for (String ext : allowed) {
            if (file.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    private String helperFor(String file) {
        for (CgiConfig.Helper helper : config.helpers()) {
            if (file.endsWith(helper.suffix())) {
                return helper.command();
            }
        }
        return null;
    }

    private boolean safe(String file) {
        for (String prefix : config.safe()) {
            if (file.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private Path realPath(String path) {
        try {
            return workDir.resolve(path).toRealPath();
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    private static BasicFileAttributes attributes(String path) {
        try {
            return Files.readAttributes(Path.of(path), BasicFileAttributes.class);
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }
}
