package dev.imperium.config;

import java.util.ArrayList;
import java.util.List;

/**
 * An option declared in the config with {@code declare-option} or {@code declare-option2}
 * ({@code CustomOptions.html}; {@code core/config.c} {@code uwsgi_opt_custom}): {@code name=opt1=v1;opt2=v2}, where
 * {@code $1}, {@code $2}... in the template stand for the space-separated words of the value it is given.
 *
 * @param name the new option's canonical name
 * @param template the {@code ;}-separated {@code option=value} list
 * @param origin where it was declared
 */
record CustomOption(String name, String template, Origin origin) {
    /** The key/value pairs one use of the option stands for; null after reporting a malformed template. */
    List<String[]> expand(String value, Origin usedAt, Diagnostics diagnostics) {
        List<String> args = new ArrayList<>();
        for (String word : value.split(" ")) {
            if (!word.isEmpty()) {
                args.add(word);
            }
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : template.split(";")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                diagnostics.error(usedAt, name, "declare-option '" + name + "' (" + origin + "): '" + part
                        + "' is not OPTION=VALUE");
                return null;
            }
            pairs.add(new String[] {substitute(part.substring(0, eq), args), substitute(part.substring(eq + 1), args)});
        }
        return pairs;
    }

    private static String substitute(String text, List<String> args) {
        String out = text;
        for (int i = args.size(); i >= 1; i--) {
            out = out.replace("$" + i, args.get(i - 1));
        }
        return out;
    }
}
