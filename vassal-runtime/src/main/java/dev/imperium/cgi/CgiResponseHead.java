package dev.imperium.cgi;

import dev.imperium.http.HttpFields;

import java.util.Objects;

/**
 * The head of a CGI script's response (RFC 3875 §6), as {@link CgiResponseParser} reads it.
 *
 * @param kind what the script answered
 * @param status the HTTP status to send: the {@code Status} field's code; 302 for a client redirect without one; 200
 *     otherwise
 * @param fields the header fields to send, in the script's order, without {@code Status} and
 *     {@code Transfer-Encoding} (the server frames the body itself); text one char per byte (ISO-8859-1)
 * @param contentLength the body length the script announced with {@code Content-Length}, or -1
 * @param location the {@code Location} value, or null
 */
public record CgiResponseHead(Kind kind, int status, HttpFields fields, long contentLength, String location) {

    /** The kinds of CGI response (RFC 3875 §6.2). */
    public enum Kind {
        /** A document: a status (200 unless {@code Status} says otherwise), fields and a body. */
        DOCUMENT,
        /**
         * A local redirect (§6.2.2): only a {@code Location} that is a path on this server; the server answers as if
         * the client had asked for that path with GET.
         */
        LOCAL_REDIRECT,
        /** A client redirect (§6.2.3, §6.2.4): a {@code Location} sent to the client with 302 (or the given status). */
        CLIENT_REDIRECT
    }

    /** Requires the kind and fields. */
    public CgiResponseHead {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fields, "fields");
    }
}
