package dev.imperium.statics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Maps file name extensions to media types, read from {@code mime.types} files (uWSGI's {@code mimefile}), as
 * uWSGI does: the extension is what follows the last dot of the file name, and the type is used exactly as the file
 * gives it (no {@code charset} parameter is added, not even for {@code text/*}). The first mapping seen for an
 * extension wins. Unlike uWSGI, a lookup that finds nothing tries the extension again in lower case.
 *
 * <p>Immutable and thread-safe. See https://uwsgi-docs.readthedocs.io/en/latest/StaticFiles.html
 */
public final class MimeTypes {
    /** The file uWSGI reads when no {@code mimefile} is configured (on Linux). */
    public static final Path DEFAULT_FILE = Path.of("/etc/mime.types");

    private static final MimeTypes BUILT_IN = new MimeTypes(builtInTable());

    private final Map<String, String> byExtension;

    private MimeTypes(Map<String, String> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    /** Returns the built-in table of common web types, used when no {@code mime.types} file can be read. */
    public static MimeTypes builtIn() {
        return BUILT_IN;
    }

    /**
     * Returns the table for a vassal's {@code mimefile} values: the given files in order (a missing or unreadable
     * file is reported to {@code warnings} and skipped, as uWSGI does); with none given, {@link #DEFAULT_FILE} when
     * it exists. If no file could be read, the {@link #builtIn()} table.
     *
     * @param files the {@code mimefile} values, already resolved; may be empty
     * @param warnings receives one line per file that could not be read
     * @return the table
     */
    public static MimeTypes load(List<Path> files, Consumer<String> warnings) {
        List<Path> toRead = files.isEmpty() && Files.isReadable(DEFAULT_FILE) ? List.of(DEFAULT_FILE) : files;
        Map<String, String> table = new HashMap<>();
        boolean readAny = false;
        for (Path file : toRead) {
            try {
                parseInto(Files.readString(file, StandardCharsets.ISO_8859_1), table);
                readAny = true;
            } catch (IOException | UncheckedIOException e) {
                warnings.accept("!!! no " + file + " file found (" + e.getMessage() + "), mimefile skipped !!!");
            }
        }
        return readAny ? new MimeTypes(table) : BUILT_IN;
    }

    /**
     * Parses the text of a {@code mime.types} file: one {@code type ext ext...} per line, blank-separated;
     * {@code #} starts a comment.
     *
     * @param text the file's content
     * @return the table
     */
    public static MimeTypes parse(String text) {
        Map<String, String> table = new HashMap<>();
        parseInto(text, table);
        return new MimeTypes(table);
    }

    private static void parseInto(String text, Map<String, String> table) {
        // Scanned by hand rather than with split(regex): a worker reads /etc/mime.types (~1,000 lines) at start-up.
        int length = text.length();
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = length;
            }
            int hash = text.indexOf('#', lineStart);
            int end = hash >= 0 && hash < lineEnd ? hash : lineEnd;
            String type = null;
            int i = lineStart;
            while (i < end) {
                while (i < end && isBlank(text.charAt(i))) {
                    i++;
                }
                int wordStart = i;
                while (i < end && !isBlank(text.charAt(i))) {
                    i++;
                }
                if (i > wordStart) {
                    String word = text.substring(wordStart, i);
                    if (type == null) {
                        type = word;
                    } else {
                        table.putIfAbsent(word, type);
                    }
                }
            }
            lineStart = lineEnd + 1;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /**
     * Returns the media type for a file name.
     *
     * @param fileName a file name or path; only the part after the last {@code /} counts
     * @return e.g. {@code text/css} for {@code a.css}; empty when the name has no extension or it is unknown
     */
    public Optional<String> forFileName(String fileName) {
        String name = fileName.substring(fileName.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return Optional.empty();
        }
        String extension = name.substring(dot + 1);
        String type = byExtension.get(extension);
        if (type == null) {
            type = byExtension.get(extension.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(type);
    }

    /** Returns how many extensions the table knows. */
    public int size() {
        return byExtension.size();
    }

    private static Map<String, String> builtInTable() {
        Map<String, String> table = new HashMap<>();
        parseInto("""
                text/html html htm
                text/css css
                text/javascript js mjs
                text/plain txt text
                text/csv csv
                text/markdown md markdown
                text/xml xml
                application/json json map
                application/manifest+json webmanifest
                application/wasm wasm
                application/pdf pdf
                application/zip zip
                application/gzip gz
                application/x-tar tar
                application/octet-stream bin
                image/png png
                image/jpeg jpg jpeg
                image/gif gif
                image/webp webp
                image/avif avif
                image/svg+xml svg svgz
                image/vnd.microsoft.icon ico
                font/woff woff
                font/woff2 woff2
                font/ttf ttf
                font/otf otf
                audio/mpeg mp3
                audio/ogg ogg oga
                video/mp4 mp4
                video/webm webm
                """, table);
        return table;
    }
}
