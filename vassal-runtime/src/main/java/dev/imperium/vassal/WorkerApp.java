package dev.imperium.vassal;

import dev.imperium.apps.AppLoadException;
import dev.imperium.apps.AppLoader;
import dev.imperium.apps.AppSpec;
import dev.imperium.apps.LoadedApp;
import dev.imperium.routing.InternalRouting;
import dev.imperium.routing.RouteEnvironment;
import dev.imperium.server.Handler;
import dev.imperium.statics.StaticFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a worker serves, built from the vassal's settings: the internal routing first ({@code route*}, uwsgi-docs
 * "InternalRouting"), then static files ({@code check-static}, {@code static-map}, {@code static-map2}), then the
 * apps ({@code jwsgi} or {@code imperium-app}, {@code mount}) or CGI ({@code cgi}; see {@link AppsAndCgi}), as uWSGI
 * routes a request before it offers it to its static mappings and then its app (uwsgi-docs "StaticFiles").
 */
final class WorkerApp {
    private final List<Handler> handlers;
    private final AppsAndCgi app;
    private final InternalRouting routing;

    private WorkerApp(List<Handler> handlers, AppsAndCgi app, InternalRouting routing) {
        this.handlers = handlers;
        this.app = app;
        this.routing = routing;
    }

    /**
     * Loads the static mappings and the apps.
     *
     * @param settings the vassal's settings
     * @param workDir the worker's directory ({@code chdir}), against which relative paths resolve
     * @param workerId the worker's number (routing's {@code ${uwsgi[wid]}})
     * @return the handler chain
     * @throws AppLoadException if the app cannot be loaded and {@code need-app} is set (exit code 22); without
     *     {@code need-app} a failed app is logged and the worker answers 500 for what static files do not serve
     * @throws IllegalArgumentException if a static mapping is malformed
     */
    static WorkerApp load(VassalSettings settings, Path workDir, int workerId) throws AppLoadException {
        StaticFiles statics = StaticFiles.create(settings.staticFiles(), workDir, Log::line);
        List<Path> classpath = settings.jvmClasspath().stream().map(Path::of).toList();
        // CGI and mounts: mounted apps satisfy need-app (checked by AppsAndCgi)
        boolean needMainApp = settings.needApp() && settings.mounts().isEmpty();
        AppSpec spec = new AppSpec(classpath, settings.jwsgi(), settings.imperiumApp(), needMainApp, workDir);
        LoadedApp app;
        try {
            app = AppLoader.load(spec, statics.mimeTypes(), System.err);
        } catch (AppLoadException e) {
            if (settings.needApp()) {
                throw e;
            }
            Log.line(e.getMessage());
            app = AppLoader.noApp();
        }
        AppsAndCgi served = AppsAndCgi.load(settings, workDir, app, statics.mimeTypes());
        List<Handler> handlers = new ArrayList<>(2);
        if (!statics.isEmpty()) {
            handlers.add(statics);
        }
        handlers.add(served);
        List<Handler> chain = List.copyOf(handlers);
        served.redirectLocallyThrough(exchange -> {
            for (Handler handler : chain) {
                if (handler.handle(exchange)) {
                    return true;
                }
            }
            return false;
        });
        InternalRouting routing = settings.routing().isEmpty() ? null : new InternalRouting(settings.routing(),
                RouteEnvironment.of(statics.mimeTypes(), workerId, Log::line));
        return new WorkerApp(chain, served, routing);
    }

    /** Returns the internal routing, or null when the vassal has no routing option. */
    InternalRouting routing() {
        return routing;
    }

    /** Returns the handlers, in the order a request is offered to them. */
    List<Handler> handlers() {
        return handlers;
    }

    /** Returns true if an app is loaded (the request log says {@code app: 0}, else {@code app: -1}). */
    boolean loaded() {
        return app.appLoaded();
    }

    /** Returns true if the vassal runs CGI scripts: uwsgi packets with modifier1 9 are then served. */
    boolean servesCgi() {
        return app.servesCgi();
    }

    /** Stops the app and releases its class loader. */
    void close() {
        app.close();
    }
}
