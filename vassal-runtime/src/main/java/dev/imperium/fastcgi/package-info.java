/**
 * The FastCGI 1.0 protocol, application side, as pure functions on bytes: no sockets, no streams (FastCGI
 * Specification 1.0, Mark R. Brown, Open Market, 1996; uWSGI 2.0 {@code proto/fastcgi.c}).
 *
 * <p>Everything on a connection is a record: an 8-byte {@link dev.imperium.fastcgi.FcgiRecordHeader} (version 1,
 * type, request id and content length as unsigned 16-bit big-endian numbers, padding length), the content, the
 * padding. A request is a BEGIN_REQUEST record ({@link dev.imperium.fastcgi.FcgiBeginRequest}: role, keep-connection
 * flag), a PARAMS stream of name-value pairs collected by {@link dev.imperium.fastcgi.FcgiParamsAccumulator} and
 * parsed by {@link dev.imperium.fastcgi.FcgiParamsParser} into the same {@link dev.imperium.uwsgi.UwsgiVars} a uwsgi
 * request yields, then a STDIN stream carrying the body. The application answers with STDOUT records and an
 * END_REQUEST record, written by {@link dev.imperium.fastcgi.FcgiRecordEncoder}, which also answers the management
 * records GET_VALUES and unknown types. {@link dev.imperium.fastcgi.FcgiParamsEncoder} writes a PARAMS stream (for
 * tests and a web server's side). Every rule input can break is reported as
 * {@link dev.imperium.fastcgi.FcgiProtocolException}; nothing else is thrown for any input bytes.
 */
package dev.imperium.fastcgi;
