package dev.imperium.samples.api;

import dev.imperium.app.AppContext;
import dev.imperium.app.HttpApp;
import dev.imperium.app.Json;
import dev.imperium.app.Request;
import dev.imperium.app.Response;
import dev.imperium.app.Routes;

import java.time.Duration;
import java.time.Instant;

/**
 * A sample app on Imperium's typed API ({@code imperium-app = dev.imperium.samples.api.ApiApp}).
 *
 * <ul>
 *   <li>{@code GET /}: a line of text;</li>
 *   <li>{@code GET /hello}: {@code Hello World} as {@code text/plain} (the hello-world case of the benchmarks in
 *       {@code tests/bench});</li>
 *   <li>{@code GET /api/hello?name=X}: {@code {"message":"Hello, X"}} ({@code name} defaults to {@code world});</li>
 *   <li>{@code GET /api/info}: the process id, the worker number, the time and the uptime, as JSON.</li>
 * </ul>
 *
 * <p>Its static files ({@code static/}) are served by the vassal's {@code static-map}, not by the app.
 */
public final class ApiApp implements HttpApp {
    private final Instant started = Instant.now();
    private final Routes routes = Routes.create()
            .get("/", request -> Response.text("Imperium typed-API sample: try /api/hello?name=you, /api/info "
                    + "or /static/\n"))
            .get("/hello", request -> Response.text("Hello World"))
            .get("/api/hello", this::hello)
            .get("/api/info", this::info);
    private volatile int workerId;

    /** Creates the app; the server calls this once per worker. */
    public ApiApp() {
    }

    @Override
    public void start(AppContext context) {
        workerId = context.workerId();
    }

    @Override
    public Response handle(Request request) throws Exception {
        return routes.handle(request);
    }

    private Response hello(Request request) {
        String name = request.queryParam("name").filter(n -> !n.isBlank()).orElse("world");
        return Response.json(Json.object("message", "Hello, " + name));
    }

    private Response info(Request request) {
        Instant now = Instant.now();
        return Response.json(Json.object(
                "pid", ProcessHandle.current().pid(),
                "worker", workerId > 0 ? workerId : null,
                "time", now.toString(),
                "uptimeSeconds", Duration.between(started, now).toSeconds(),
                "java", Runtime.version().toString()))
                .header("Cache-Control", "no-store");
    }
}
