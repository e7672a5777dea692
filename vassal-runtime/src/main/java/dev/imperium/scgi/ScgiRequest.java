package dev.imperium.scgi;

import dev.imperium.uwsgi.UwsgiVars;

/**
 * The head of an SCGI request, as {@link ScgiRequestParser} reads it: the headers, as the same CGI-style vars a uwsgi
 * request yields (including {@code CONTENT_LENGTH} and {@code SCGI}), and the body's length taken from the first
 * header. The body's bytes follow the netstring on the connection.
 *
 * @param vars the headers, in arrival order
 * @param contentLength the body's length in bytes, 0 or more
 */
public record ScgiRequest(UwsgiVars vars, long contentLength) {
    /**
     * Checks the arguments.
     *
     * @throws NullPointerException if {@code vars} is null
     * @throws IllegalArgumentException if {@code contentLength} is negative
     */
    public ScgiRequest {
        java.util.Objects.requireNonNull(vars, "vars");
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength < 0: " + contentLength);
        }
    }
}
