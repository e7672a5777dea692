package dev.imperium.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON files as Debian's uWSGI 2.0 does (built with YAJL: {@code core/json.c}, the {@code UWSGI_JSON_YAJL}
 * branch), with Jackson's streaming parser so that repeated keys and line numbers are kept.
 *
 * <ul>
 *   <li>The options are the object under the top-level key {@code uwsgi} (or the asked section); the first such key
 *       counts and must hold an object.</li>
 *   <li>Strings are taken as they are, numbers as written ({@code 1.50} stays {@code 1.50}), {@code true} becomes
 *       {@code 1}, {@code false} and {@code null} become {@code 0}; an array gives one entry per item.</li>
 *   <li>{@code //} and {@code /* *}{@code /} comments are allowed, as YAJL allows them.</li>
 *   <li>A nested object, or an array inside an array, is an error (uWSGI silently skips it).</li>
 * </ul>
 */
final class JsonReader implements FormatReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();
    private static final String DEFAULT_SECTION = "uwsgi";

    @Override
    public ReadResult read(Path file, String text, String section, Diagnostics diagnostics) {
        String asked = section == null ? DEFAULT_SECTION : section;
        List<RawEntry> entries = new ArrayList<>();
        boolean found = false;
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                diagnostics.error(origin(file, parser), null, "a JSON config must be an object with a '" + asked
                        + "' key");
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
                } else {
                    diagnostics.error(keyOrigin, null, "'" + asked + "' must be an object of options");
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            diagnostics.error(new Origin(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr()), null,
                    "JSON syntax error: " + e.getOriginalMessage().lines().findFirst().orElse(""));
            return new ReadResult(entries, true, true);
        } catch (IOException e) {
            diagnostics.error(new Origin(file, 0), null, "cannot parse JSON: " + e.getMessage());
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
            if (value.isScalarValue()) {
                entries.add(RawEntry.of(key, scalar(parser, value), origin));
            } else if (value == JsonToken.START_ARRAY) {
                JsonToken item;
                while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
                    Origin itemOrigin = origin(file, parser);
                    if (item.isScalarValue()) {
                        entries.add(RawEntry.of(key, scalar(parser, item), itemOrigin));
                    } else {
                        diagnostics.error(itemOrigin, key, "array under '" + key + "' holds a nested array or"
                                + " object, which is no uWSGI option value");
                        parser.skipChildren();
                    }
                }
            } else {
                diagnostics.error(origin, key, "'" + key + "' holds a nested object, which is no uWSGI option value");
                parser.skipChildren();
            }
        }
    }

    private static String scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_TRUE -> "1";
            case VALUE_FALSE, VALUE_NULL -> "0";
            default -> parser.getText();
        };
    }

    private static Origin origin(Path file, JsonParser parser) {
        return new Origin(file, parser.currentTokenLocation().getLineNr());
    }

    @Override
    public String describeSection(String section) {
        return "\"" + (section == null ? DEFAULT_SECTION : section) + "\" object";
    }
}
