package dev.imperium.cgi;

/** A CGI script wrote something that is not a CGI response head (RFC 3875 §6); the message says what. */
public final class CgiResponseException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, for the log
     */
    public CgiResponseException(String message) {
        super(message);
    }
}
