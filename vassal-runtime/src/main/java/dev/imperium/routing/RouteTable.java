package dev.imperium.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one chain, in order, with its labels. Immutable.
 *
 * @param chain the chain
 * @param rules the rules, {@code rules.get(i).position() == i}
 * @param labels label name to position (the first label of a name counts, as uWSGI searches from the top)
 */
public record RouteTable(Chain chain, List<Rule> rules, Map<String, Integer> labels) {
    /** Returns an empty table. */
    static RouteTable empty(Chain chain) {
        return new RouteTable(chain, List.of(), Map.of());
    }

    /**
     * Builds a table and checks its jumps: a {@code goto} whose target is written out (no {@code $}) must name a
     * label of the same chain, or a rule number, further down.
     *
     * @param chain the chain
     * @param rules the rules, in order
     * @throws RouteSyntaxException naming the rule ({@link Rule#where()}) with a bad jump
     */
    public static RouteTable of(Chain chain, List<Rule> rules) {
        Map<String, Integer> labels = new HashMap<>();
        for (Rule r : rules) {
            if (r.isLabel()) {
                labels.putIfAbsent(r.label(), r.position());
            }
        }
        for (Rule r : rules) {
            if (r.action() instanceof Action.Goto(Template target) && target.isConstant()) {
                String name = target.source();
                Integer to = labels.get(name);
                if (to == null && isNumber(name)) {
                    to = Integer.parseInt(name);
                }
                if (to == null) {
                    throw new RouteSyntaxException(r.where() + ": " + r.option() + ": goto:" + name + ": no "
                            + chain.prefix() + "route-label '" + name + "' in this chain");
                }
                if (to <= r.position()) {
                    throw new RouteSyntaxException(r.where() + ": " + r.option() + ": goto:" + name + ": \"goto\""
                            + " instruction can only jump forward (the label is above the rule)");
                }
            }
        }
        return new RouteTable(chain, List.copyOf(rules), Map.copyOf(labels));
    }

    /** Returns true if the chain has no rule. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Returns the position a {@code goto} argument jumps to: its label's, else the number it starts with (C's
     * {@code atoi}), as uWSGI does.
     */
    int target(String label) {
        Integer at = labels.get(label);
        return at != null ? at : (int) Math.max(0, Math.min(Integer.MAX_VALUE, RouteVars.strtol(label)));
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Returns uWSGI's startup dump of this table ({@code *** dumping internal routing table ***} ...). */
    public List<String> dump() {
        List<String> lines = new java.util.ArrayList<>(rules.size() + 2);
        lines.add("*** dumping " + chain.title() + " ***");
        for (Rule r : rules) {
            String head = "[rule: " + r.position() + "] ";
            lines.add(head + switch (r.match()) {
                case null -> "label: " + r.label();
                case Rule.Match.Always a -> "action: " + actionText(r);
                case Rule.Match.OnSubject(Subject s, java.util.regex.Pattern p) ->
                        "subject: " + s.dumpName() + " regexp: " + p.pattern() + " action: " + actionText(r);
                case Rule.Match.OnStatus(int status) ->
                        "subject: " + status + " func: " + status + " action: " + actionText(r);
                case Rule.Match.If i -> "subject: " + i.left().source()
                        + (i.regexp() != null ? ";" + i.regexp().pattern() : i.right() != null ? ";" + i.right().source()
                        : "") + " func: " + (i.negate() ? "!" : "") + i.condition().canonicalName() + " action: "
                        + actionText(r);
            });
        }
        lines.add("*** end of the " + chain.title() + " ***");
        return lines;
    }

    private static String actionText(Rule r) {
        if (r.match() instanceof Rule.Match.Always) {
            return r.text();
        }
        int space = r.text().indexOf(' ');
        return r.text().substring(space + 1).stripLeading();
    }
}
