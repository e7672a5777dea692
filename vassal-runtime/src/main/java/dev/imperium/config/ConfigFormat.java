package dev.imperium.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The config file formats uWSGI reads, chosen by file extension as the Emperor does ({@code .ini}, {@code .yaml} or
 * {@code .yml}, {@code .json} or {@code .js}, {@code .xml}; uWSGI {@code core/emperor.c} {@code vassal_new_argv}).
 */
enum ConfigFormat {
    INI(IniReader::new, ".ini"),
    YAML(YamlReader::new, ".yaml", ".yml"),
    JSON(JsonReader::new, ".json", ".js"),
    XML(XmlReader::new, ".xml");

    // Readers are made on use: the YAML and JSON ones pull in Jackson, which an INI vassal never needs.
    private final Supplier<FormatReader> reader;
    private final List<String> extensions;

    ConfigFormat(Supplier<FormatReader> reader, String... extensions) {
        this.reader = reader;
        this.extensions = List.of(extensions);
    }

    /** A reader for this format (a new one each call). */
    FormatReader reader() {
        return reader.get();
    }

    /** Returns the format for a file name's extension, or null when it has none of the known ones. */
    static ConfigFormat byExtension(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        for (ConfigFormat format : values()) {
            for (String ext : format.extensions) {
                if (lower.endsWith(ext)) {
                    return format;
                }
            }
        }
        return null;
    }

    /** Lists the known extensions for messages: {@code .ini, .yaml, .yml, .json, .js, .xml}. */
    static String knownExtensions() {
        StringBuilder out = new StringBuilder();
        for (ConfigFormat format : values()) {
            for (String ext : format.extensions) {
                if (!out.isEmpty()) {
                    out.append(", ");
                }
                out.append(ext);
            }
        }
        return out.toString();
    }
}
