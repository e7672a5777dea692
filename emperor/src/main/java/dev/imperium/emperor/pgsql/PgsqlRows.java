package dev.imperium.emperor.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the rows of the PostgreSQL monitor's query as uWSGI's {@code emperor_pg} does: each row is {@code name,
 * config, ts[, uid, gid[, socket]]}; {@code ts} an epoch in seconds whose decimals are cut ({@code EXTRACT(epoch FROM
 * ts)} gives {@code 1700000000.123456}); {@code uid} and {@code gid} are required in tyrant mode (uWSGI: "missing uid
 * and gid for vassal"); a sixth column is the vassal's on-demand socket. Pure: strings in, rows and problems out.
 *
 * <p>A row that cannot be used (a name that is no vassal file name, no config, a {@code ts} that is no number, a name
 * listed twice) is a problem; its name, when it is one, is still {@linkplain Result#listed() listed}, so that a vassal
 * already running under that name is left as it is instead of being stopped, as uWSGI's monitor only stops vassals
 * whose name is no longer returned.
 */
public final class PgsqlRows {
    private PgsqlRows() {
    }

    /**
     * One usable row.
     *
     * @param name the vassal name, e.g. {@code app.ini}
     * @param config the vassal file's text
     * @param ts the row's time stamp, epoch seconds: a greater one reloads the vassal
     * @param uid the user to run as (tyrant mode), or null
     * @param gid the group to run as (tyrant mode), or null
     * @param socket the on-demand socket (sixth column), or null when absent or empty
     */
    public record VassalRow(String name, String config, long ts, Integer uid, Integer gid, String socket) {
    }

    /**
     * What a query returned.
     *
     * @param rows the usable rows, by name, in query order
     * @param listed every name the query returned (usable or not): vassals not listed are stopped
     * @param problems one line per unusable row
     */
    public record Result(Map<String, VassalRow> rows, Set<String> listed, List<String> problems) {
    }

    /**
     * Reads the rows.
     *
     * @param rows each row's first (up to six) columns as text, null for SQL NULL
     * @param tyrant whether the emperor runs in tyrant mode (uid and gid required)
     * @param isVassalName which names are vassal file names (with {@code emperor-extra-extension})
     * @return the usable rows, the names listed, and the problems
     */
    public static Result read(List<String[]> rows, boolean tyrant, Predicate<String> isVassalName) {
        Map<String, VassalRow> usable = new LinkedHashMap<>();
        Set<String> listed = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (String[] row : rows) {
            index++;
            String name = row.length > 0 ? row[0] : null;
            if (name == null || name.isEmpty()) {
                problems.add("row " + index + " has no vassal name");
                continue;
            }
            if (!isVassalName.test(name)) {
                problems.add("'" + name + "' is not a vassal file name (it must end in .ini, .yaml, "
                        + ".yml, .json, .js, .xml or an emperor-extra-extension, have no '/' and not start with '.')");
                continue;
            }
            if (!listed.add(name)) {
                problems.add("vassal " + name + " is listed twice: the first row counts");
                continue;
            }
            if (row.length < 3) {
                problems.add("vassal " + name + ": the query must return name, config and ts");
                continue;
            }
            String config = row[1];
            if (config == null) {
                problems.add("vassal " + name + " has no config (NULL)");
                continue;
            }
            Long ts = epochSeconds(row[2]);
            if (ts == null) {
                problems.add("vassal " + name + " has no usable ts ("
                        + (row[2] == null ? "NULL" : "'" + row[2] + "'") + "): an epoch in seconds is needed, e.g. "
                        + "EXTRACT(epoch FROM ts)");
                continue;
            }
            Integer uid = null;
            Integer gid = null;
            if (tyrant) {
                if (row.length < 5) {
                    problems.add("missing uid and gid for vassal " + name); // uWSGI's line
                    continue;
                }
                uid = id(row[3]);
                gid = id(row[4]);
                if (uid == null || gid == null) {
                    problems.add("vassal " + name + " has no usable uid and gid ('" + row[3] + "', '"
                            + row[4] + "')");
                    continue;
                }
            }
            String socket = row.length > 5 && row[5] != null && !row[5].isBlank() ? row[5].trim() : null;
            usable.put(name, new VassalRow(name, config, ts, uid, gid, socket));
        }
        return new Result(usable, listed, problems);
    }

    /**
     * Reads an epoch time stamp as uWSGI does: the digits before a decimal point ({@code 1700000000.5} is
     * {@code 1700000000}).
     *
     * @return the seconds, or null when it is no number
     */
    static Long epochSeconds(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int dot = t.indexOf('.');
        if (dot >= 0) {
            String decimals = t.substring(dot + 1);
            if (!decimals.chars().allMatch(Character::isDigit)) {
                return null;
            }
            t = t.substring(0, dot);
        }
        if (t.isEmpty() || !t.matches("-?[0-9]{1,18}")) {
            return null;
        }
        return Long.parseLong(t);
    }

    private static Integer id(String text) {
        if (text == null || !text.trim().matches("[0-9]{1,10}")) {
            return null;
        }
        long v = Long.parseLong(text.trim());
        return v > Integer.MAX_VALUE ? null : (int) v;
    }
}
