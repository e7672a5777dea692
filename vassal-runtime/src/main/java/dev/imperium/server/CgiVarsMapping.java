package dev.imperium.server;

import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.PathDecoder;
import dev.imperium.jwsgi.ByteText;
import dev.imperium.uwsgi.UwsgiVars;
import java.nio.charset.StandardCharsets;

/**
 * Turns the CGI variables a front server sends (nginx's {@code uwsgi_params}, {@code fastcgi_params},
 * {@code scgi_params}) into a {@link RequestHead}, the way uWSGI reads them ({@code core/protocol.c},
 * {@code uwsgi_parse_vars}): {@code REQUEST_METHOD}, {@code REQUEST_URI}, {@code PATH_INFO}, {@code QUERY_STRING},
 * {@code SERVER_PROTOCOL}, {@code CONTENT_LENGTH}, {@code CONTENT_TYPE}, {@code REMOTE_ADDR}, {@code REMOTE_PORT},
 * {@code SERVER_PORT}, {@code HTTPS} / {@code UWSGI_SCHEME}, and every {@code HTTP_*} variable as a header field.
 *
 * <p>Defaults where a variable is missing: method {@code GET}; target {@code PATH_INFO} plus {@code ?QUERY_STRING};
 * path decoded from the target; protocol {@code HTTP/1.0} (uWSGI's status-line default); addresses from the
 * connection. The variables themselves travel along ({@link RequestHead#cgiVars()}) so a JWSGI app sees exactly
 * what the front server sent. Stateless and thread-safe.
 */
public final class CgiVarsMapping {
    private CgiVarsMapping() {
    }

    /**
     * Maps one request's variables.
     *
     * @param vars the variables as received
     * @param peerAddress the connection's remote IP address ("" on a UNIX socket): used when there is no
     *     {@code REMOTE_ADDR}
     * @param localAddress the connection's local address: the request head's local address
     * @param localPort the connection's local port: used when there is no {@code SERVER_PORT}
     * @return the request head, with {@code vars} attached
     * @throws HttpProtocolException 400 if {@code CONTENT_LENGTH} is not a decimal number, or the target cannot be
     *     decoded (a bad percent-encoding when there is no {@code PATH_INFO})
     */
    public static RequestHead toHead(UwsgiVars vars, String peerAddress, String localAddress, int localPort)
            throws HttpProtocolException {
        String method = orDefault(vars.get("REQUEST_METHOD"), "GET");
        String query = orDefault(vars.get("QUERY_STRING"), "");
        String pathInfo = vars.get("PATH_INFO");
        String target = vars.get("REQUEST_URI");
        if (target == null || target.isEmpty()) {
            target = (pathInfo == null || pathInfo.isEmpty() ? "/" : pathInfo) + (query.isEmpty() ? "" : "?" + query);
        }
        String path;
        if (pathInfo != null) {
            path = ByteText.fromWire(pathInfo);
        } else {
            int end = target.indexOf('?');
            byte[] raw = target.getBytes(StandardCharsets.ISO_8859_1);
            path = PathDecoder.decode(raw, 0, end < 0 ? raw.length : end);
        }
        String protocol = orDefault(vars.get("SERVER_PROTOCOL"), "HTTP/1.0");
        long contentLength = contentLength(vars.get("CONTENT_LENGTH"));
        HttpFields fields = new HttpFields(vars.size());
        for (int i = 0; i < vars.size(); i++) {
            String name = vars.name(i);
            String value = vars.value(i);
            if (name.startsWith("HTTP_") && name.length() > 5) {
                fields.add(fieldName(name, 5), value);
            } else if (name.equals("CONTENT_TYPE") && !value.isEmpty()) {
                fields.add("Content-Type", value);
            } else if (name.equals("CONTENT_LENGTH") && !value.isEmpty()) {
                fields.add("Content-Length", value);
            }
        }
        String remoteAddress = orDefault(vars.get("REMOTE_ADDR"), peerAddress);
        int remotePort = port(vars.get("REMOTE_PORT"), 0);
        int serverPort = port(vars.get("SERVER_PORT"), localPort);
        return new RequestHead(method, target, path, query, protocol, fields, contentLength, false, remoteAddress,
                remotePort, localAddress, serverPort, scheme(vars), vars);
    }

    /**
     * Returns {@code https} when {@code UWSGI_SCHEME} says so, or {@code HTTPS} is {@code on}, {@code 1} or
     * {@code true} (any case), else {@code http}: uWSGI's {@code wsgi.url_scheme} rule.
     */
    static String scheme(UwsgiVars vars) {
        String scheme = vars.get("UWSGI_SCHEME");
        if (scheme != null && !scheme.isEmpty()) {
            return scheme.toLowerCase(java.util.Locale.ROOT);
        }
        String https = vars.get("HTTPS");
        return https != null && (https.equalsIgnoreCase("on") || https.equals("1") || https.equalsIgnoreCase("true"))
                ? "https" : "http";
    }

    /** {@code HTTP_X_FORWARDED_FOR} (from {@code start}) to {@code X-Forwarded-For}. */
    static String fieldName(String cgiName, int start) {
        StringBuilder name = new StringBuilder(cgiName.length() - start);
        boolean upper = true;
        for (int i = start; i < cgiName.length(); i++) {
            char c = cgiName.charAt(i);
            if (c == '_') {
                name.append('-');
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }

    private static long contentLength(String value) throws HttpProtocolException {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        if (value.length() > 18) {
            throw new HttpProtocolException(400, "CONTENT_LENGTH too large");
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpProtocolException(400, "CONTENT_LENGTH is not a number");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int port(String value, int otherwise) {
        if (value == null || value.isEmpty() || value.length() > 5) {
            return otherwise;
        }
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return otherwise;
            }
            n = n * 10 + (c - '0');
        }
        return n <= 65535 ? n : otherwise;
    }

    private static String orDefault(String value, String otherwise) {
        return value == null || value.isEmpty() ? otherwise : value;
    }
}
