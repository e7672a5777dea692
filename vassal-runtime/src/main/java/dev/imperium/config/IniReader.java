package dev.imperium.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads ini files as uWSGI 2.0 does ({@code core/ini.c} {@code uwsgi_ini_config}).
 *
 * <ul>
 *   <li>A line is stripped of spaces, tabs and carriage returns at both ends; empty lines are skipped.</li>
 *   <li>A line starting with {@code ;} or {@code #} is a comment. There are no inline comments: in
 *       {@code processes = 4 ; four} the value is {@code 4 ; four}.</li>
 *   <li>{@code [name]} starts a section; only entries of the asked section ({@code uwsgi} by default) count. The
 *       name is taken as written between the brackets (not trimmed) and may repeat.</li>
 *   <li>{@code key = value} splits at the first {@code =}; key and value are trimmed. A line without {@code =} is a
 *       bare key (a flag).</li>
 * </ul>
 * Imperium differs in two ways: a header without a closing {@code ]} is an error (uWSGI drops its last character),
 * and an entry before any section header is reported as ignored (uWSGI ignores it silently).
 */
final class IniReader implements FormatReader {
    private static final String DEFAULT_SECTION = "uwsgi";

    @Override
    public ReadResult read(Path file, String text, String section, Diagnostics diagnostics) {
        String asked = section == null ? DEFAULT_SECTION : section;
        List<RawEntry> entries = new ArrayList<>();
        String current = null;
        boolean found = false;
        boolean warnedOutside = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Origin origin = new Origin(file, i + 1);
            String line = strip(lines[i]);
            if (line.isEmpty() || line.charAt(0) == ';' || line.charAt(0) == '#') {
                continue;
            }
            if (line.charAt(0) == '[') {
                if (line.length() < 2 || line.charAt(line.length() - 1) != ']') {
                    diagnostics.error(origin, null, "section header '" + line + "' must end with ']'");
                    current = "";
                    continue;
                }
                current = line.substring(1, line.length() - 1);
                found |= current.equals(asked);
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : strip(line.substring(0, eq));
            if (current == null) {
                if (!warnedOutside) {
                    diagnostics.warning(origin, key, "'" + key + "' is not inside a [section] and is ignored");
                    warnedOutside = true;
                }
                continue;
            }
            if (!current.equals(asked)) {
                continue;
            }
            if (key.isEmpty()) {
                diagnostics.error(origin, null, "missing option name before '='");
                continue;
            }
            entries.add(eq < 0 ? RawEntry.bare(key, origin) : RawEntry.of(key, strip(line.substring(eq + 1)), origin));
        }
        return new ReadResult(entries, found, false);
    }

    @Override
    public String describeSection(String section) {
        return "[" + (section == null ? DEFAULT_SECTION : section) + "]";
    }

    /** Strips spaces, tabs and carriage returns at both ends, the characters uWSGI's ini reader strips. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
