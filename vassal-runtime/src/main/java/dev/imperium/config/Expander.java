package dev.imperium.config;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Expands {@code $(ENV)}, then {@code @(file)}, then {@code %(placeholder)} in a value: uWSGI's three passes, in
 * uWSGI's order ({@code core/uwsgi.c} {@code uwsgi_setup} calls {@code uwsgi_apply_config_pass} for {@code $},
 * {@code @}, {@code %}; {@code core/utils.c}), including placeholder math ({@code %(a + b)}, {@code %(a ++)};
 * {@code core/config.c} {@code uwsgi_manage_placeholder}).
 *
 * <p>Differences from uWSGI, all intended: an undefined {@code $(X)} or {@code %(x)} is an error (uWSGI leaves the
 * text as it is), text brought in by {@code $(…)} or {@code @(…)} is not scanned again for {@code $(…)} or
 * {@code @(…)} (so nothing can loop), and a placeholder inside {@code @(…)} is expanded first.
 */
final class Expander {
    /** The longest value expansion may produce, in characters. */
    static final int MAX_VALUE_LENGTH = 1 << 20;

    /** Looks placeholders up. */
    interface Placeholders {
        /**
         * Returns the value of a placeholder, {@link Lookup#UNDEFINED} if there is none, or {@link Lookup#FAILED}
         * when resolving it failed and that was already reported.
         *
         * @param key the canonical key
         */
        Lookup lookup(String key, Origin usedAt, String usedBy);
    }

    /** The outcome of a placeholder lookup. */
    record Lookup(String value, boolean failed) {
        static final Lookup UNDEFINED = new Lookup(null, false);
        static final Lookup FAILED = new Lookup(null, true);

        static Lookup of(String value) {
            return new Lookup(value, false);
        }
    }

    private final Map<String, String> env;
    private final ExternalContent external;
    private final Diagnostics diagnostics;
    private final Set<String> referenced;

    Expander(Map<String, String> env, ExternalContent external, Diagnostics diagnostics, Set<String> referenced) {
        this.env = env;
        this.external = external;
        this.diagnostics = diagnostics;
        this.referenced = referenced;
    }

    /**
     * Expands one value; every problem is reported, and a reference that cannot be expanded stays as written.
     *
     * @param value the value
     * @param origin where the value was written
     * @param key the option the value belongs to (for messages)
     * @param placeholders where {@code %(name)} looks names up
     * @param undefinedHint appended to "placeholder is not defined" messages, or empty
     * @param keepUndefined true to leave an undefined {@code %(name)} silently as it is (for values that are
     *     templates expanded later, e.g. {@code log-format})
     */
    String expand(String value, Origin origin, String key, Placeholders placeholders, String undefinedHint,
            boolean keepUndefined) {
        if (value.indexOf('(') < 0) {
            return value;
        }
        Function<String, String> percent = name -> placeholder(name, origin, key, placeholders, undefinedHint,
                keepUndefined);
        String out = replace(value, '$', name -> {
            String found = env.get(name);
            if (found == null) {
                diagnostics.error(origin, key, "environment variable " + name + " is not set (used as $(" + name
                        + ") in '" + key + "')");
            }
            return found;
        });
        try {
            out = replace(out, '@', spec -> external.read(replace(spec, '%', percent), origin, key));
            out = replace(out, '%', percent);
        } catch (TooLong e) { // issue 8: bad configs: stop before building a value of gigabytes
            out = null;
        }
        if (out == null || out.length() > MAX_VALUE_LENGTH) {
            diagnostics.error(origin, key, "the value of '" + key + "' expands to more than " + MAX_VALUE_LENGTH
                    + " characters");
            return value;
        }
        return out;
    }

    private String placeholder(String name, Origin origin, String key, Placeholders placeholders, String hint,
            boolean keepUndefined) {
        if (name.indexOf(' ') >= 0) {
            return math(name, origin, key, placeholders, hint);
        }
        String canonical = LoadSession.canonicalKey(name);
        referenced.add(canonical);
        Lookup found = placeholders.lookup(canonical, origin, key);
        if (found.value() == null && !found.failed() && !keepUndefined) {
            diagnostics.error(origin, key, undefinedMessage(name, hint));
        }
        return found.value();
    }

    private static String undefinedMessage(String name, String hint) {
        if (name.equals("_")) {
            return "%(_) has no value here: it is only set inside a for/if block, and not by if-not-env,"
                    + " if-not-opt or if-reload when the name is unset";
        }
        return "placeholder %(" + name + ") is not defined: no option or placeholder named '" + name + "'" + hint;
    }

    /**
     * uWSGI's placeholder math: tokens separated by spaces, evaluated left to right; numbers, {@code + - * /}
     * between two items, {@code ++}/{@code --} on the current value, and string concatenation between items with no
     * operator. Integer arithmetic; division by zero gives 0.
     */
    private String math(String expression, Origin origin, String key, Placeholders placeholders, String hint) {
        String current = null;
        char op = 0;
        for (String token : expression.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            switch (token) {
                case "+", "-", "*", "/" -> {
                    op = token.charAt(0);
                    continue;
                }
                case "++", "--" -> {
                    if (current != null) {
                        current = Long.toString(toLong(current) + (token.equals("++") ? 1 : -1));
                    }
                    op = 0;
                    continue;
                }
                default -> {
                    // an operand: below
                }
            }
            String operand;
            if (token.chars().allMatch(Character::isDigit)) {
                operand = token;
            } else {
                String canonical = LoadSession.canonicalKey(token);
                referenced.add(canonical);
                Lookup found = placeholders.lookup(canonical, origin, key);
                if (found.value() == null && !found.failed()) {
                    diagnostics.error(origin, key, undefinedMessage(token, hint) + " (in %(" + expression + "))");
                }
                operand = found.value() == null ? "" : found.value();
            }
            long a = current == null ? 0 : toLong(current);
            long b = toLong(operand);
            current = switch (op) {
                case '+' -> Long.toString(a + b);
                case '-' -> Long.toString(a - b);
                case '*' -> Long.toString(a * b);
                case '/' -> Long.toString(b == 0 ? 0 : a / b);
                default -> (current == null ? "" : current) + operand;
            };
            op = 0;
        }
        return current;
    }

    /** C's strtoll: optional blanks and sign, then digits; anything else ends the number; no digits gives 0. */
    static long toLong(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -value : value;
    }

    /**
     * Replaces every {@code sym(inner)} with {@code resolver(inner)}; parentheses nest inside, as in uWSGI. A null
     * result, an empty {@code sym()} and an unclosed reference are kept as written.
     */
    static String replace(String s, char sym, Function<String, String> resolver) {
        int start = s.indexOf(sym + "(");
        if (start < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (start >= 0) {
            int end = closing(s, start + 2);
            if (end < 0) {
                break;
            }
            out.append(s, i, start);
            String inner = s.substring(start + 2, end);
            String value = inner.isEmpty() ? null : resolver.apply(inner);
            out.append(value == null ? s.substring(start, end + 1) : value);
            if (out.length() > MAX_VALUE_LENGTH) {
                throw new TooLong();
            }
            i = end + 1;
            start = s.indexOf(sym + "(", i);
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    /** Expansion went past {@link #MAX_VALUE_LENGTH}; thrown without a stack trace, caught by {@link #expand}. */
    private static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(null, null, false, false);
        }
    }

    private static int closing(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }
}
