package dev.imperium.emperor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code --emperor SPEC} names, decided as uWSGI's {@code emperor_build_scanners} does (uwsgi-features.md
 * §1.2): {@code dir://DIR} a directory, {@code glob://PATTERN} a glob; without a scheme, a pattern with a wildcard
 * ({@code * ? [}) is a glob, and so is an existing file that is no directory (uWSGI's glob of one file, a single
 * vassal); anything else is a directory. {@code pg://CONNINFO;QUERY} (also {@code pgsql://}) is uWSGI's PostgreSQL
 * monitor. Other schemes (uWSGI's {@code mongodb://}, {@code amqp://}, {@code zmq://}) are refused by name.
 *
 * @param dir the vassal directory: the directory itself, or for a glob the directory its relative paths start from
 *     (the emperor's working directory, where uWSGI's glob monitor runs its vassals); for PostgreSQL the emperor's
 *     working directory
 * @param glob the glob pattern, or null for a directory
 * @param pgsql the PostgreSQL source, or null
 */
record EmperorMonitor(Path dir, String glob, dev.imperium.emperor.pgsql.PgsqlSource pgsql) {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

    /** A directory ({@code glob} null) or glob monitor. */
    EmperorMonitor(Path dir, String glob) {
        this(dir, glob, null);
    }

    /** Describes the monitor for log lines: {@code directory /etc/vassals}, {@code glob /srv/*.ini}... */
    String describe() {
        if (pgsql != null) {
            return "PostgreSQL " + pgsql.describe();
        }
        return glob != null ? "glob " + glob : "directory " + dir;
    }

    /**
     * Reads the argument of {@code --emperor}, with the process's environment for {@code pg://}.
     *
     * @see #parse(String, Path, java.util.Map)
     */
    static EmperorMonitor parse(String spec, Path cwd) {
        return parse(spec, cwd, System.getenv());
    }

    /**
     * Reads the argument of {@code --emperor}.
     *
     * @param spec the argument as given
     * @param cwd the emperor's working directory (absolute)
     * @param env the environment (libpq's {@code PGHOST}... for {@code pg://})
     * @return the monitor
     * @throws IllegalArgumentException for a scheme Imperium has no monitor for, a glob that names no file, or a
     *     malformed PostgreSQL connection string
     */
    static EmperorMonitor parse(String spec, Path cwd, java.util.Map<String, String> env) {
        if (spec.startsWith("dir://")) {
            return new EmperorMonitor(Path.of(spec.substring("dir://".length())), null);
        }
        if (spec.startsWith("glob://")) {
            return glob(spec.substring("glob://".length()), cwd);
        }
        Matcher scheme = SCHEME.matcher(spec);
        if (scheme.find() && dev.imperium.emperor.pgsql.PgsqlSource.SCHEMES.contains(scheme.group(1))) {
            try {
                return new EmperorMonitor(cwd, null, dev.imperium.emperor.pgsql.PgsqlSource.parse(spec, env));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--emperor " + scheme.group(1) + "://...: " + e.getMessage(), e);
            }
        }
        if (scheme.find(0)) {
            throw new IllegalArgumentException("--emperor " + spec + ": no imperial monitor '" + scheme.group(1)
                    + "://' in Imperium (it has dir://, glob:// and pg://)");
        }
        if (GlobScope.hasWildcard(spec)) {
            return glob(spec, cwd);
        }
        Path path = cwd.resolve(spec);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            return glob(spec, cwd); // one file: a glob matching it alone, as in uWSGI
        }
        return new EmperorMonitor(Path.of(spec), null);
    }

    private static EmperorMonitor glob(String pattern, Path cwd) {
        new GlobScope(pattern, cwd).root(); // checks it names a file
        return new EmperorMonitor(cwd, pattern);
    }
}
