package dev.imperium.config;

import java.util.List;

/**
 * What a {@link FormatReader} found in one file.
 *
 * @param entries the entries of the requested section, in file order
 * @param sectionFound false when the file has no such section (uWSGI only warns about that)
 * @param failed true when a syntax error stopped the reader; {@code entries} holds what came before it
 */
record ReadResult(List<RawEntry> entries, boolean sectionFound, boolean failed) {
    ReadResult {
        entries = List.copyOf(entries);
    }
}
