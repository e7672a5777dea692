package dev.imperium.jwsgi;

import dev.imperium.http.HttpFields;
import dev.imperium.server.RequestHead;
import dev.imperium.uwsgi.UwsgiVars;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the JWSGI {@code env} for one request: for HTTP, exactly the variables uWSGI 2.0's {@code http-socket} parser
 * ({@code proto/http.c}) hands the JVM plugin for the same request, plus {@code jwsgi.input}.
 *
 * <p>The variables, all {@code String}: {@code REQUEST_METHOD}; {@code REQUEST_URI} (the target as received);
 * {@code PATH_INFO} (decoded); {@code QUERY_STRING} ({@code ""} when absent); {@code SERVER_PROTOCOL};
 * {@code SCRIPT_NAME} ({@code ""}, or the mountpoint under {@code mount} with {@code manage-script-name}); {@code SERVER_NAME} (the host name, {@code gethostname(2)}, not the
 * {@code Host} header); {@code SERVER_PORT} (the listening port, {@code 80} on a UNIX socket); {@code REMOTE_ADDR}
 * (as {@code inet_ntop(3)} writes it: {@code ::1}, IPv4-mapped IPv6 as IPv4); {@code HTTPS=on} on TLS only; one
 * {@code HTTP_*} variable per header name (upper-cased, {@code -} turned into {@code _}; repeated headers, and
 * names that differ only by case or {@code -}/{@code _}, joined with {@code ", "} in arrival order), except
 * {@code Content-Type}, which becomes {@code CONTENT_TYPE}, and {@code Content-Length}: {@code CONTENT_LENGTH} is
 * the body's length as framed (so {@code 5} for {@code Content-Length: 5, 5}), absent for a chunked body, and never
 * taken from another field such as {@code Content_Length}.
 * uWSGI sets no {@code REMOTE_PORT}, {@code SERVER_ADDR}, {@code DOCUMENT_ROOT} or {@code UWSGI_ROUTER} on
 * {@code http-socket}, and neither does this builder.
 *
 * <p>Text: uWSGI gives the JVM the raw bytes decoded as UTF-8. Header values and the raw target arrive here one
 * char per byte (ISO-8859-1, RFC 9110 §5.5); when those bytes are valid UTF-8 they are decoded as UTF-8, otherwise
 * kept as they are.
 *
 * <p>A request that came over uwsgi, FastCGI or SCGI ({@link RequestHead#cgiVars()} set) gets exactly the variables
 * the front server sent, as uWSGI's JVM plugin does, each name and value read as UTF-8 where valid; when a name
 * comes twice the last one counts.
 *
 * <p>{@code jwsgi.input} is an {@code InputStream} over the request body that ends where the body ends; closing it
 * does nothing (the server drains what the app leaves unread). uWSGI's {@code uwsgi.RequestBody} extras
 * ({@code readLine(byte[])}, {@code seek(int)}) are not available.
 *
 * <p>Immutable and thread-safe; each call returns a new {@code HashMap}.
 */
public final class JwsgiEnvBuilder {
    /** The env key holding the request body stream. */
    public static final String INPUT = "jwsgi.input";

    private final String serverName;

    /**
     * Creates a builder with a fixed {@code SERVER_NAME}.
     *
     * @param serverName the value for {@code SERVER_NAME}
     */
    public JwsgiEnvBuilder(String serverName) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
    }

    /** Returns a builder whose {@code SERVER_NAME} is this machine's host name, as uWSGI's. */
    public static JwsgiEnvBuilder forThisHost() {
        return new JwsgiEnvBuilder(Hostname.get());
    }

    /** Returns the {@code SERVER_NAME} this builder sets. */
    public String serverName() {
        return serverName;
    }

    /**
     * Builds the env for one request.
     *
     * @param head the request
     * @param body the request body, ending where the body ends
     * @return a new map: the CGI variables ({@code String} to {@code String}) and {@code jwsgi.input}
     */
    public HashMap<String, Object> build(RequestHead head, InputStream body) {
        UwsgiVars vars = head.cgiVars();
        if (vars != null) {
            HashMap<String, Object> env = HashMap.newHashMap(vars.size() + 1);
            for (int i = 0; i < vars.size(); i++) {
                env.put(ByteText.fromWire(vars.name(i)), ByteText.fromWire(vars.value(i)));
            }
            env.put(INPUT, new UncloseableInput(body));
            return env;
        }
        HashMap<String, Object> env = new HashMap<>(32);
        env.put("REQUEST_METHOD", head.method());
        env.put("REQUEST_URI", ByteText.fromWire(head.target()));
        env.put("PATH_INFO", head.path());
        env.put("QUERY_STRING", ByteText.fromWire(head.query() == null ? "" : head.query()));
        env.put("SERVER_PROTOCOL", head.protocol());
        env.put("SCRIPT_NAME", head.scriptName());
        env.put("SERVER_NAME", serverName);
        env.put("SERVER_PORT", head.localPort() > 0 ? Integer.toString(head.localPort()) : "80");
        env.put("REMOTE_ADDR", IpText.canonical(head.remoteAddress()));
        if ("https".equalsIgnoreCase(head.scheme())) {
            env.put("HTTPS", "on");
        }
        env.putAll(headerVariables(head.fields()));
        // the body's framed length, never a field's text: "5, 5" or a Content_Length field must not tell the app a
        // length the body does not have
        env.remove("CONTENT_LENGTH");
        if (head.contentLength() >= 0) {
            env.put("CONTENT_LENGTH", Long.toString(head.contentLength()));
        }
        env.put(INPUT, new UncloseableInput(body));
        return env;
    }

    /**
     * Measures the uwsgi vars block this request would be, as uWSGI's default request log line reports it
     * ({@code {N vars in M bytes}}): N counts keys and values separately (uWSGI's {@code var_cnt} counts iovec
     * entries), M is the block's size, 2 + key + 2 + value bytes per variable. No env map is built.
     *
     * @param head the request
     * @return the count and size
     */
    public VarsBlock measure(RequestHead head) {
        int pairs = 0;
        int bytes = 0;
        UwsgiVars vars = head.cgiVars();
        if (vars != null) {
            for (int i = 0; i < vars.size(); i++) {
                bytes += 4 + vars.name(i).length() + vars.value(i).length();
            }
            return new VarsBlock(vars.size() * 2, bytes);
        }
        String[] fixed = {
            head.method(), head.target(), head.path(), head.query() == null ? "" : head.query(), head.protocol(), head.scriptName(),
            serverName, head.localPort() > 0 ? Integer.toString(head.localPort()) : "80",
            IpText.canonical(head.remoteAddress())};
        for (int i = 0; i < fixed.length; i++) {
            pairs++;
            bytes += 4 + FIXED_KEY_LENGTHS[i] + utf8Length(fixed[i]);
        }
        if ("https".equalsIgnoreCase(head.scheme())) {
            pairs++;
            bytes += 4 + 5 + 2;
        }
        for (Map.Entry<String, String> var : headerVariables(head.fields()).entrySet()) {
            pairs++;
            bytes += 4 + var.getKey().length() + utf8Length(var.getValue());
        }
        return new VarsBlock(pairs * 2, bytes);
    }

    /** Lengths of REQUEST_METHOD, REQUEST_URI, PATH_INFO, QUERY_STRING, SERVER_PROTOCOL, SCRIPT_NAME, SERVER_NAME,
     * SERVER_PORT and REMOTE_ADDR, in the order {@link #measure} lists their values. */
    private static final int[] FIXED_KEY_LENGTHS = {14, 11, 9, 12, 15, 11, 11, 11, 11};

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /**
     * The size of a request's uwsgi vars block, for the request log.
     *
     * @param count the number of keys plus values (twice the number of variables)
     * @param bytes the block's size in bytes
     */
    public record VarsBlock(int count, int bytes) {
    }

    /** Turns header fields into CGI variables, merging repeated names with {@code ", "} as uWSGI does. */
    static Map<String, String> headerVariables(HttpFields fields) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String value = ByteText.fromWire(fields.value(i));
            vars.merge(cgiName(fields.name(i)), value, (first, next) -> first + ", " + next);
        }
        return vars;
    }

    /** {@code Content-Type} to {@code CONTENT_TYPE}, {@code X-Foo} to {@code HTTP_X_FOO}. */
    static String cgiName(String headerName) {
        StringBuilder name = new StringBuilder(headerName.length() + 5);
        for (int i = 0; i < headerName.length(); i++) {
            char c = headerName.charAt(i);
            name.append(c == '-' ? '_' : c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        String upper = name.toString();
        return upper.equals("CONTENT_TYPE") || upper.equals("CONTENT_LENGTH") ? upper : "HTTP_" + upper;
    }

    /** The body stream as the app sees it: closing it must not close the connection's stream. */
    private static final class UncloseableInput extends FilterInputStream {
        UncloseableInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the protocol layer owns the body stream
        }
    }
}
