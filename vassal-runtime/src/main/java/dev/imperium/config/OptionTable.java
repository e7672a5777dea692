package dev.imperium.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one table of options: parsing, validation, {@code --help}, defaults and error messages all read it.
 *
 * <p>It lists every option of uWSGI 2.0 as Debian's {@code uwsgi-core --help} prints it (core plus the python3, jvm,
 * jwsgi, http and cgi plugins; resource {@code options.tsv}), in that order, each {@link OptionStatus#UNSUPPORTED}
 * unless Imperium says otherwise, plus Imperium's own {@code imperium-*} options. Consecutive uWSGI rows with the same help
 * and shortcut letter are one option with aliases (e.g. {@code processes}, {@code workers}). Immutable.
 */
public final class OptionTable {
    private static final List<Option> OPTIONS;
    private static final Map<String, Option> BY_NAME;
    private static final Map<String, ImperiumOptions.Category> CATEGORY = new HashMap<>();

    static {
        OPTIONS = build(UwsgiOptionList.groups(UwsgiOptionList.rows()));
        BY_NAME = index(OPTIONS);
    }

    private OptionTable() {
    }

    /**
     * Finds an option by canonical name or alias; {@code _} counts as {@code -} and case is ignored.
     *
     * @return the option, or null if the name is no option (it may still be a placeholder)
     */
    public static Option lookup(String name) {
        return BY_NAME.get(name.replace('_', '-').toLowerCase(Locale.ROOT));
    }

    /** Returns every option, in table order. */
    public static Collection<Option> all() {
        return OPTIONS;
    }

    /**
     * Returns the {@code --help} listing of the options Imperium honours (supported, built-in and Imperium's own),
     * grouped, one option per line, help texts aligned:
     * <pre>    --processes, --workers          spawn the specified number of workers/processes [default: 1]</pre>
     */
    public static String helpText() {
        Map<ImperiumOptions.Category, List<Option>> groups = new LinkedHashMap<>();
        for (ImperiumOptions.Category category : ImperiumOptions.Category.values()) {
            groups.put(category, new ArrayList<>());
        }
        for (Option option : OPTIONS) {
            ImperiumOptions.Category category = CATEGORY.get(option.name());
            if (category != null) {
                groups.get(category).add(option);
            }
        }
        int width = 0;
        for (List<Option> options : groups.values()) {
            for (Option option : options) {
                width = Math.max(width, names(option).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<ImperiumOptions.Category, List<Option>> group : groups.entrySet()) {
            if (group.getValue().isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(group.getKey().title).append(":\n");
            for (Option option : group.getValue()) {
                String names = names(option);
                out.append("    ").append(names).append(" ".repeat(width - names.length() + 2)).append(option.help());
                if (option.repeatable() && group.getKey() == ImperiumOptions.Category.OPTION) {
                    out.append(" (repeatable)");
                }
                if (option.defaultValue() != null && option.status() == OptionStatus.SUPPORTED) {
                    out.append(" [default: ").append(option.defaultValue()).append(']');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    static Map<String, Option> byName() {
        return BY_NAME.values().stream().distinct().collect(Collectors.toMap(Option::name, Function.identity()));
    }

    private static String names(Option option) {
        StringBuilder names = new StringBuilder("--").append(option.name());
        for (String alias : option.aliases()) {
            names.append(", ").append(alias.length() == 1 ? "-" : "--").append(alias);
        }
        return names.toString();
    }

    private static List<Option> build(List<UwsgiOptionList.Group> groups) {
        Map<String, ImperiumOptions.Spec> specByName = new HashMap<>();
        for (ImperiumOptions.Spec spec : ImperiumOptions.SPECS) {
            specByName.put(spec.name(), spec);
            spec.aliases().forEach(alias -> specByName.put(alias, spec));
        }
        Map<String, String> uwsgiHelp = new HashMap<>();
        groups.forEach(g -> g.names().forEach(n -> uwsgiHelp.putIfAbsent(n, g.first().help())));

        List<Option> options = new ArrayList<>();
        Set<ImperiumOptions.Spec> placed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (UwsgiOptionList.Group group : groups) {
            List<String> rest = new ArrayList<>();
            for (String name : group.names()) {
                ImperiumOptions.Spec spec = specByName.get(name);
                if (spec == null) {
                    rest.add(name);
                } else if (placed.add(spec)) {
                    options.add(fromSpec(spec, uwsgiHelp));
                }
            }
            if (!rest.isEmpty()) {
                String name = rest.getFirst();
                options.add(new Option(name, List.copyOf(rest.subList(1, rest.size())), OptionType.STRING, null, false,
                        group.first().help(), ImperiumOptions.optionsPage(name), OptionStatus.UNSUPPORTED));
            }
        }
        for (ImperiumOptions.Spec spec : ImperiumOptions.SPECS) {
            if (!placed.contains(spec)) {
                options.add(fromSpec(spec, uwsgiHelp));
            }
        }
        return List.copyOf(options);
    }

    private static Option fromSpec(ImperiumOptions.Spec spec, Map<String, String> uwsgiHelp) {
        String help = spec.help() != null ? spec.help() : uwsgiHelp.get(spec.name());
        if (help == null) {
            throw new IllegalStateException("no help text for option " + spec.name());
        }
        CATEGORY.put(spec.name(), spec.category());
        return new Option(spec.name(), spec.aliases(), spec.type(), spec.defaultValue(), spec.repeatable(), help,
                spec.docUrl(), spec.status());
    }

    private static Map<String, Option> index(List<Option> options) {
        Map<String, Option> byName = new HashMap<>();
        for (Option option : options) {
            List<String> names = new ArrayList<>();
            names.add(option.name());
            names.addAll(option.aliases());
            for (String name : names) {
                Option previous = byName.put(name, option);
                if (previous != null) {
                    throw new IllegalStateException("option name '" + name + "' is used by both '" + previous.name()
                            + "' and '" + option.name() + "'");
                }
            }
        }
        return Map.copyOf(byName);
    }
}
