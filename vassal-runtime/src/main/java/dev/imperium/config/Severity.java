package dev.imperium.config;

/** How serious a config {@link Diagnostic} is. */
public enum Severity {
    /** The file cannot be used: a syntax error, an undefined reference, an include cycle... */
    ERROR("error"),
    /** An option uWSGI has that Imperium does not implement: the file cannot be used. */
    UNSUPPORTED("unsupported"),
    /** Probably a mistake (e.g. a key that is no option and never referenced); the file can be used. */
    WARNING("warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** Returns the word used in messages: {@code error}, {@code unsupported} or {@code warning}. */
    public String label() {
        return label;
    }
}
