package dev.imperium.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The option names uWSGI 2.0 knows, read from the resource {@code options.tsv}. That file is generated from the
 * {@code --help} output of Debian's {@code uwsgi-core} (core plus the python3, jvm, jwsgi, http and cgi plugins) by
 * {@code src/test/resources/config/generate-options-tsv.sh}; see that script to regenerate it. Names are made
 * canonical ({@code _} becomes {@code -}, as keys are), and a name listed twice that way counts once.
 */
final class UwsgiOptionList {
    static final String RESOURCE = "options.tsv";

    /**
     * One option as {@code uwsgi --help} lists it.
     *
     * @param name the long name
     * @param shortName the one-letter command-line shortcut, or empty
     * @param origin {@code core} or {@code plugin:NAME}
     * @param help uWSGI's help line
     */
    record Row(String name, String shortName, String origin, String help) {
    }

    /**
     * A group of rows uWSGI lists as the same option: consecutive rows with the same help text and the same
     * shortcut letter, e.g. {@code -p|--processes} and {@code -p|--workers}.
     */
    record Group(Row first, List<Row> aliases) {
        List<String> names() {
            List<String> names = new ArrayList<>();
            names.add(first.name());
            aliases.forEach(a -> names.add(a.name()));
            return names;
        }
    }

    private UwsgiOptionList() {
    }

    static List<Row> rows() {
        try (InputStream in = UwsgiOptionList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing");
            }
            List<Row> rows = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length != 4) {
                    throw new IllegalStateException(RESOURCE + ": bad line: " + line);
                }
                // keys are canonical ('_' read as '-'): uWSGI's pivot_root is pivot-root, listed twice
                String name = cols[0].replace('_', '-');
                if (seen.add(name)) {
                    rows.add(new Row(name, cols[1], cols[2], cols[3]));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns uWSGI's one-letter command-line shortcuts: each letter names the first option listed with it, as
     * uWSGI's {@code uwsgi_get_optname_by_index} finds it ({@code -s} is {@code socket}, not {@code uwsgi-socket}).
     */
    static java.util.Map<Character, String> shortNames() {
        java.util.Map<Character, String> map = new java.util.HashMap<>();
        for (Row row : rows()) {
            if (row.shortName().length() == 1) {
                map.putIfAbsent(row.shortName().charAt(0), row.name());
            }
        }
        return java.util.Map.copyOf(map);
    }

    static List<Group> groups(List<Row> rows) {
        List<Group> groups = new ArrayList<>();
        Row previous = null;
        for (Row row : rows) {
            if (previous != null && !row.shortName().isEmpty() && row.shortName().equals(previous.shortName())
                    && row.help().equals(previous.help())) {
                Group last = groups.removeLast();
                List<Row> aliases = new ArrayList<>(last.aliases());
                aliases.add(row);
                groups.add(new Group(last.first(), List.copyOf(aliases)));
            } else {
                groups.add(new Group(row, List.of()));
            }
            previous = row;
        }
        return groups;
    }
}
