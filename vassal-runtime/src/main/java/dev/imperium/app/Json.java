package dev.imperium.app;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON text (RFC 8259) from plain Java values, for apps that need a little JSON without a library.
 *
 * <p>Values: {@code null}; {@link CharSequence} (a string); {@link Boolean}; {@code Integer}, {@code Long},
 * {@code Short}, {@code Byte}, {@code BigInteger}, {@code BigDecimal}, and {@code Float}/{@code Double} when finite;
 * {@link Map} with string keys (an object, in the map's order); {@link Iterable} or {@code Object[]} (an array).
 * Anything else is an {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * Json.object("message", "Hello, " + name, "count", 3)   // {"message":"Hello, X","count":3}
 * Json.quote("a\"b")                                     // "a\"b"
 * }</pre>
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /**
     * Returns {@code text} as a JSON string literal, quotes included (RFC 8259 §7): {@code "} and {@code \} are
     * escaped, control characters, U+2028, U+2029 and unpaired surrogates are written as escapes.
     */
    public static String quote(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        appendString(out, text);
        return out.toString();
    }

    /**
     * Appends {@code text} to {@code out} as a JSON string literal, quotes included, escaped as {@link #quote}.
     */
    public static void quote(StringBuilder out, CharSequence text) {
        appendString(out, text);
    }

    /**
     * Returns a JSON object from alternating keys and values, e.g. {@code object("a", 1, "b", "x")}.
     *
     * @param keysAndValues key, value, key, value...; keys are strings
     * @throws IllegalArgumentException if the count is odd, a key is not a string, or a value cannot be written
     */
    public static String object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Json.object needs key, value pairs; got an odd count");
        }
        StringBuilder out = new StringBuilder().append('{');
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (!(keysAndValues[i] instanceof CharSequence key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + keysAndValues[i]);
            }
            if (i > 0) {
                out.append(',');
            }
            appendString(out, key);
            out.append(':');
            appendValue(out, keysAndValues[i + 1]);
        }
        return out.append('}').toString();
    }

    /**
     * Returns any supported value as JSON text, e.g. a {@code Map} or a {@code List}.
     *
     * @throws IllegalArgumentException if the value (or one inside it) cannot be written
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        appendValue(out, value);
        return out.toString();
    }

    private static void appendValue(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case CharSequence text -> appendString(out, text);
            case Boolean b -> out.append(b);
            case Double d when !Double.isFinite(d) -> throw notFinite(d);
            case Float f when !Float.isFinite(f) -> throw notFinite(f);
            case BigDecimal d -> out.append(d.toString());
            case Integer n -> out.append(n);
            case Long n -> out.append(n);
            case Short n -> out.append(n);
            case Byte n -> out.append(n);
            case BigInteger n -> out.append(n);
            case Double d -> out.append(d);
            case Float f -> out.append(f);
            case Map<?, ?> map -> appendObject(out, map);
            case Iterable<?> items -> appendArray(out, items.iterator());
            case Object[] items -> appendArray(out, Arrays.asList(items).iterator());
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName()
                    + " as JSON (use String, Number, Boolean, Map, Iterable, array or null)");
        }
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof CharSequence key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + entry.getKey());
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, key);
            out.append(':');
            appendValue(out, entry.getValue());
        }
        out.append('}');
    }

    private static void appendArray(StringBuilder out, Iterator<?> items) {
        out.append('[');
        boolean first = true;
        while (items.hasNext()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendValue(out, items.next());
        }
        out.append(']');
    }

    private static void appendString(StringBuilder out, CharSequence text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isUnpairedSurrogate(text, i)) {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isUnpairedSurrogate(CharSequence text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }

    private static IllegalArgumentException notFinite(Number n) {
        return new IllegalArgumentException("JSON has no " + n + " (only finite numbers)");
    }
}
