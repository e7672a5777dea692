package dev.imperium.tests.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWSGI app for the request-smuggling tests, one worker per server: a request whose target contains
 * {@code smuggled} is counted and answered {@code SMUGGLED} (it must never be reached); {@code /hits} answers that
 * count; {@code /pid} the worker's pid; {@code /host} the {@code HTTP_HOST} it saw; anything else reads the whole body
 * and answers {@code ok <body length>}.
 */
public final class FramingApp {
    private static final AtomicInteger SMUGGLED = new AtomicInteger();

    private FramingApp() {
    }

    /**
     * The JWSGI entry point.
     *
     * @param env the request
     * @return status, headers, body
     * @throws IOException if the body cannot be read
     */
    public static Object[] application(HashMap<String, Object> env) throws IOException {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain");
        String uri = String.valueOf(env.get("REQUEST_URI"));
        String path = String.valueOf(env.get("PATH_INFO"));
        if (uri.contains("smuggled") || path.contains("smuggled")) {
            SMUGGLED.incrementAndGet();
            return new Object[] {200, headers, "SMUGGLED\n"};
        }
        return switch (path) {
            case "/hits" -> new Object[] {200, headers, SMUGGLED.get() + "\n"};
            case "/pid" -> new Object[] {200, headers, ProcessHandle.current().pid() + "\n"};
            case "/host" -> new Object[] {200, headers, env.get("HTTP_HOST") + "\n"};
            default -> new Object[] {200, headers, "ok " + bodyLength(env) + "\n"};
        };
    }

    private static int bodyLength(Map<String, Object> env) throws IOException {
        Object input = env.get("jwsgi.input");
        if (!(input instanceof InputStream in)) {
            return 0;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.size();
    }
}
