package dev.imperium.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A small router: sends a request to the handler registered for its method and exact path, else to the handler of
 * the longest matching path prefix, else to the fallback ({@code 404} by default). Immutable: every method returns a
 * new {@code Routes}, so build it once (e.g. in a field) and share it between threads.
 *
 * <ul>
 *   <li>An exact path registered for other methods only answers {@code 405 Method Not Allowed} with an
 *       {@code Allow} header (RFC 9110 §15.5.6).</li>
 *   <li>{@code HEAD} uses the {@code GET} handler when no {@code HEAD} handler is registered (RFC 9110 §9.3.2); the
 *       server drops the body.</li>
 *   <li>A prefix matches whole path segments: {@code /files} matches {@code /files} and {@code /files/a}, not
 *       {@code /filesystem}; a prefix ending in {@code /} matches anything under it.</li>
 * </ul>
 *
 * <pre>{@code
 * Routes routes = Routes.create()
 *         .get("/", request -> Response.text("home\n"))
 *         .post("/api/items", this::createItem)
 *         .prefix("/files", this::serveFile)
 *         .otherwise(request -> Response.notFound());
 * }</pre>
 */
public final class Routes implements HttpApp {
    private final Map<String, Map<String, HttpApp>> exact;
    private final List<Map.Entry<String, HttpApp>> prefixes;
    private final HttpApp fallback;

    private Routes(Map<String, Map<String, HttpApp>> exact, List<Map.Entry<String, HttpApp>> prefixes,
            HttpApp fallback) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.fallback = fallback;
    }

    /** Returns an empty router: every request gets the fallback, {@code 404}. */
    public static Routes create() {
        return new Routes(Map.of(), List.of(), request -> Response.notFound());
    }

    /** Returns a router that also sends {@code GET path} to {@code handler}. */
    public Routes get(String path, HttpApp handler) {
        return route("GET", path, handler);
    }

    /** Returns a router that also sends {@code POST path} to {@code handler}. */
    public Routes post(String path, HttpApp handler) {
        return route("POST", path, handler);
    }

    /** Returns a router that also sends {@code PUT path} to {@code handler}. */
    public Routes put(String path, HttpApp handler) {
        return route("PUT", path, handler);
    }

    /** Returns a router that also sends {@code DELETE path} to {@code handler}. */
    public Routes delete(String path, HttpApp handler) {
        return route("DELETE", path, handler);
    }

    /**
     * Returns a router that also sends requests with this method and exact (decoded) path to {@code handler}.
     *
     * @throws IllegalArgumentException if the path does not start with {@code /}, or the pair is already routed
     */
    public Routes route(String method, String path, HttpApp handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        checkPath(path);
        Map<String, Map<String, HttpApp>> next = new LinkedHashMap<>();
        exact.forEach((p, byMethod) -> next.put(p, new LinkedHashMap<>(byMethod)));
        if (next.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(method, handler) != null) {
            throw new IllegalArgumentException(method + " " + path + " is already routed");
        }
        next.replaceAll((p, byMethod) -> Map.copyOf(byMethod));
        return new Routes(Map.copyOf(next), prefixes, fallback);
    }

    /**
     * Returns a router that also sends every request (any method) whose path is {@code prefix} or lies under it to
     * {@code handler}, unless an exact route matches first. The longest matching prefix wins.
     *
     * @throws IllegalArgumentException if the prefix does not start with {@code /}, or is already routed
     */
    public Routes prefix(String prefix, HttpApp handler) {
        checkPath(prefix);
        Objects.requireNonNull(handler, "handler");
        if (prefixes.stream().anyMatch(e -> e.getKey().equals(prefix))) {
            throw new IllegalArgumentException("prefix " + prefix + " is already routed");
        }
        List<Map.Entry<String, HttpApp>> next = new ArrayList<>(prefixes);
        next.add(Map.entry(prefix, handler));
        next.sort(Comparator.comparingInt((Map.Entry<String, HttpApp> e) -> e.getKey().length()).reversed());
        return new Routes(exact, List.copyOf(next), fallback);
    }

    /** Returns a router that sends requests no route matches to {@code handler} instead of answering 404. */
    public Routes otherwise(HttpApp handler) {
        return new Routes(exact, prefixes, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Routes the request.
     *
     * @throws Exception whatever the chosen handler throws
     */
    @Override
    public Response handle(Request request) throws Exception {
        Map<String, HttpApp> byMethod = exact.get(request.path());
        if (byMethod != null) {
            HttpApp handler = byMethod.get(request.method());
            if (handler == null && "HEAD".equals(request.method())) {
                handler = byMethod.get("GET");
            }
            if (handler != null) {
                return handler.handle(request);
            }
        }
        for (Map.Entry<String, HttpApp> entry : prefixes) {
            if (under(request.path(), entry.getKey())) {
                return entry.getValue().handle(request);
            }
        }
        if (byMethod != null) {
            TreeSet<String> allowed = new TreeSet<>(byMethod.keySet());
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            return Response.text("Method Not Allowed\n").withStatus(405).header("Allow", String.join(", ", allowed));
        }
        return fallback.handle(request);
    }

    private static boolean under(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
    }

    private static void checkPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a route path must start with '/', got " + path);
        }
    }
}
