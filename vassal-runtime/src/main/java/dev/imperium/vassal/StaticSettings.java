package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;
import dev.imperium.statics.ExpiresRules;
import dev.imperium.statics.FileServeMode;
import dev.imperium.statics.GzipRules;
import dev.imperium.statics.StaticSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a vassal's static-file options into a {@link StaticSpec} (uwsgi-docs StaticFiles.html), checking what uWSGI
 * checks at start-up (it exits on a bad {@code static-expires} or {@code static-gzip} regexp or a value without its
 * separator), so that a bad value stops the vassal, or refuses a reload, before any worker starts.
 */
final class StaticSettings {
    private StaticSettings() {
    }

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the file, line and option of the first invalid value
     */
    static StaticSpec from(VassalConfig config) {
        ExpiresRules expires = new ExpiresRules(
                expiresRules(config, "static-expires", "static-expires-mtime", false),
                expiresRules(config, "static-expires-path-info", "static-expires-path-info-mtime", false),
                expiresRules(config, "static-expires-uri", "static-expires-uri-mtime", false),
                expiresRules(config, "static-expires-type", "static-expires-type-mtime", true));
        List<Pattern> gzipPatterns = new ArrayList<>();
        for (ConfigEntry e : config.entries("static-gzip")) {
            gzipPatterns.add(checked(e, value -> {
                try {
                    return Pattern.compile(value.strip());
                } catch (PatternSyntaxException ex) {
                    throw new IllegalArgumentException("option 'static-gzip': invalid regular expression '"
                            + value.strip() + "': " + ex.getDescription(), ex);
                }
            }));
        }
        GzipRules gzip = new GzipRules(config.flag("static-gzip-all"), stripped(config.values("static-gzip-dir")),
                stripped(config.values("static-gzip-ext")), gzipPatterns);
        FileServeMode mode = FileServeMode.RAW;
        for (ConfigEntry e : config.entries("file-serve-mode")) {
            mode = checked(e, FileServeMode::parse);
        }
        return StaticSpec.builder()
                .staticMaps(config.values("static-map"))
                .staticMaps2(config.values("static-map2"))
                .checkStatic(config.values("check-static"))
                .staticIndex(config.values("static-index"))
                .mimeFiles(config.values("mimefile"))
                .staticSafe(config.values("static-safe"))
                .skipExtensions(stripped(config.values("static-skip-ext")))
                .expires(expires)
                .gzip(gzip)
                .honourRange(config.flag("honour-range"))
                .fileServeMode(mode)
                .build();
    }

    /** Reads an option's rules followed by its {@code -mtime} form's, each in config order. */
    private static List<ExpiresRules.Rule> expiresRules(VassalConfig config, String option, String mtimeOption,
            boolean byType) {
        List<ExpiresRules.Rule> rules = new ArrayList<>();
        for (String name : List.of(option, mtimeOption)) {
            boolean mtime = name.equals(mtimeOption);
            for (ConfigEntry e : config.entries(name)) {
                rules.add(checked(e, value -> byType ? ExpiresRules.parseTypeRule(name, value, mtime)
                        : ExpiresRules.parsePatternRule(name, value, mtime)));
            }
        }
        return rules;
    }

    private static List<String> stripped(List<String> values) {
        return values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static <T> T checked(ConfigEntry entry, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(entry.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(entry.origin() + ": " + e.getMessage(), e);
        }
    }
}
