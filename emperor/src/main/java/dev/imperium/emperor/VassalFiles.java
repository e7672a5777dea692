package dev.imperium.emperor;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Which names in the vassal directory are vassal files.
 *
 * <p>A vassal file name ends in {@code .ini}, {@code .xml}, {@code .yml}, {@code .yaml}, {@code .json} or
 * {@code .js} (case-sensitive) and is shorter than 255 bytes, as uWSGI's {@code uwsgi_emperor_is_valid}
 * (uwsgi-features.md §1.3). Imperium also skips what editors and deploy tools leave behind: hidden files
 * ({@code .app.ini}, {@code .#app.ini}, {@code .app.ini.swp}), Emacs autosaves ({@code #app.ini#}) and backups
 * ({@code app.ini~}); temporary names such as {@code app.ini.tmp}, {@code app.swp} or vim's {@code 4913} probe fail
 * the extension test anyway. Write a new file under a hidden or temporary name and rename it into place: the
 * rename is atomic and is seen as one change.
 */
public final class VassalFiles {
    private static final Set<String> EXTENSIONS = Set.of("ini", "xml", "yml", "yaml", "json", "js");
    private static final int MAX_NAME_BYTES = 254;

    private VassalFiles() {
    }

    /** Returns whether a name ends in one of the standard extensions ({@code .ini} ... {@code .js}). */
    static boolean hasStandardExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /**
     * Tells whether a file name (no directory part) names a vassal.
     *
     * @param name a file name, e.g. {@code "app.ini"}
     * @return true for a vassal file name, false for anything to ignore
     */
    public static boolean isVassalName(String name) {
        return isVassalName(name, java.util.List.of());
    }

    /**
     * Tells whether a file name names a vassal, with uWSGI's {@code emperor-extra-extension}s: a name that ends with
     * one of them (compared as written, as uWSGI's {@code uwsgi_endswith}: {@code .conf} or {@code conf}) is a vassal
     * name too. Hidden files, editor leftovers and names of 255 bytes or more are still refused.
     *
     * @param name a file name, e.g. {@code "app.conf"}
     * @param extraExtensions the extra extensions, e.g. {@code [".conf"]}
     * @return true for a vassal file name
     */
    public static boolean isVassalName(String name, java.util.List<String> extraExtensions) {
        if (name.isEmpty() || name.charAt(0) == '.' || name.charAt(0) == '#' || name.endsWith("~")
                || name.indexOf('/') >= 0) {
            return false;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return false;
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && EXTENSIONS.contains(name.substring(dot + 1))) {
            return true;
        }
        for (String extra : extraExtensions) {
            if (!extra.isEmpty() && name.endsWith(extra) && name.length() > extra.length()) {
                return true;
            }
        }
        return false;
    }
}
