package dev.imperium.tests.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A JWSGI app for end-to-end tests, loaded by real workers: {@code /block?file=PATH} creates {@code PATH.entered}, then
 * answers only once PATH exists (at most 60 s), so a test knows a request is in flight and decides when it ends;
 * {@code /sleep?ms=N} answers after N ms; anything else answers {@code ok} at once.
 */
public final class BlockingApp {
    private BlockingApp() {
    }

    /**
     * The JWSGI entry point.
     *
     * @param env the request
     * @return status, headers, body
     */
    public static Object[] application(HashMap<String, Object> env) throws InterruptedException {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain");
        if ("/block".equals(env.get("PATH_INFO"))) {
            String query = (String) env.get("QUERY_STRING");
            Path file = Path.of(query.substring(query.indexOf('=') + 1));
            try {
                Files.writeString(Path.of(file + ".entered"), "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(file) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return new Object[] {200, headers, "released\n"};
        }
        if ("/sleep".equals(env.get("PATH_INFO"))) {
            String query = (String) env.get("QUERY_STRING");
            Thread.sleep(Long.parseLong(query.substring(query.indexOf('=') + 1)));
            return new Object[] {200, headers, "slept\n"};
        }
        return new Object[] {200, headers, "ok\n"};
    }
}
