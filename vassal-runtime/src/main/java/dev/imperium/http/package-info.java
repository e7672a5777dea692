/**
 * HTTP/1.1 message syntax as pure functions on bytes (RFC 9110, RFC 9112): no sockets, no streams.
 *
 * <p>{@link dev.imperium.http.RequestHeadParser} parses a request head resumably; {@link dev.imperium.http.BodyFraming}
 * decides how the body is delimited (§6.3); {@link dev.imperium.http.ChunkedDecoder} decodes the chunked coding (§7.1)
 * resumably; {@link dev.imperium.http.ResponseHeadEncoder} writes a response head. Every rule a request can break is
 * reported as {@link dev.imperium.http.HttpProtocolException} carrying the status to answer; nothing else is thrown
 * for any input.
 *
 * <p>Policies: a bare LF ends a line of the head or trailer section, a bare CR is an error; chunk-size lines and the
 * end of chunk-data need CRLF exactly; obs-fold and whitespace before a colon are errors; only HTTP/1.0 and HTTP/1.1
 * are spoken (other versions: 505); {@code Transfer-Encoding} with {@code Content-Length}, or in HTTP/1.0: 400;
 * transfer codings other than chunked: 501.
 */
package dev.imperium.http;
