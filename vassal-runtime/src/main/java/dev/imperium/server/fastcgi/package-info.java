/**
 * The FastCGI protocol of a vassal worker (uWSGI's {@code fastcgi-socket}), as nginx's {@code fastcgi_pass} speaks
 * it: {@link dev.imperium.server.fastcgi.FcgiConnection} serves Responder requests, one at a time per connection,
 * keeping the connection when the web server asks ({@code FCGI_KEEP_CONN}), with the record parsers and encoders of
 * {@link dev.imperium.fastcgi}.
 */
package dev.imperium.server.fastcgi;
