package dev.imperium.jwsgi;

/**
 * A {@code jwsgi = Class:method} entry point could not be loaded: class missing, no suitable method, constructor or
 * static initializer failed. The message names the spec and the cause in words a user can act on.
 */
public final class JwsgiLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and an optional cause. */
    public JwsgiLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
