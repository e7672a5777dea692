package dev.imperium.config;

import java.nio.file.Path;

/**
 * Reads one config format into raw entries the way uWSGI 2.0's reader for that format does. Readers know nothing of
 * includes, logic or expansion; they only split the text into (key, value, line) triples of one section.
 */
interface FormatReader {
    /**
     * Reads one section of a file.
     *
     * @param file the file, for {@link Origin}s and messages
     * @param text the file content, magic variables already replaced
     * @param section the section (ini section, YAML/JSON top key, XML {@code id}) or null for the format's default
     * @param diagnostics where syntax errors go
     * @return the entries of the section, in order
     */
    ReadResult read(Path file, String text, String section, Diagnostics diagnostics);

    /** Describes the section for messages, e.g. {@code [uwsgi]} or {@code <uwsgi id="a">}. */
    String describeSection(String section);
}
