package dev.imperium.emperor.client;

/** A message of the client control protocol could not be read: not JSON, a missing field, a line too long. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, in one line
     */
    public ProtocolException(String message) {
        super(message);
    }
}
