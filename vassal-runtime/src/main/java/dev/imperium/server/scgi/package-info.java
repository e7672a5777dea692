/**
 * The SCGI protocol of a vassal worker (uWSGI's {@code scgi-socket}), as nginx's {@code scgi_pass} speaks it:
 * {@link dev.imperium.server.scgi.ScgiConnection} serves one request per connection with the parser of
 * {@link dev.imperium.scgi} and answers CGI-style ({@code Status: 200 OK}), as uWSGI does.
 */
package dev.imperium.server.scgi;
