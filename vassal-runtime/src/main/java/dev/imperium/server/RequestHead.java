package dev.imperium.server;

import dev.imperium.http.HttpFields;
import dev.imperium.uwsgi.UwsgiVars;

/**
 * What a protocol parser learned about one request, before its body: the request-line, the fields and the
 * connection's addresses. Protocol-neutral: the HTTP/1.1 parser fills it from the request head; the uwsgi, FastCGI
 * and SCGI connections fill it from their vars.
 *
 * @param method the method token, e.g. {@code GET} (RFC 9110 §9)
 * @param target the request-target exactly as received, e.g. {@code /a%20b?x=1} (RFC 9112 §3.2)
 * @param path the target's path, percent-decoded (UTF-8), without the query: CGI's {@code PATH_INFO}
 * @param query the target's query without the {@code ?}, not decoded; empty when absent: CGI's {@code QUERY_STRING}
 * @param protocol the protocol as received, e.g. {@code HTTP/1.1}: CGI's {@code SERVER_PROTOCOL}
 * @param fields the request's header fields, in order
 * @param contentLength the body length from {@code Content-Length}, or -1 when absent or chunked
 * @param chunked true when the body uses the chunked transfer coding (RFC 9112 §7.1)
 * @param remoteAddress the client's IP address (or "" on a UNIX socket)
 * @param remotePort the client's port (0 on a UNIX socket)
 * @param localAddress the IP address the request arrived on (or the socket path on a UNIX socket)
 * @param localPort the port the request arrived on (0 on a UNIX socket)
 * @param scheme {@code http} or {@code https}
 * @param cgiVars the request's variables exactly as a front server sent them (uwsgi, FastCGI or SCGI: nginx's
 *     {@code uwsgi_param}s), which a JWSGI app gets as its env as under uWSGI; null on HTTP, where the env is built
 *     from the request-line and fields
 */
public record RequestHead(
        String method,
        String target,
        String path,
        String query,
        String protocol,
        HttpFields fields,
        long contentLength,
        boolean chunked,
        String remoteAddress,
        int remotePort,
        String localAddress,
        int localPort,
        String scheme,
        UwsgiVars cgiVars) {

    /** Creates the head of a request that arrived as HTTP (no CGI variables). */
    public RequestHead(String method, String target, String path, String query, String protocol, HttpFields fields,
            long contentLength, boolean chunked, String remoteAddress, int remotePort, String localAddress,
            int localPort, String scheme) {
        this(method, target, path, query, protocol, fields, contentLength, chunked, remoteAddress, remotePort,
                localAddress, localPort, scheme, null);
    }

    /** Returns true for {@code HTTP/1.1} and later, where keep-alive is the default (RFC 9112 §9.3). */
    public boolean isHttp11() {
        return "HTTP/1.1".equals(protocol);
    }

    /** Returns true if the request has a body (a positive Content-Length, or chunked). */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
