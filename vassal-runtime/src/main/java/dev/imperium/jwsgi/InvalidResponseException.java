package dev.imperium.jwsgi;

/** The object a JWSGI app returned breaks the JWSGI contract; the message says how. Answered 500. */
final class InvalidResponseException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidResponseException(String message) {
        super(message, null, false, false);
    }
}
