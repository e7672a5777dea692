package dev.imperium.routing;

import java.nio.file.Path;

/** What a {@code basicauth} rule accepts (uWSGI 2.0 {@code plugins/router_basicauth}). */
public sealed interface BasicAuthCredentials {
    /**
     * {@code basicauth:REALM,USER:PASSWORD}: exactly this user and password ({@code USER:} accepts the user with an
     * empty password).
     *
     * @param user the user
     * @param password the password
     */
    record Inline(String user, String password) implements BasicAuthCredentials {
    }

    /**
     * {@code basicauth:REALM,FILE}: the users of an htpasswd file, read again whenever it changes ({@link Htpasswd}).
     *
     * @param file the file (relative to the worker's directory)
     */
    record File(Path file) implements BasicAuthCredentials {
    }

    /** {@code basicauth:REALM,}: nobody; every request is answered 401. */
    record Nobody() implements BasicAuthCredentials {
    }

    /**
     * Reads the part after the realm's comma: {@code USER:PASSWORD} when it holds a {@code :}, else a file name,
     * else (empty) nobody.
     *
     * @throws RouteSyntaxException if the file name cannot name a file (it holds a NUL byte)
     */
    static BasicAuthCredentials parse(String text) {
        if (text.isEmpty()) {
            return new Nobody();
        }
        int colon = text.indexOf(':');
        if (colon >= 0) {
            return new Inline(text.substring(0, colon), text.substring(colon + 1));
        }
        try {
            return new File(Path.of(text));
        } catch (java.nio.file.InvalidPathException e) {
            throw new RouteSyntaxException("basicauth: invalid htpasswd file name: " + e.getReason());
        }
    }
}
