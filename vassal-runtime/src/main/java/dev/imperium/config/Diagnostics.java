package dev.imperium.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the diagnostics of one load, in the order found, without duplicates. Not thread-safe. */
final class Diagnostics {
    private final Set<Diagnostic> found = new LinkedHashSet<>();

    void error(Origin origin, String key, String message) {
        found.add(new Diagnostic(Severity.ERROR, origin, key, message));
    }

    void unsupported(Origin origin, String key, String message) {
        found.add(new Diagnostic(Severity.UNSUPPORTED, origin, key, message));
    }

    void warning(Origin origin, String key, String message) {
        found.add(new Diagnostic(Severity.WARNING, origin, key, message));
    }

    boolean hasErrors() {
        return found.stream().anyMatch(d -> d.severity() != Severity.WARNING);
    }

    int errorCount() {
        return (int) found.stream().filter(d -> d.severity() != Severity.WARNING).count();
    }

    List<Diagnostic> all() {
        return new ArrayList<>(found);
    }
}
