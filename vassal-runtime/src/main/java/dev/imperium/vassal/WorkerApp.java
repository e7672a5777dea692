package dev.imperium.vassal;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Handler;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a worker serves: its handler chain (static files first, then the app) built from the vassal's settings.
 * TEMPORARY body: a fixed hello handler until the apps workstream lands.
 */
final class WorkerApp {
    private final List<Handler> handlers;
    private final boolean loaded;

    private WorkerApp(List<Handler> handlers, boolean loaded) {
        this.handlers = handlers;
        this.loaded = loaded;
    }

    /** The app could not be loaded; the message says why. */
    static final class AppLoadException extends Exception {
        private static final long serialVersionUID = 1L;

        AppLoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static WorkerApp load(VassalSettings settings, int workerId) throws AppLoadException {
        Handler hello = exchange -> {
            byte[] body = ("Hello from worker " + workerId + "\n").getBytes(StandardCharsets.UTF_8);
            try (var out = exchange.respond(200, new HttpFields().add("Content-Type", "text/plain"), body.length)) {
                out.write(body);
            }
            return true;
        };
        return new WorkerApp(List.of(hello), true);
    }

    static WorkerApp none(VassalSettings settings) {
        return new WorkerApp(List.of(), false);
    }

    List<Handler> handlers() {
        return handlers;
    }

    boolean loaded() {
        return loaded;
    }
}
