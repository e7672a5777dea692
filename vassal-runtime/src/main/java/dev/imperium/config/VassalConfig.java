package dev.imperium.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The resolved options of one vassal file, in the order they were written, with typed getters.
 *
 * <p>Getters take an option's canonical name or any alias; an option that was not set yields the default from the
 * {@link OptionTable}. Immutable and thread-safe.
 */
public final class VassalConfig {
    private final Path file;
    private final List<ConfigEntry> entries;
    private final List<Diagnostic> diagnostics;

    /**
     * Creates a config from entries that are already resolved (no expansion is done here).
     *
     * @param file the vassal file (without a {@code :section} suffix)
     * @param entries the resolved entries, in order
     * @param diagnostics warnings found while loading
     */
    public VassalConfig(Path file, List<ConfigEntry> entries, List<Diagnostic> diagnostics) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Returns the vassal file this config was read from. */
    public Path file() {
        return file;
    }

    /** Returns every entry, placeholders included, in order. */
    public List<ConfigEntry> entries() {
        return entries;
    }

    /** Returns the warnings found while loading. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /**
     * Returns the canonical name of an entry's option: its table name when it is an alias or spelled with
     * {@code _}, e.g. {@code uwsgi_socket} gives {@code uwsgi-socket}.
     */
    public static String canonicalKey(ConfigEntry entry) {
        return canonical(entry.key());
    }

    private static String canonical(String name) {
        Option option = OptionTable.lookup(name);
        return option != null ? option.name() : name.replace('_', '-');
    }

    private boolean matches(ConfigEntry entry, String canonicalName) {
        return entry.key().equals(canonicalName) || canonical(entry.key()).equals(canonicalName);
    }

    /** Returns every value given for the option, in order (empty if never set). */
    public List<String> values(String name) {
        String canonicalName = canonical(name);
        List<String> out = new ArrayList<>(2);
        for (ConfigEntry entry : entries) {
            if (matches(entry, canonicalName)) {
                out.add(entry.value());
            }
        }
        return out;
    }

    /** Returns the entries for the option, in order, with their origins. */
    public List<ConfigEntry> entries(String name) {
        String canonicalName = canonical(name);
        return entries.stream().filter(e -> matches(e, canonicalName)).toList();
    }

    /** Returns true if the option was set at least once. */
    public boolean isSet(String name) {
        return !values(name).isEmpty();
    }

    /** Returns the last value given for the option, or its table default, or empty. */
    public Optional<String> value(String name) {
        List<String> all = values(name);
        if (!all.isEmpty()) {
            return Optional.of(all.getLast());
        }
        Option option = OptionTable.lookup(name);
        return option == null ? Optional.empty() : Optional.ofNullable(option.defaultValue());
    }

    /** Returns the option's value as a string, or {@code fallback} when neither set nor defaulted. */
    public String string(String name, String fallback) {
        return value(name).orElse(fallback);
    }

    /**
     * Returns the option as a boolean: {@code true/false/1/0/yes/no/on/off} (any case), absent means false.
     *
     * @throws IllegalArgumentException if the value is not a boolean word
     */
    public boolean flag(String name) {
        return value(name).map(v -> parseBoolean(name, v)).orElse(false);
    }

    /**
     * Returns the option as an int, or {@code fallback} when neither set nor defaulted.
     *
     * @throws IllegalArgumentException if the value is not an integer
     */
    public int intValue(String name, int fallback) {
        return value(name).map(v -> parseInt(name, v)).orElse(fallback);
    }

    /**
     * Parses a uWSGI boolean: {@code true/false/1/0/yes/no/on/off}, ignoring case; an empty value is true (a bare
     * flag).
     *
     * @throws IllegalArgumentException naming the option if the word is not a boolean
     */
    public static boolean parseBoolean(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes", "on", "y" -> true;
            case "false", "0", "no", "off", "n" -> false;
            default -> throw new IllegalArgumentException(
                    "option '" + name + "' needs a boolean (true/false/1/0/yes/no/on/off), got '" + value + "'");
        };
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + name + "' needs an integer, got '" + value + "'", e);
        }
    }
}
