package dev.imperium.apps;

import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;

import java.io.IOException;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A vassal's app, ready to serve: the last handler of a worker's chain (after static files). It never declines:
 * with no app it answers {@code 500} (see {@link AppLoader#noApp()}).
 *
 * <p>{@link #close()} stops a typed-API app ({@code HttpApp.stop}) and closes the app's class loader; call it once
 * when the worker shuts down, after the last request. Thread-safe.
 */
public final class LoadedApp implements Handler, AutoCloseable {
    private final String description;
    private final Handler handler;
    private final AppStopper stopper;
    private final URLClassLoader loader;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Stops an app; may throw anything, which {@link #close()} logs. */
    @FunctionalInterface
    interface AppStopper {
        void stop() throws Exception;
    }

    LoadedApp(String description, Handler handler, AppStopper stopper, URLClassLoader loader) {
        this.description = description;
        this.handler = handler;
        this.stopper = stopper;
        this.loader = loader;
    }

    /** Returns what was loaded, e.g. {@code JWSGI app "com/example/App"}, or {@code no app}. */
    public String description() {
        return description;
    }

    /** Returns true if an app was loaded, false for {@link AppLoader#noApp()}. */
    public boolean isPresent() {
        return loader != null;
    }

    /** Serves the request with the app (or answers 500 when there is none); always returns true. */
    @Override
    public boolean handle(Exchange exchange) throws Exception {
        return handler.handle(exchange);
    }

    /**
     * Stops the app and closes its class loader; later calls do nothing. A failing {@code stop()} is logged to
     * standard error and closing goes on.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || loader == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            stopper.stop();
        } catch (Exception e) {
            System.err.println("[imperium-apps] " + description + " failed to stop: " + e);
            e.printStackTrace(System.err);
        } finally {
            thread.setContextClassLoader(previous);
        }
        try {
            loader.close();
        } catch (IOException e) {
            System.err.println("[imperium-apps] cannot close the class loader of " + description + ": " + e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
