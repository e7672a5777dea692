package dev.imperium.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML files as Debian's uWSGI 2.0 does (built with libyaml: {@code core/yaml.c}, the {@code UWSGI_LIBYAML}
 * branch), with Jackson's streaming parser so that a key repeated in one mapping keeps every value, in order.
 *
 * <ul>
 *   <li>The options are the mapping under the top-level key {@code uwsgi} (or the asked section); the first such key
 *       counts.</li>
 *   <li>A scalar value is taken as written ({@code yes}, {@code 0777}, {@code 1.50} stay text); a list gives one
 *       entry per item.</li>
 *   <li>{@code key:} with no value is a bare flag. (uWSGI's libyaml reader drops it, which also loses
 *       {@code endif:}; Imperium keeps it.)</li>
 *   <li>A nested mapping or a list inside a list is an error (uWSGI silently flattens or skips it).</li>
 * </ul>
 * As in uWSGI, magic variables are replaced before parsing, so {@code chdir: %d} works, but a value starting with
 * {@code %(} must be quoted: YAML does not allow a plain scalar to start with {@code %}.
 */
final class YamlReader implements FormatReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final String DEFAULT_SECTION = "uwsgi";

    @Override
    public ReadResult read(Path file, String text, String section, Diagnostics diagnostics) {
        String asked = section == null ? DEFAULT_SECTION : section;
        List<RawEntry> entries = new ArrayList<>();
        boolean found = false;
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return new ReadResult(entries, false, false);
            }
            if (token != JsonToken.START_OBJECT) {
                diagnostics.error(origin(file, parser), null, "the top level of a YAML config must be a mapping with a '"
                        + asked + "' key");
                return new ReadResult(entries, true, true);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                Origin keyOrigin = origin(file, parser);
                JsonToken value = parser.nextToken();
                if (found || !asked.equals(name)) {
                    parser.skipChildren();
                    continue;
                }
                found = true;
                if (value == JsonToken.START_OBJECT) {
                    readSection(file, parser, entries, diagnostics);
                } else if (value != JsonToken.VALUE_NULL) {
                    diagnostics.error(keyOrigin, null, "'" + asked + "' must be a mapping of options");
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            diagnostics.error(new Origin(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr()), null,
                    "YAML syntax error: " + describe(e));
            return new ReadResult(entries, true, true);
        } catch (IOException e) {
            diagnostics.error(new Origin(file, 0), null, "cannot parse YAML: " + e.getMessage());
            return new ReadResult(entries, true, true);
        }
        return new ReadResult(entries, found, false);
    }

    private static void readSection(Path file, JsonParser parser, List<RawEntry> entries, Diagnostics diagnostics)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Origin origin = origin(file, parser);
            JsonToken value = parser.nextToken();
            if (isAlias(parser)) {
                aliasError(parser, origin, key, diagnostics);
            } else if (value == JsonToken.VALUE_NULL) {
                entries.add(RawEntry.bare(key, origin));
            } else if (value.isScalarValue()) {
                entries.add(RawEntry.of(key, parser.getText(), origin));
            } else if (value == JsonToken.START_ARRAY) {
                readList(file, parser, key, entries, diagnostics);
            } else {
                diagnostics.error(origin, key, "'" + key + "' holds a nested mapping, which is no uWSGI option value"
                        + " (uWSGI would silently flatten it)");
                parser.skipChildren();
            }
        }
    }

    private static void readList(Path file, JsonParser parser, String key, List<RawEntry> entries,
            Diagnostics diagnostics) throws IOException {
        JsonToken item;
        while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
            Origin origin = origin(file, parser);
            if (isAlias(parser)) {
                aliasError(parser, origin, key, diagnostics);
            } else if (item == JsonToken.VALUE_NULL) {
                diagnostics.error(origin, key, "empty list item under '" + key + "'");
            } else if (item.isScalarValue()) {
                entries.add(RawEntry.of(key, parser.getText(), origin));
            } else {
                diagnostics.error(origin, key, "list under '" + key + "' holds a nested list or mapping, which is no"
                        + " uWSGI option value");
                parser.skipChildren();
            }
        }
    }

    /** Issue 8: bad configs. Whether the current value is an alias ({@code *name}), which Jackson does not expand. */
    private static boolean isAlias(JsonParser parser) {
        return parser instanceof YAMLParser yaml && yaml.isCurrentAlias();
    }

    private static void aliasError(JsonParser parser, Origin origin, String key, Diagnostics diagnostics)
            throws IOException {
        diagnostics.error(origin, key, "'" + key + "' is the YAML alias *" + parser.getText() + ": aliases are not"
                + " expanded in vassal files (no alias bombs); write the value out");
    }

    private static Origin origin(Path file, JsonParser parser) {
        return new Origin(file, parser.currentTokenLocation().getLineNr());
    }

    /** Keeps SnakeYAML's explanation and drops the source excerpt that follows it. */
    private static String describe(JsonProcessingException e) {
        StringBuilder out = new StringBuilder();
        for (String line : e.getOriginalMessage().split("\n")) {
            if (line.startsWith(" in '") || line.isBlank()) {
                break;
            }
            if (!out.isEmpty()) {
                out.append("; ");
            }
            out.append(line.strip());
        }
        if (out.indexOf("'%'") >= 0) {
            out.append(" (quote a value that starts with '%', e.g. \"%(name)\")");
        }
        return out.toString();
    }

    @Override
    public String describeSection(String section) {
        return "'" + (section == null ? DEFAULT_SECTION : section) + ":' mapping";
    }
}
