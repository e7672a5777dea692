package dev.imperium.samples.hello;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JWSGI app with no dependencies, the same jar running under uWSGI's JVM plugin and under Imperium.
 *
 * <ul>
 *   <li>{@code /} answers {@code Hello from JWSGI};</li>
 *   <li>{@code /env} (and anything under {@code /env/}) dumps the request environment as sorted
 *       {@code KEY=VALUE} lines (the request body stream shows as {@value #INPUT_MARKER}; a backslash, CR or LF in a
 *       value is escaped); the conformance test compares this dump between uWSGI and Imperium;</li>
 *   <li>{@code /echo} answers the request body, with the request's {@code Content-Type};</li>
 *   <li>{@code /headers} answers a repeated response header ({@code X-Multi}) and a body in several chunks;</li>
 *   <li>anything else is a 404.</li>
 * </ul>
 *
 * <p>The JWSGI contract: {@code Object[] application(HashMap env)} returns {status, headers, body}. See
 * https://uwsgi-docs.readthedocs.io/en/latest/JWSGI.html
 */
public final class HelloApp {
    /** How {@code /env} shows the {@code jwsgi.input} stream, whose {@code toString()} is not stable. */
    public static final String INPUT_MARKER = "<jwsgi.input>";

    private HelloApp() {
    }

    /**
     * Serves one request.
     *
     * @param env the request variables ({@code String} to {@code String}) plus {@code jwsgi.input}
     * @return {status, headers, body}
     * @throws IOException if the request body cannot be read
     */
    public static Object[] application(HashMap<String, Object> env) throws IOException {
        Object pathInfo = env.get("PATH_INFO");
        String path = pathInfo == null ? "/" : pathInfo.toString();
        if (path.startsWith("/env/")) {
            return text(200, dump(env));
        }
        return switch (path) {
            case "/" -> text(200, "Hello from JWSGI\n");
            case "/env" -> text(200, dump(env));
            case "/echo" -> echo(env);
            case "/headers" -> multi();
            default -> text(404, "Not Found\n");
        };
    }

    private static Object[] text(int status, String body) {
        HashMap<String, Object> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        return new Object[] {status, headers, body};
    }

    private static String dump(Map<String, Object> env) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<>(env).entrySet()) {
            Object value = e.getValue();
            String shown = value instanceof InputStream ? INPUT_MARKER : String.valueOf(value);
            out.append(e.getKey()).append('=').append(escape(shown)).append('\n');
        }
        return out.toString();
    }

    /** Keeps one variable per line: a backslash, CR or LF in a value is written as an escape. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    private static Object[] echo(Map<String, Object> env) throws IOException {
        byte[] body = readAll((InputStream) env.get("jwsgi.input"));
        HashMap<String, Object> headers = new HashMap<>();
        Object type = env.get("CONTENT_TYPE");
        headers.put("Content-Type", type == null || type.toString().isEmpty()
                ? "application/octet-stream" : type.toString());
        return new Object[] {200, headers, body};
    }

    /** Reads with {@code read(byte[])}, the call uWSGI's request body stream implements natively. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static Object[] multi() {
        HashMap<String, Object> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("X-Multi", new String[] {"one", "two"});
        List<Object> chunks = new ArrayList<>();
        chunks.add("first\n");
        chunks.add("second\n".getBytes(StandardCharsets.UTF_8));
        chunks.add(3);
        chunks.add("\n");
        return new Object[] {200, headers, chunks};
    }
}
