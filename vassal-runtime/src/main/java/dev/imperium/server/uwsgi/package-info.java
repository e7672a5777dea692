/**
 * The uwsgi protocol of a vassal worker (uWSGI's {@code socket} / {@code uwsgi-socket}), as nginx's
 * {@code uwsgi_pass} speaks it: {@link dev.imperium.server.uwsgi.UwsgiConnection} serves one request per connection
 * with the parsers of {@link dev.imperium.uwsgi}.
 */
package dev.imperium.server.uwsgi;
