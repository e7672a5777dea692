package dev.imperium.jwsgi;

/**
 * The app failed while its response body was being produced (an iterator, {@code toString()} or an
 * {@code InputStream} threw), after the response had started: the response cannot be completed.
 */
final class AppBodyException extends Exception {
    private static final long serialVersionUID = 1L;

    AppBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
