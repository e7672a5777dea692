package dev.imperium.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * uWSGI's magic variables ({@code %d}, {@code %n}, ...), replaced in the raw text of each config file before it is
 * parsed, exactly when uWSGI does it ({@code core/io.c} {@code uwsgi_open_and_read} calls {@code magic_sub};
 * table filled by {@code core/uwsgi.c} {@code config_magic_table_fill} and {@code uwsgi_setup}; documented in
 * {@code Configuration.html#magic-variables}).
 *
 * <p>Lowercase file variables describe the file they appear in, also when it is included; the uppercase variants
 * ({@code %O %D %S %P %C %E %N %X %I %J}) describe the first file loaded, the vassal file itself. {@code %v} is the
 * vassals directory: env {@code IMPERIUM_VASSALS_DIR}, else the vassal file's directory. {@code %%} is a literal
 * {@code %} and {@code %(} is left for placeholder expansion.
 *
 * <p>uWSGI replaces an unknown {@code %X} with nothing and lets a {@code %} at the end of a line swallow the line
 * break. Imperium replaces the first with nothing too but reports both (see {@link Substitution#unknown()}), keeping
 * the {@code %} and the line break in the second case.
 */
final class MagicVars {
    /** The env variable through which the Emperor passes the vassals directory ({@code %v}). */
    static final String VASSALS_DIR_ENV = "IMPERIUM_VASSALS_DIR";
    private static final String UPPERCASE_FILE_VARS = "ODSPCENXIJ";

    private final LoaderOptions options;
    private final SystemFacts facts;
    private final long startMicros;
    private Map<Character, Supplier<String>> first;

    MagicVars(LoaderOptions options, SystemFacts facts, long startMicros) {
        this.options = options;
        this.facts = facts;
        this.startMicros = startMicros;
    }

    /** An unknown magic variable, e.g. {@code %z}, or a lone {@code %} at the end of a line ({@code sequence = "%"}). */
    record Unknown(int line, String sequence) {
    }

    /** The text with magic variables replaced, and the unknown ones found (by line). */
    record Substitution(String text, List<Unknown> unknown) {
    }

    /**
     * Returns the table for one file; the first call (the vassal file) also fixes the uppercase variants.
     *
     * @param file the file's absolute path
     * @param asWritten the reference as written, section included ({@code %o})
     * @param section the section or null ({@code %x})
     */
    FileVars forFile(Path file, String asWritten, String section) {
        Map<Character, Supplier<String>> table = new HashMap<>();
        Path full = fullName(file);
        String p = full.toString();
        Path parent = full.getParent();
        String d = parent == null ? "/" : parent.toString().equals("/") ? "/" : parent + "/";
        String s = full.getFileName() == null ? "" : full.getFileName().toString();
        int dot = s.lastIndexOf('.');
        table.put('o', () -> asWritten);
        table.put('p', () -> p);
        table.put('s', () -> s);
        table.put('d', () -> d);
        table.put('c', () -> parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString());
        table.put('e', () -> dot < 0 ? "" : s.substring(dot + 1));
        table.put('n', () -> dot < 0 ? s : s.substring(0, dot));
        table.put('x', () -> section == null ? "" : section);
        table.put('i', () -> inode(full));
        table.put('j', () -> djb33xHex(p));
        for (int i = 0; i < 10; i++) {
            int index = i;
            table.put((char) ('0' + i), () -> parent == null || index >= parent.getNameCount()
                    ? "" : parent.getName(index).toString());
        }
        if (first == null) {
            first = new HashMap<>();
            for (char c : UPPERCASE_FILE_VARS.toCharArray()) {
                first.put(c, table.get(Character.toLowerCase(c)));
            }
        }
        table.putAll(first);
        String vassalsDir = options.env().get(VASSALS_DIR_ENV);
        Supplier<String> firstDir = first.get('D');
        table.put('v', () -> vassalsDir != null && !vassalsDir.isEmpty() ? vassalsDir : stripSlash(firstDir.get()));
        table.put('h', facts::hostname);
        table.put('t', () -> Long.toString(startMicros / 1_000_000));
        table.put('T', () -> Long.toString(startMicros));
        table.put('V', MagicVars::version);
        table.put('k', () -> Integer.toString(facts.cpus()));
        table.put('[', () -> "\033");
        table.put('u', facts::uid);
        table.put('U', facts::userName);
        table.put('g', facts::gid);
        table.put('G', facts::groupName);
        table.put('b', facts::binary);
        return new FileVars(table);
    }

    /** The magic variables of one file. */
    static final class FileVars {
        private final Map<Character, Supplier<String>> table;

        private FileVars(Map<Character, Supplier<String>> table) {
            this.table = table;
        }

        /** Returns the value of one magic variable, or null if there is no such variable. */
        String get(char name) {
            Supplier<String> value = table.get(name);
            return value == null ? null : value.get();
        }

        /** Replaces every magic variable in a file's text. */
        Substitution substitute(String text) {
            StringBuilder out = new StringBuilder(text.length());
            List<Unknown> unknown = new ArrayList<>();
            int line = 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    line++;
                }
                if (c != '%') {
                    out.append(c);
                    continue;
                }
                char next = i + 1 < text.length() ? text.charAt(i + 1) : '\n';
                if (next == '\n' || next == '\r') {
                    unknown.add(new Unknown(line, "%"));
                    out.append('%');
                    continue;
                }
                i++;
                if (next == '%') {
                    out.append('%');
                } else if (next == '(') {
                    out.append("%(");
                } else {
                    String value = get(next);
                    if (value == null) {
                        unknown.add(new Unknown(line, "%" + next));
                    } else {
                        out.append(value);
                    }
                }
            }
            return new Substitution(out.toString(), unknown);
        }
    }

    /** uWSGI's %p: the real path, except that a symlinked config keeps its own (absolute) path. */
    private static Path fullName(Path file) {
        if (Files.isSymbolicLink(file)) {
            return file.toAbsolutePath();
        }
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static String inode(Path file) {
        try {
            return String.valueOf(Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
        }
    }

    /** uWSGI's %j: the djb33x hash of %p, its 4 bytes in little-endian order, as upper-case hex. */
    static String djb33xHex(String path) {
        int hash = 5381;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            hash = ((hash << 5) + hash) ^ b;
        }
        byte[] little = {(byte) hash, (byte) (hash >>> 8), (byte) (hash >>> 16), (byte) (hash >>> 24)};
        return HexFormat.of().withUpperCase().formatHex(little);
    }

    private static String stripSlash(String dir) {
        return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }

    private static String version() {
        String version = MagicVars.class.getPackage().getImplementationVersion();
        return "imperium-" + (version == null ? "dev" : version);
    }
}
