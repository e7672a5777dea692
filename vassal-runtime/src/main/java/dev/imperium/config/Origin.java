package dev.imperium.config;

import java.nio.file.Path;

/**
 * Where a config entry came from: a file and a 1-based line (0 when the format has no lines, or for command-line
 * options).
 *
 * @param file the file that held the entry, or null for the command line
 * @param line the 1-based line number, or 0 when unknown
 */
public record Origin(Path file, int line) {
    /** Returns {@code file:line}, {@code file}, or {@code command line}. */
    @Override
    public String toString() {
        if (file == null) {
            return "command line";
        }
        return line > 0 ? file + ":" + line : file.toString();
    }
}
