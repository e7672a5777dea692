package dev.imperium.stats;

import dev.imperium.app.Json;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes a stats document as uWSGI 2.0's stats server does ({@code core/stats.c}): by default one member per line,
 * indented with tabs, in uWSGI's exact layout (an object that is a member's value opens after the key's own tabs,
 * strings in a list have no indent, no newline after the last brace), so that the text matches uWSGI's byte for byte
 * where the values do; or minified ({@code stats-minified}), without any whitespace. Strings are escaped as RFC 8259
 * asks (uWSGI escapes only some).
 *
 * <p>Values: {@link Map} with string keys (an object, in the map's order), {@link List} (an array), {@link String},
 * {@link Long}, {@link Integer} and {@link BigDecimal} (written plain, e.g. {@code 0.005}).
 */
public final class StatsJson {
    private final StringBuilder out = new StringBuilder(4096);
    private final boolean minified;
    private int tabs;

    private StatsJson(boolean minified) {
        this.minified = minified;
    }

    /**
     * Returns the document's text.
     *
     * @param document the top-level object
     * @param minified {@code stats-minified}: no whitespace at all
     * @throws IllegalArgumentException for a value of another type
     */
    public static String write(Map<String, ?> document, boolean minified) {
        StatsJson json = new StatsJson(minified);
        json.out.append('{');
        json.newline();
        json.tabs = 1;
        json.members(document);
        json.closeObject();
        return json.out.toString();
    }

    private void members(Map<String, ?> object) {
        boolean first = true;
        for (Map.Entry<String, ?> e : object.entrySet()) {
            if (!first) {
                comma();
            }
            first = false;
            indent();
            out.append(Json.quote(e.getKey())).append(':');
            value(e.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private void value(Object value) {
        if (value instanceof Map<?, ?> map) {
            openObject();
            members((Map<String, ?>) map);
            closeObject();
        } else if (value instanceof List<?> list) {
            tabs++;
            out.append('[');
            newline();
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    comma();
                }
                first = false;
                value(element);
            }
            closeWith(']');
        } else {
            scalar(value);
        }
    }

    private void scalar(Object value) {
        switch (value) {
            case String s -> out.append(Json.quote(s));
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case BigDecimal d -> out.append(d.toPlainString());
            case null, default -> throw new IllegalArgumentException("not a stats value: " + value);
        }
    }

    private void openObject() {
        indent();
        if (!minified) {
            tabs++;
        }
        out.append('{');
        newline();
    }

    private void closeObject() {
        closeWith('}');
    }

    private void closeWith(char bracket) {
        if (!minified) {
            out.append('\n');
        }
        tabs--;
        indent();
        out.append(bracket);
    }

    private void comma() {
        out.append(',');
        newline();
    }

    private void newline() {
        if (!minified) {
            out.append('\n');
        }
    }

    private void indent() {
        if (!minified) {
            out.repeat('\t', tabs);
        }
    }
}
