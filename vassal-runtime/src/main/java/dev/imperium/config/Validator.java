package dev.imperium.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks resolved entries against the {@link OptionTable}: options Imperium does not implement, plugins it does not
 * have, values of the wrong type, and keys that are neither options nor used as placeholders.
 *
 * <p>A key that is no option is a placeholder (uWSGI {@code Configuration.html#placeholders}). If no
 * {@code %(key)} uses it, it is probably a typo: a warning, with the closest option name. In strict mode
 * ({@code strict = true} anywhere), every such key is an error, as in uWSGI ({@code core/config.c}
 * {@code uwsgi_opt_get}), unless declared with {@code set-ph}/{@code set-placeholder}.
 */
final class Validator {
    private static final Map<String, String> ALWAYS = Map.of(
            "master", "every Imperium vassal has a master",
            "enable-threads", "threads are always enabled in a JVM",
            "lazy-apps", "each worker JVM always loads the app itself",
            "die-on-term", "SIGTERM always stops an Imperium vassal gracefully");
    private static final Set<String> PLUGIN_LOADERS = Set.of("plugins", "need-plugins");

    private Validator() {
    }

    static void validate(List<WorkEntry> entries, Set<String> referenced, Set<String> explicitPlaceholders,
            Diagnostics diagnostics) {
        boolean strict = isStrict(entries);
        for (WorkEntry entry : entries) {
            Option option = OptionTable.lookup(entry.key);
            if (option == null) {
                unknown(entry, strict, referenced, explicitPlaceholders, diagnostics);
                continue;
            }
            switch (option.status()) {
                case UNSUPPORTED -> diagnostics.unsupported(entry.origin, entry.key, "option '" + entry.key
                        + "' is a uWSGI option Imperium does not implement yet");
                case BUILT_IN -> builtIn(option, entry, diagnostics);
                case SUPPORTED -> checkType(option, entry, diagnostics);
            }
        }
    }

    private static boolean isStrict(List<WorkEntry> entries) {
        boolean strict = false;
        for (WorkEntry entry : entries) {
            if (Logic.optionName(entry.key).equals("strict")) {
                try {
                    strict = VassalConfig.parseBoolean(entry.key, entry.value);
                } catch (IllegalArgumentException e) {
                    strict = true;
                }
            }
        }
        return strict;
    }

    private static void unknown(WorkEntry entry, boolean strict, Set<String> referenced,
            Set<String> explicitPlaceholders, Diagnostics diagnostics) {
        if (explicitPlaceholders.contains(entry.key)) {
            return;
        }
        if (strict) {
            diagnostics.error(entry.origin, entry.key, "unknown option '" + entry.key + "' (strict mode: declare"
                    + " placeholders with set-ph)"
                    + (diagnostics.problemsFull() ? "" : Suggestions.didYouMean(entry.key)));
        } else if (!referenced.contains(entry.key)) {
            diagnostics.warning(entry.origin, entry.key, "'" + entry.key + "' is no option and no %(" + entry.key
                    + ") uses it" + (diagnostics.warningsFull() ? "" : Suggestions.didYouMean(entry.key)));
        }
    }

    private static void builtIn(Option option, WorkEntry entry, Diagnostics diagnostics) {
        if (PLUGIN_LOADERS.contains(option.name())) {
            if (entry.bare) {
                diagnostics.error(entry.origin, entry.key, "option '" + entry.key + "' needs a plugin name");
                return;
            }
            for (String plugin : Plugins.missing(entry.value)) {
                diagnostics.unsupported(entry.origin, entry.key, "plugin '" + plugin + "' is not available: Imperium"
                        + " runs JVM apps (jwsgi, imperium-app, mount) and CGI scripts (cgi)");
            }
            return;
        }
        if (option.type() == OptionType.FLAG && checkType(option, entry, diagnostics)
                && !VassalConfig.parseBoolean(entry.key, entry.value)) {
            diagnostics.warning(entry.origin, entry.key, "'" + entry.key + " = " + entry.value + "' has no effect: "
                    + ALWAYS.get(option.name()));
        }
    }

    /** Reports a value that does not fit the option's type; returns true if it fits. */
    private static boolean checkType(Option option, WorkEntry entry, Diagnostics diagnostics) {
        String value = entry.value;
        switch (option.type()) {
            case FLAG -> {
                try {
                    VassalConfig.parseBoolean(entry.key, value);
                } catch (IllegalArgumentException e) {
                    diagnostics.error(entry.origin, entry.key, e.getMessage());
                    return false;
                }
            }
            case NUMBER -> {
                String problem = null;
                try {
                    if (entry.bare || Long.parseLong(value.strip()) < 0) {
                        problem = entry.bare ? "needs a whole number" : "must not be negative, got '" + value + "'";
                    }
                } catch (NumberFormatException e) {
                    problem = "needs a whole number, got '" + value + "'";
                    if (value.contains(";") || value.contains("#")) {
                        problem += " (uWSGI config files have no comments after a value: put the comment on a line"
                                + " of its own)";
                    }
                }
                if (problem != null) {
                    diagnostics.error(entry.origin, entry.key, "option '" + entry.key + "' " + problem);
                    return false;
                }
            }
            case MAPPING -> {
                if (entry.bare || value.indexOf('=') <= 0) {
                    diagnostics.error(entry.origin, entry.key, "option '" + entry.key + "' needs MOUNTPOINT=PATH, got '"
                            + (entry.bare ? "" : value) + "'");
                    return false;
                }
            }
            case STRING, KEY_VALUE -> {
                if (entry.bare) {
                    diagnostics.error(entry.origin, entry.key, "option '" + entry.key + "' needs a value");
                    return false;
                }
            }
        }
        return true;
    }
}
