package dev.imperium.app;

/**
 * An app on Imperium's typed Java API: turns a {@link Request} into a {@link Response}.
 *
 * <p>Deploy it with {@code imperium-app = com.example.MyApp} and the app's jars in {@code jvm-classpath}. The class
 * needs a public no-arg constructor; each worker creates one instance, calls {@link #start} once before the first
 * request, {@link #handle} for every request (from as many threads at once as the vassal's {@code threads}), and
 * {@link #stop} once when the worker shuts down. The app's classes are loaded in their own class loader that sees
 * only the JDK and this package, so the app may bring any library version it likes.
 *
 * <p>An exception thrown by {@link #handle} is logged with its stack trace and answered {@code 500}; the worker
 * lives on. An exception from {@link #start} stops the app from loading (with {@code need-app}, the vassal refuses
 * to start).
 *
 * <p>Being a functional interface, a lambda is an app too, which is how {@link Routes} takes its handlers:
 * <pre>{@code
 * public final class MyApp implements HttpApp {
 *     private final Routes routes = Routes.create()
 *             .get("/", request -> Response.text("Hello\n"))
 *             .get("/api/time", request -> Response.json(Json.object("now", System.currentTimeMillis())));
 *
 *     public Response handle(Request request) throws Exception {
 *         return routes.handle(request);
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HttpApp {
    /**
     * Answers one request. Must be thread-safe.
     *
     * @param request the request; its body may be read once
     * @return the response, never null
     * @throws Exception anything; answered {@code 500} and logged
     */
    Response handle(Request request) throws Exception;

    /**
     * Prepares the app, once per worker, before the first request. Does nothing by default.
     *
     * @param context where the app runs
     * @throws Exception if the app cannot start; it is then not loaded
     */
    default void start(AppContext context) throws Exception {
    }

    /**
     * Releases what {@link #start} acquired, once, when the worker shuts down. Does nothing by default.
     *
     * @throws Exception logged, shutdown goes on
     */
    default void stop() throws Exception {
    }
}
