package dev.imperium.statics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which static files are looked for with a precompressed variant ({@code FILE.br}, {@code FILE.gz}), from uWSGI's
 * {@code static-gzip*} options (uwsgi-docs StaticFiles.html "GZIP"; uWSGI 2.0 {@code uwsgi_static_want_gzip}). Each
 * rule looks at the file's real path (symlinks resolved, after {@code static-index}). Immutable.
 *
 * @param all {@code static-gzip-all}: every file
 * @param prefixes {@code static-gzip-dir}/{@code static-gzip-prefix}: files whose real path starts with one of these
 *     (a plain string prefix, as in uWSGI: {@code /srv/a} also covers {@code /srv/ab/x})
 * @param suffixes {@code static-gzip-ext}/{@code static-gzip-suffix}: files whose real path ends with one of these
 *     ({@code css} and {@code .css} both work)
 * @param patterns {@code static-gzip}: files whose real path contains a match of one of these regular expressions
 */
public record GzipRules(boolean all, List<String> prefixes, List<String> suffixes, List<Pattern> patterns) {
    /** No file has variants. */
    public static final GzipRules NONE = new GzipRules(false, List.of(), List.of(), List.of());

    /** Copies the lists. */
    public GzipRules {
        prefixes = List.copyOf(prefixes);
        suffixes = List.copyOf(suffixes);
        patterns = List.copyOf(patterns);
    }

    /** Returns true if no rule is set: variants are never looked for. */
    public boolean isEmpty() {
        return !all && prefixes.isEmpty() && suffixes.isEmpty() && patterns.isEmpty();
    }

    /**
     * Returns true if variants of the file at {@code realPath} are looked for (and responses for it carry
     * {@code Vary: Accept-Encoding}).
     */
    public boolean applies(String realPath) {
        if (all) {
            return true;
        }
        for (String prefix : prefixes) {
            if (realPath.startsWith(prefix)) {
                return true;
            }
        }
        for (String suffix : suffixes) {
            if (realPath.endsWith(suffix)) {
                return true;
            }
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(realPath).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns these rules with each prefix made absolute against {@code directory} and, where it exists, resolved to
     * its real path (keeping a trailing {@code /}), so that it compares with real paths.
     */
    public GzipRules resolvedAgainst(Path directory) {
        List<String> resolved = prefixes.stream().map(p -> {
            Path path = directory.resolve(p);
            String text;
            try {
                text = path.toRealPath().toString();
            } catch (IOException | SecurityException e) {
                text = path.toAbsolutePath().normalize().toString();
            }
            return p.endsWith("/") && !text.endsWith("/") ? text + "/" : text;
        }).toList();
        return new GzipRules(all, resolved, suffixes, patterns);
    }
}
