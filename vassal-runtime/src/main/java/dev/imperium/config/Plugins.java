package dev.imperium.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The uWSGI plugins Imperium has built in, and the parsing of {@code plugins}-style values the way uWSGI reads them
 * ({@code core/uwsgi.c} {@code uwsgi_opt_load_plugin}, {@code core/plugins.c} {@code uwsgi_load_plugin}): a comma
 * list; each item trimmed, with an optional {@code N:} modifier prefix, {@code |init} suffix, directory and
 * {@code _plugin.so} suffix. Debian's flavoured names ({@code jvm_openjdk17}) count as the plain ones.
 */
final class Plugins {
    /** The plugins every Imperium vassal has. */
    static final Set<String> BUILT_IN = Set.of("jvm", "jwsgi", "cgi");
    private static final Pattern FLAVOUR = Pattern.compile("_openjdk\\d*$");

    private Plugins() {
    }

    /** Returns the plugin names of a {@code plugins} value that are not built in (empty when all are). */
    static List<String> missing(String value) {
        List<String> missing = new ArrayList<>();
        for (String item : value.split(",")) {
            String name = item.strip();
            if (!name.isEmpty() && !isBuiltIn(name)) {
                missing.add(name);
            }
        }
        return missing;
    }

    static boolean isBuiltIn(String plugin) {
        return BUILT_IN.contains(normalize(plugin));
    }

    static String normalize(String plugin) {
        String name = plugin.strip();
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(colon + 1);
        }
        int bar = name.indexOf('|');
        if (bar >= 0) {
            name = name.substring(0, bar);
        }
        name = name.substring(name.lastIndexOf('/') + 1);
        if (name.endsWith("_plugin.so")) {
            name = name.substring(0, name.length() - "_plugin.so".length());
        }
        return FLAVOUR.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("");
    }
}
