package dev.imperium.cli.aot;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;

/**
 * The JWSGI app that {@code imperium aot-cache} deploys for its training run: a hello, an echo of the request body
 * and a 404, so that a worker goes through the request paths every app uses.
 */
public final class TrainingApp {
    private TrainingApp() {
    }

    /**
     * Serves one request (JWSGI: {@code env} in, {@code {status, headers, body}} out).
     *
     * @param env the request variables plus {@code jwsgi.input}
     * @return {status, headers, body}
     * @throws IOException if the request body cannot be read
     */
    public static Object[] application(HashMap<String, Object> env) throws IOException {
        HashMap<String, Object> headers = new HashMap<>();
        headers.put("Content-Type", "text/plain");
        Object path = env.get("PATH_INFO");
        if ("/".equals(path)) {
            return new Object[] {200, headers, "Hello World"};
        }
        if ("/echo".equals(path)) {
            return new Object[] {200, headers, ((InputStream) env.get("jwsgi.input")).readAllBytes()};
        }
        return new Object[] {404, headers, "Not Found"};
    }
}
