package dev.imperium.routing;

/** A routing option that cannot be used: bad syntax, an unknown action or condition, a bad regular expression. */
public final class RouteSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, in one line */
    public RouteSyntaxException(String message) {
        super(message);
    }
}
