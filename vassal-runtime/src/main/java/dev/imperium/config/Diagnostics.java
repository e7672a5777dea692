package dev.imperium.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the diagnostics of one load, in the order found, without duplicates. Not thread-safe.
 *
 * <p>Issue 8 (bad configs): at most {@link #MAX_KEPT} problems and {@link #MAX_KEPT} warnings are kept, so that a
 * file of junk gives a message of a few lines, not one line per junk line; {@link #all()} ends with a line counting
 * the others.
 */
final class Diagnostics {
    /** The most problems (errors and unsupported options), and the most warnings, one load reports. */
    static final int MAX_KEPT = 50;

    private final Set<Diagnostic> found = new LinkedHashSet<>();
    private int problems;
    private int warnings;
    private int droppedProblems;
    private int droppedWarnings;
    private Origin firstDropped;

    void error(Origin origin, String key, String message) {
        add(new Diagnostic(Severity.ERROR, origin, key, message));
    }

    void unsupported(Origin origin, String key, String message) {
        add(new Diagnostic(Severity.UNSUPPORTED, origin, key, message));
    }

    void warning(Origin origin, String key, String message) {
        add(new Diagnostic(Severity.WARNING, origin, key, message));
    }

    private void add(Diagnostic d) {
        boolean warning = d.severity() == Severity.WARNING;
        if ((warning ? warnings : problems) >= MAX_KEPT) {
            if (!found.contains(d)) {
                if (firstDropped == null) {
                    firstDropped = d.origin();
                }
                if (warning) {
                    droppedWarnings++;
                } else {
                    droppedProblems++;
                }
            }
            return;
        }
        if (found.add(d)) {
            if (warning) {
                warnings++;
            } else {
                problems++;
            }
        }
    }

    /** Whether no more warnings are kept (so that costly ones, such as suggestions, may be skipped). */
    boolean warningsFull() {
        return warnings >= MAX_KEPT;
    }

    /** Whether no more problems are kept. */
    boolean problemsFull() {
        return problems >= MAX_KEPT;
    }

    boolean hasErrors() {
        return problems > 0;
    }

    int errorCount() {
        return problems + droppedProblems;
    }

    List<Diagnostic> all() {
        List<Diagnostic> all = new ArrayList<>(found);
        Origin at = firstDropped == null ? null : new Origin(firstDropped.file(), 0);
        if (droppedProblems > 0) {
            all.add(new Diagnostic(Severity.ERROR, at, null, "... and " + droppedProblems + " more problems not shown"
                    + " (only the first " + MAX_KEPT + " are)"));
        }
        if (droppedWarnings > 0) {
            all.add(new Diagnostic(Severity.WARNING, at, null, "... and " + droppedWarnings + " more warnings not"
                    + " shown (only the first " + MAX_KEPT + " are)"));
        }
        return all;
    }
}
