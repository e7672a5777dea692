/**
 * A vassal's stats report as the emperor receives it (the STATS_REPORT frame: uWSGI 2.0's stats document plus
 * Imperium's {@code "imperium"} object, vassal-runtime CONFIG.md "The report to the emperor"), read once into a
 * {@link dev.imperium.emperor.stats.StatsReport} for {@code /metrics}, the fleet page and {@code imperium
 * status/top}. Pure: text in, values out.
 */
package dev.imperium.emperor.stats;
