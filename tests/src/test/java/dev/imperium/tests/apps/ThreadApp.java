package dev.imperium.tests.apps;

import java.util.HashMap;
import java.util.Map;

/**
 * A JWSGI app for end-to-end tests of {@code threads}: {@code /thread} answers the name of the thread running the
 * request and whether it is virtual ({@code uwsgi-core-0 virtual=false}); anything else is {@link BlockingApp}.
 */
public final class ThreadApp {
    private ThreadApp() {
    }

    /**
     * The JWSGI entry point.
     *
     * @param env the request
     * @return status, headers, body
     */
    public static Object[] application(HashMap<String, Object> env) throws InterruptedException {
        if ("/thread".equals(env.get("PATH_INFO"))) {
            Map<String, String> headers = new HashMap<>();
            headers.put("Content-Type", "text/plain");
            Thread t = Thread.currentThread();
            return new Object[] {200, headers, t.getName() + " virtual=" + t.isVirtual() + "\n"};
        }
        return BlockingApp.application(env);
    }
}
