package dev.imperium.config;

/**
 * One problem found in a vassal file.
 *
 * @param severity how serious it is
 * @param origin the file and line
 * @param key the option concerned, or null
 * @param message what is wrong, in one line, e.g. {@code unknown option 'harakri' (did you mean 'harakiri'?)}
 */
public record Diagnostic(Severity severity, Origin origin, String key, String message) {
    /** Returns {@code FILE:LINE: severity: message}, the form compilers and {@code nginx -t} use. */
    public String format() {
        return origin + ": " + severity.label() + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
