package dev.imperium.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The items a {@code for*} block iterates over, as uWSGI 2.0 computes them ({@code core/config.c}
 * {@code uwsgi_logic_opt_for*}).
 *
 * <ul>
 *   <li>{@code for}: the value split at spaces (runs of spaces count as one).</li>
 *   <li>{@code for-glob}: the paths matching a shell glob, sorted, directories with a trailing {@code /}; the
 *       pattern itself when nothing matches.</li>
 *   <li>{@code for-readline}: the lines of a file, line breaks removed (empty lines included).</li>
 *   <li>{@code for-times N}: 1 to N.</li>
 * </ul>
 * At most {@link #MAX_ITEMS} items.
 */
final class Loops {
    /** The most items one loop may have. */
    static final int MAX_ITEMS = 10_000;

    private Loops() {
    }

    /** Returns the items, or null after reporting why there are none. */
    static List<String> items(String kind, String arg, Path cwd, Origin origin, String key, Diagnostics diagnostics) {
        List<String> items = switch (kind) {
            case "for" -> words(arg);
            case "for-glob" -> Glob.expand(arg, cwd, MAX_ITEMS + 1);
            case "for-readline" -> lines(arg, cwd, origin, key, diagnostics);
            case "for-times" -> times(arg, origin, key, diagnostics);
            default -> throw new IllegalArgumentException("not a loop: " + kind);
        };
        if (items != null && items.size() > MAX_ITEMS) {
            diagnostics.error(origin, key, "'" + key + "' has more than " + MAX_ITEMS + " items");
            return null;
        }
        return items;
    }

    private static List<String> words(String arg) {
        List<String> items = new ArrayList<>();
        for (String word : arg.split(" ")) {
            if (!word.isEmpty()) {
                items.add(word);
            }
        }
        return items;
    }

    private static List<String> lines(String arg, Path cwd, Origin origin, String key, Diagnostics diagnostics) {
        Path file = ConfigPaths.resolve(cwd, arg, origin, key, diagnostics);
        if (file == null) {
            return null;
        }
        try {
            // issue 8: bad configs: only a regular file, at most MAX_BYTES
            String text = new String(ConfigFiles.read(file, ExternalContent.MAX_BYTES), StandardCharsets.UTF_8);
            List<String> items = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
            for (int i = 0; i < count; i++) {
                String line = lines[i];
                items.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
            return items;
        } catch (ConfigFiles.UnreadableException e) {
            diagnostics.error(origin, key, "for-readline: " + (e.missing() ? "cannot read " + file + ": no such file"
                    : e.getMessage()));
            return null;
        } catch (RuntimeException e) {
            diagnostics.error(origin, key, "for-readline: cannot read " + file + ": " + describe(e));
            return null;
        }
    }

    private static List<String> times(String arg, Origin origin, String key, Diagnostics diagnostics) {
        int count;
        try {
            count = Integer.parseInt(arg.strip());
        } catch (NumberFormatException e) {
            diagnostics.error(origin, key, "for-times needs a whole number, got '" + arg + "'");
            return null;
        }
        if (count > MAX_ITEMS) {
            diagnostics.error(origin, key, "for-times " + count + " is more than " + MAX_ITEMS + " items");
            return null;
        }
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            items.add(Integer.toString(i));
        }
        return items;
    }

    static String describe(Exception e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
    }
}
