/**
 * The uwsgi binary protocol as pure functions on bytes: no sockets, no streams (uwsgi-docs "The uwsgi protocol";
 * uWSGI 2.0 {@code core/protocol.c}).
 *
 * <p>A request is a 4-byte {@link dev.imperium.uwsgi.UwsgiHeader} (modifier1, the size of the vars block as an
 * unsigned 16-bit little-endian number, modifier2), then the vars block, then {@code CONTENT_LENGTH} bytes of body.
 * {@link dev.imperium.uwsgi.UwsgiVarsParser} turns a vars block into {@link dev.imperium.uwsgi.UwsgiVars};
 * {@link dev.imperium.uwsgi.UwsgiVarsEncoder} writes one (for a router speaking uwsgi to workers, and for tests).
 * Every rule a packet can break is reported as {@link dev.imperium.uwsgi.UwsgiProtocolException}; nothing else is
 * thrown for any input.
 */
package dev.imperium.uwsgi;
