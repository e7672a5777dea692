package dev.imperium.emperor;

/** The emperor cannot start: bad directory, unwritable pid file, no control socket. */
public final class EmperorStartException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for the user
     */
    public EmperorStartException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for the user
     * @param cause the underlying error
     */
    public EmperorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
