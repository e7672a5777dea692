package dev.imperium.emperor;

import dev.imperium.emperor.stats.StatsReport;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each vassal's latest stats report, parsed once: {@code /metrics}, the fleet page and {@code imperium status} ask
 * for it with the report text of their snapshot, and a text already parsed (the same string the vassal's last
 * STATS_REPORT frame gave) is not parsed again. Reports are parsed on the asking thread, never on the event loop's
 * receipt of a frame. Thread-safe: two threads asking at once may both parse, which only costs time.
 */
final class StatsReportCache {
    /** A vassal's report text and what was parsed from it (null if it could not be parsed). */
    private record Parsed(String json, StatsReport report) {
    }

    private final Map<String, Parsed> byVassal = new ConcurrentHashMap<>();

    /**
     * Returns a vassal's report, parsing it only if its text is not the one parsed last for that vassal.
     *
     * @param vassal the vassal's name
     * @param json its latest report text ({@code Vassal.lastStatsJson}), or null if it has none
     * @return the report, or null without one or if it cannot be read
     */
    StatsReport report(String vassal, String json) {
        if (json == null) {
            byVassal.remove(vassal);
            return null;
        }
        Parsed cached = byVassal.get(vassal);
        if (cached != null && cached.json() == json) { // the same report object: unchanged
            return cached.report();
        }
        StatsReport report = StatsReport.parse(json);
        byVassal.put(vassal, new Parsed(json, report));
        return report;
    }

    /**
     * Forgets the vassals not named.
     *
     * @param vassals the names of the vassals still supervised
     */
    void retain(Collection<String> vassals) {
        byVassal.keySet().retainAll(vassals);
    }
}
