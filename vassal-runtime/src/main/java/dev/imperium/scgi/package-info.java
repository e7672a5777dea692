/**
 * The SCGI protocol, request side, as pure functions on bytes: no sockets, no streams (SCGI specification, Neil
 * Schemenauer, 2008; netstrings, D. J. Bernstein, 1997; uWSGI 2.0 {@code proto/scgi.c}).
 *
 * <p>A request is a netstring {@code <length>:<headers>,} whose headers are {@code name NUL value NUL} pairs, the
 * first {@code CONTENT_LENGTH}, then that many bytes of body. The spec leaves the response's format open; uWSGI
 * answers CGI-style ({@code Status: 200 OK}, headers, blank line, body) and closes the connection after it. {@link dev.imperium.scgi.ScgiRequestParser} reads the netstring,
 * incrementally, into an {@link dev.imperium.scgi.ScgiRequest}: the same {@link dev.imperium.uwsgi.UwsgiVars} a uwsgi
 * request yields, and the body's length. Every rule a request can break is reported as
 * {@link dev.imperium.scgi.ScgiProtocolException}; nothing else is thrown for any input bytes.
 */
package dev.imperium.scgi;
