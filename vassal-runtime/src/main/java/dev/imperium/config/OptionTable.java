package dev.imperium.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one table of options: parsing, {@code --help}, defaults and error messages all read it.
 *
 * <p>PLACEHOLDER: a minimal table so the build links; the config workstream replaces it with the full table (every
 * option of Debian's {@code uwsgi --help}, each marked supported, built-in or unsupported).
 */
public final class OptionTable {
    private static final List<Option> OPTIONS = List.of(
            new Option("http-socket", List.of(), OptionType.STRING, null, true,
                    "bind to the specified UNIX/TCP socket using HTTP protocol",
                    "https://uwsgi-docs.readthedocs.io/en/latest/HTTP.html", OptionStatus.SUPPORTED),
            new Option("processes", List.of("workers", "p"), OptionType.NUMBER, "1", false,
                    "spawn the specified number of workers/processes",
                    "https://uwsgi-docs.readthedocs.io/en/latest/Options.html#processes", OptionStatus.SUPPORTED));

    private static final Map<String, Option> BY_NAME = OPTIONS.stream()
            .flatMap(o -> java.util.stream.Stream.concat(java.util.stream.Stream.of(o.name()), o.aliases().stream())
                    .map(n -> Map.entry(n, o)))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

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

    static Map<String, Option> byName() {
        return BY_NAME.values().stream().distinct().collect(Collectors.toMap(Option::name, Function.identity()));
    }
}
