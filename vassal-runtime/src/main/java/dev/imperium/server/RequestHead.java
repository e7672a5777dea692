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
 * @param scriptName CGI's {@code SCRIPT_NAME}: the mountpoint the request was dispatched under, set by
 *     {@code mount}/{@code manage-script-name} (see {@link #withMount}); null until then, when
 *     {@link #scriptName()} gives the {@code SCRIPT_NAME} variable of a request that arrived as variables, else
 *     {@code ""}
 * @param modifier1 the uwsgi modifier1 the request asks for (uwsgi-docs "uwsgi packet header"): a uwsgi packet's
 *     own, or 9 when the socket's {@code http-socket-modifier1}/{@code fastcgi-modifier1}/{@code scgi-modifier1} is
 *     9 (CGI); 0 otherwise
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
        UwsgiVars cgiVars,
        String scriptName,
        int modifier1) {

    /**
     * Creates the head of a request with modifier1 0, its {@code scriptName} taken from the variables'
     * {@code SCRIPT_NAME} ({@code ""} without one).
     */
    public RequestHead(String method, String target, String path, String query, String protocol, HttpFields fields,
            long contentLength, boolean chunked, String remoteAddress, int remotePort, String localAddress,
            int localPort, String scheme, UwsgiVars cgiVars) {
        this(method, target, path, query, protocol, fields, contentLength, chunked, remoteAddress, remotePort,
                localAddress, localPort, scheme, cgiVars, null, 0);
    }

    /** Creates the head of a request that arrived as HTTP (no CGI variables). */
    public RequestHead(String method, String target, String path, String query, String protocol, HttpFields fields,
            long contentLength, boolean chunked, String remoteAddress, int remotePort, String localAddress,
            int localPort, String scheme) {
        this(method, target, path, query, protocol, fields, contentLength, chunked, remoteAddress, remotePort,
                localAddress, localPort, scheme, null);
    }

    /**
     * Returns CGI's {@code SCRIPT_NAME}: the mountpoint set by {@link #withMount}, else the front server's
     * {@code SCRIPT_NAME} variable, else {@code ""}.
     */
    @Override
    public String scriptName() {
        if (scriptName != null) {
            return scriptName;
        }
        String name = cgiVars == null ? null : cgiVars.get("SCRIPT_NAME");
        return name == null ? "" : name;
    }

    /** Returns this head with {@code modifier1} set (the request is otherwise unchanged). */
    public RequestHead withModifier1(int modifier1) {
        return new RequestHead(method, target, path, query, protocol, fields, contentLength, chunked, remoteAddress,
                remotePort, localAddress, localPort, scheme, cgiVars, scriptName, modifier1);
    }

    /**
     * Returns this head as an app mounted under {@code scriptName} sees it ({@code manage-script-name}): the given
     * {@code SCRIPT_NAME} and {@code PATH_INFO}; the target (CGI's {@code REQUEST_URI}) is unchanged.
     *
     * @param scriptName the new {@code SCRIPT_NAME}
     * @param path the new {@code PATH_INFO}, decoded
     * @param vars the variables with both rewritten, for a request that arrived as variables; null otherwise
     */
    public RequestHead withMount(String scriptName, String path, UwsgiVars vars) {
        return new RequestHead(method, target, path, query, protocol, fields, contentLength, chunked, remoteAddress,
                remotePort, localAddress, localPort, scheme, vars, scriptName, modifier1);
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
