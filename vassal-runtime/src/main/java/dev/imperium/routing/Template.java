package dev.imperium.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * An action argument or condition operand with uWSGI's substitutions, parsed once when the config is read
 * (uwsgi-docs "InternalRouting", "Accessing request vars"; uWSGI 2.0 {@code core/routing.c}
 * {@code uwsgi_routing_translate} and {@code core/regexp.c} {@code uwsgi_regexp_apply_ovec}):
 * <ul>
 *   <li>{@code $0}..{@code $9}: a group of the rule's regular expression ({@code $0} the whole match); a group that
 *       did not take part, or that the expression does not have, gives nothing;</li>
 *   <li>{@code ${NAME}}: the request variable {@code NAME} ({@code PATH_INFO}, {@code HTTP_HOST}, ...), nothing when
 *       the request has none;</li>
 *   <li>{@code ${fn[arg]}}: a routing variable ({@link RouteVars}: {@code qs}, {@code cookie}, {@code mime},
 *       {@code uwsgi}, {@code time}, {@code httptime}, {@code base64}, {@code hex});</li>
 *   <li>{@code $} before any other character stays as written; a {@code $} that ends the text is dropped, and a
 *       {@code ${} without its {@code }} is kept as written, as uWSGI does.</li>
 * </ul>
 * One difference: uWSGI expands {@code $N} first and then {@code ${...}} over the result, so text a client sends
 * (a path captured by {@code $1}) can itself name request variables; here both are expanded in one pass and
 * captured text is inserted as it is. {@code $N} still works inside a name: {@code ${qs[$1]}}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Template {
    /** One piece of a template. */
    private sealed interface Part permits Literal, Group, Var, Fn {
    }

    private record Literal(String text) implements Part {
    }

    private record Group(int index) implements Part {
    }

    /** {@code ${NAME}}; the name may hold {@code $N}. */
    private record Var(Template name) implements Part {
    }

    /** {@code ${fn[arg]}}. */
    private record Fn(RouteVars.Kind kind, Template arg) implements Part {
    }

    private static final Template EMPTY = new Template("", List.of());

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a template. Never fails: text that is no substitution is kept.
     *
     * @param text the text as written in the config
     */
    public static Template parse(String text) {
        if (text.isEmpty()) {
            return EMPTY;
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                // a trailing '$' is dropped, as uWSGI's group pass drops it
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next >= '0' && next <= '9') {
                flush(literal, parts);
                parts.add(new Group(next - '0'));
                i += 2;
            } else if (next == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    literal.append(text, i, n);
                    break;
                }
                flush(literal, parts);
                parts.add(reference(text.substring(i + 2, close)));
                i = close + 1;
            } else {
                literal.append('$').append(next);
                i += 2;
            }
        }
        flush(literal, parts);
        return new Template(text, List.copyOf(parts));
    }

    private static Part reference(String key) {
        int bracket = key.indexOf('[');
        if (bracket >= 0 && key.endsWith("]")) {
            RouteVars.Kind kind = RouteVars.Kind.named(key.substring(0, bracket));
            if (kind != null) {
                return new Fn(kind, parse(key.substring(bracket + 1, key.length() - 1)));
            }
        }
        return new Var(parse(key));
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** Returns the text as written in the config. */
    public String source() {
        return source;
    }

    /** Returns true if the template has no substitution: {@link #expand} always gives {@link #source()}. */
    public boolean isConstant() {
        return parts.isEmpty() || parts.size() == 1 && parts.getFirst() instanceof Literal;
    }

    /**
     * Expands the template.
     *
     * @param groups the rule's regular expression groups ({@link Groups#NONE} when it has none)
     * @param vars where request and routing variables come from
     * @return the text
     */
    public String expand(Groups groups, VarSource vars) {
        if (parts.isEmpty()) {
            return "";
        }
        if (parts.size() == 1 && parts.getFirst() instanceof Literal(String text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(source.length() + 16);
        for (Part part : parts) {
            switch (part) {
                case Literal(String text) -> out.append(text);
                case Group(int index) -> {
                    String g = groups.group(index);
                    if (g != null) {
                        out.append(g);
                    }
                }
                case Var(Template name) -> {
                    String value = vars.variable(name.expand(groups, vars));
                    if (value != null) {
                        out.append(value);
                    }
                }
                case Fn(RouteVars.Kind kind, Template arg) -> {
                    String value = vars.routeVar(kind, arg.expand(groups, vars));
                    if (value != null) {
                        out.append(value);
                    }
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    /** The groups of a regular expression match, for {@code $0}..{@code $9}. */
    @FunctionalInterface
    public interface Groups {
        /** No groups: every {@code $N} gives nothing. */
        Groups NONE = index -> null;

        /** Returns group {@code index}, or null if the expression has no such group or it did not take part. */
        String group(int index);

        /** Returns the groups of a successful match. */
        static Groups of(java.util.regex.MatchResult match) {
            return index -> index <= match.groupCount() ? match.group(index) : null;
        }
    }

    /** Where {@code ${...}} values come from. */
    public interface VarSource {
        /** Returns the request variable {@code name}, or null if the request has none. */
        String variable(String name);

        /** Returns the routing variable {@code kind[arg]}, or null. */
        String routeVar(RouteVars.Kind kind, String arg);
    }
}
