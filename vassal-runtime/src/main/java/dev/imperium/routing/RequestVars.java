package dev.imperium.routing;

import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.ByteText;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.RequestHead;
import dev.imperium.uwsgi.UwsgiVars;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request variables routing reads and changes: for a request that came as HTTP, the CGI variables uWSGI's
 * {@code http-socket} would give it ({@link JwsgiEnvBuilder}); for uwsgi, FastCGI and SCGI, the variables the front
 * server sent. Values are the text an app sees (UTF-8 decoded where the bytes are UTF-8). Changes are kept aside;
 * {@link #toHead()} turns them into the request the rest of the worker serves. Used by one thread.
 */
final class RequestVars {
    private final RequestHead head;
    private final JwsgiEnvBuilder builder;
    private final LinkedHashMap<String, String> changes = new LinkedHashMap<>();
    private Map<String, Object> built;
    private RequestHead changedHead;

    /**
     * @param head the request as received
     * @param builder what derives an HTTP request's variables (its {@code SERVER_NAME})
     */
    RequestVars(RequestHead head, JwsgiEnvBuilder builder) {
        this.head = head;
        this.builder = builder;
    }

    /** Returns the variable {@code name}, or null if the request has none. */
    String get(String name) {
        if (!changes.isEmpty()) {
            String changed = changes.get(name);
            if (changed != null || changes.containsKey(name)) {
                return changed;
            }
        }
        UwsgiVars cgi = head.cgiVars();
        if (cgi != null) {
            String value = cgi.get(name);
            return value == null ? null : ByteText.fromWire(value);
        }
        return switch (name) {
            case "PATH_INFO" -> head.path();
            case "REQUEST_URI" -> ByteText.fromWire(head.target());
            case "QUERY_STRING" -> head.query() == null ? "" : ByteText.fromWire(head.query());
            case "REQUEST_METHOD" -> head.method();
            default -> name.startsWith("HTTP_") ? header(head.fields(), name) : builtValue(name);
        };
    }

    /** Sets variable {@code name}. */
    void set(String name, String value) {
        changes.put(name, value);
        changedHead = null;
    }

    /** Returns true if a variable was set. */
    boolean changed() {
        return !changes.isEmpty();
    }

    /**
     * Returns the request as the rest of the worker should serve it: the original when nothing changed; otherwise a
     * head whose method, target ({@code REQUEST_URI}), path ({@code PATH_INFO}), query, remote address and scheme
     * ({@code UWSGI_SCHEME}) follow the variables, and which carries every variable, so a JWSGI app's env has them.
     */
    RequestHead toHead() {
        if (changes.isEmpty()) {
            return head;
        }
        if (changedHead != null) {
            return changedHead;
        }
        LinkedHashMap<String, String> all = new LinkedHashMap<>();
        UwsgiVars cgi = head.cgiVars();
        if (cgi != null) {
            for (int i = 0; i < cgi.size(); i++) {
                all.put(cgi.name(i), ByteText.fromWire(cgi.value(i)));
            }
        } else {
            for (Map.Entry<String, Object> e : built().entrySet()) {
                if (e.getValue() instanceof String s) {
                    all.put(e.getKey(), s);
                }
            }
        }
        all.putAll(changes);
        String[] names = new String[all.size()];
        String[] values = new String[all.size()];
        int n = 0;
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().isEmpty() || e.getValue() == null) {
                continue;
            }
            names[n] = ByteText.toWire(e.getKey());
            values[n] = ByteText.toWire(e.getValue());
            n++;
        }
        UwsgiVars vars = UwsgiVars.of(names, values, n);
        String scheme = all.get("UWSGI_SCHEME");
        String target = all.get("REQUEST_URI");
        String query = all.get("QUERY_STRING");
        changedHead = new RequestHead(
                orElse(all.get("REQUEST_METHOD"), head.method()),
                target == null ? head.target() : ByteText.toWire(target),
                orElse(all.get("PATH_INFO"), head.path()),
                query == null ? head.query() : ByteText.toWire(query),
                head.protocol(), head.fields(), head.contentLength(), head.chunked(),
                orElse(all.get("REMOTE_ADDR"), head.remoteAddress()), head.remotePort(),
                head.localAddress(), head.localPort(),
                scheme == null || scheme.isEmpty() ? head.scheme() : scheme.toLowerCase(Locale.ROOT),
                vars);
        return changedHead;
    }

    private String builtValue(String name) {
        Object value = built().get(name);
        return value instanceof String s ? s : null;
    }

    private Map<String, Object> built() {
        if (built == null) {
            built = builder.build(head, InputStream.nullInputStream());
        }
        return built;
    }

    /** The {@code HTTP_*} (or {@code CONTENT_*}) variable of the fields: repeated ones joined with {@code ", "}. */
    private static String header(HttpFields fields, String cgiName) {
        String value = null;
        for (int i = 0; i < fields.size(); i++) {
            if (isCgiName(fields.name(i), cgiName)) {
                String v = ByteText.fromWire(fields.value(i));
                value = value == null ? v : value + ", " + v;
            }
        }
        return value;
    }

    /** {@code X-Foo} is {@code HTTP_X_FOO}. */
    private static boolean isCgiName(String field, String cgiName) {
        if (cgiName.length() != field.length() + 5) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            char expected = cgiName.charAt(i + 5);
            char mapped = c == '-' ? '_' : c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
            if (mapped != expected) {
                return false;
            }
        }
        return !(field.equalsIgnoreCase("Content-Type") || field.equalsIgnoreCase("Content-Length"));
    }

    private static String orElse(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}
