package dev.imperium.routing;

import dev.imperium.config.ConfigEntry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A vassal's internal routing: the four chains' tables, and the {@code collect-header} / {@code pull-header}
 * rules (uwsgi-docs "InternalRouting"). Read once from the config, in the master before workers start and again in
 * each worker. Immutable.
 *
 * @param tables the table of each chain
 * @param collectHeaders response fields copied into request variables before the response chain runs
 */
public record RoutingRules(Map<Chain, RouteTable> tables, List<CollectHeader> collectHeaders) {
    /** No routing at all. */
    public static final RoutingRules NONE = new RoutingRules(emptyTables(), List.of());

    /**
     * {@code collect-header = Name VAR} / {@code pull-header = Name VAR}: the response field's value becomes
     * request variable VAR (for the response and final chains); {@code pull} also removes it from the response.
     *
     * @param header the field name
     * @param variable the variable
     * @param remove true for {@code pull-header}
     */
    public record CollectHeader(String header, String variable, boolean remove) {
    }

    /**
     * Reads the routing options of a config, in file order.
     *
     * @param entries the config's entries (others are skipped)
     * @return the rules, or {@link #NONE}
     * @throws IllegalArgumentException naming the file, line and option of the first bad one
     */
    public static RoutingRules from(List<ConfigEntry> entries) {
        Map<Chain, List<Rule>> rules = new EnumMap<>(Chain.class);
        List<CollectHeader> collect = new ArrayList<>();
        for (ConfigEntry e : entries) {
            String key = e.key();
            if (key.equals("collect-header") || key.equals("pull-header")) {
                collect.add(collectHeader(e));
                continue;
            }
            Chain chain = RuleParser.chainOf(key);
            if (chain == null) {
                continue;
            }
            List<Rule> list = rules.computeIfAbsent(chain, c -> new ArrayList<>());
            try {
                list.add(RuleParser.parse(key, e.value(), list.size(), e.origin().toString()));
            } catch (RouteSyntaxException ex) {
                throw new IllegalArgumentException(e.origin() + ": " + key + ": " + ex.getMessage(), ex);
            }
        }
        if (rules.isEmpty() && collect.isEmpty()) {
            return NONE;
        }
        Map<Chain, RouteTable> tables = new EnumMap<>(Chain.class);
        for (Chain chain : Chain.values()) {
            List<Rule> list = rules.get(chain);
            tables.put(chain, list == null ? RouteTable.empty(chain) : RouteTable.of(chain, list));
        }
        return new RoutingRules(Map.copyOf(tables), List.copyOf(collect));
    }

    private static CollectHeader collectHeader(ConfigEntry e) {
        String[] parts = e.value().strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException(e.origin() + ": " + e.key() + ": invalid " + (e.key().startsWith("pull")
                    ? "pull" : "collect") + " header syntax, must be <header> <var>: '" + e.value() + "'");
        }
        return new CollectHeader(parts[0], parts[1], e.key().startsWith("pull"));
    }

    private static Map<Chain, RouteTable> emptyTables() {
        Map<Chain, RouteTable> tables = new EnumMap<>(Chain.class);
        for (Chain chain : Chain.values()) {
            tables.put(chain, RouteTable.empty(chain));
        }
        return Map.copyOf(tables);
    }

    /** Returns the table of {@code chain}. */
    public RouteTable table(Chain chain) {
        return tables.get(chain);
    }

    /** Returns true when there is no routing option at all. */
    public boolean isEmpty() {
        return collectHeaders.isEmpty() && tables.values().stream().allMatch(RouteTable::isEmpty);
    }

    /** Returns uWSGI's startup dump of every non-empty table. */
    public List<String> dump() {
        List<String> lines = new ArrayList<>();
        for (Chain chain : Chain.values()) {
            if (!table(chain).isEmpty()) {
                lines.addAll(table(chain).dump());
            }
        }
        for (CollectHeader c : collectHeaders) {
            lines.add((c.remove() ? "pulling header " : "collecting header ") + c.header() + " to var " + c.variable());
        }
        return lines;
    }
}
