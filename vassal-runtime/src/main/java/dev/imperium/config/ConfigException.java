package dev.imperium.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A vassal file that cannot be used. The message lists every {@link Severity#ERROR} and
 * {@link Severity#UNSUPPORTED} diagnostic, one per line, as {@code FILE:LINE: severity: message}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    /**
     * Creates the exception.
     *
     * @param diagnostics every diagnostic found, warnings included; at least one is an error or unsupported
     */
    public ConfigException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream()
                .filter(d -> d.severity() != Severity.WARNING)
                .map(Diagnostic::format)
                .collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Creates the exception for a single error. */
    public ConfigException(Origin origin, String key, String message) {
        this(List.of(new Diagnostic(Severity.ERROR, origin, key, message)));
    }

    /** Returns every diagnostic, warnings included, in the order found. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
