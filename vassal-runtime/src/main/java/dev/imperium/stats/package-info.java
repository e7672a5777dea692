/**
 * The vassal's stats: the JSON document of uWSGI 2.0's stats server ({@code stats}, uwsgi-docs "The uWSGI Stats
 * Server"; {@code core/master_utils.c} {@code uwsgi_master_generate_stats}), with the same field names, types, nesting
 * and layout, and the extra {@code "imperium"} object the vassal reports to its emperor. Pure: plain values in, text
 * out; the master gathers the values ({@code dev.imperium.vassal.VassalStats}).
 */
package dev.imperium.stats;
