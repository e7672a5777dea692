package dev.imperium.tests.apps;

import dev.imperium.app.AppContext;
import dev.imperium.app.HttpApp;
import dev.imperium.app.Request;
import dev.imperium.app.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A typed app for end-to-end tests: appends {@code start <worker>} and {@code stop <worker>} to the file named by
 * the environment variable {@code LIFECYCLE_FILE} when the worker starts and stops it.
 */
public final class LifecycleApp implements HttpApp {
    private int worker;

    @Override
    public void start(AppContext context) {
        worker = context.workerId();
        record("start " + worker);
    }

    @Override
    public Response handle(Request request) {
        return Response.text("ok\n");
    }

    @Override
    public void stop() {
        record("stop " + worker);
    }

    private static void record(String line) {
        try {
            Files.writeString(Path.of(System.getenv("LIFECYCLE_FILE")), line + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
