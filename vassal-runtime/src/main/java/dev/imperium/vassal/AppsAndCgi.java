package dev.imperium.vassal;

import dev.imperium.apps.AppLoadException;
import dev.imperium.apps.LoadedApp;
import dev.imperium.apps.MountedApps;
import dev.imperium.cgi.CgiHandler;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.statics.MimeTypes;
import dev.imperium.uwsgi.UwsgiHeader;

import java.nio.file.Path;
import java.util.List;

/**
 * What serves the requests that static files do not (CGI and mounts): the JVM apps ({@code jwsgi} /
 * {@code imperium-app}, and the {@code mount}ed ones) and the CGI scripts ({@code cgi}). As in uWSGI, a request asks
 * for CGI with modifier1 9 (nginx's {@code uwsgi_modifier1 9}, {@code http-socket-modifier1 = 9}); a vassal with
 * {@code cgi} and no JVM app also runs its other requests as CGI, so {@code cgi} alone serves an
 * {@code http-socket}.
 */
final class AppsAndCgi implements Handler, AutoCloseable {
    private final LoadedApp main;
    private final MountedApps mounted;
    private final CgiHandler cgi;
    private final boolean appLoaded;

    private AppsAndCgi(LoadedApp main, MountedApps mounted, CgiHandler cgi) {
        this.main = main;
        this.mounted = mounted;
        this.cgi = cgi;
        this.appLoaded = mounted != null ? mounted.isPresent() : main.isPresent();
    }

    /**
     * Loads the mounted apps and sets up CGI.
     *
     * @param settings the vassal's settings
     * @param workDir the worker's directory
     * @param main the {@code jwsgi}/{@code imperium-app} app (or the no-app stand-in)
     * @param mimeTypes the table for typed apps' file responses
     * @throws AppLoadException if {@code need-app} is set and a mounted app fails
     * @throws IllegalArgumentException if a {@code cgi} path is missing under {@code cgi-optimize}
     */
    static AppsAndCgi load(VassalSettings settings, Path workDir, LoadedApp main, MimeTypes mimeTypes)
            throws AppLoadException {
        MountedApps mounted = null;
        if (!settings.mounts().isEmpty()) {
            List<Path> classpath = settings.jvmClasspath().stream().map(Path::of).toList();
            mounted = MountedApps.load(main, settings.mounts(), settings.manageScriptName(), settings.noDefaultApp(),
                    classpath, workDir, mimeTypes, settings.needApp(), System.err);
        }
        CgiHandler cgi = null;
        if (settings.cgi().enabled()) {
            cgi = new CgiHandler(settings.cgi(), workDir, System.getenv(), "Imperium/" + Version.VERSION,
                    JwsgiEnvBuilder.forThisHost(), Log::line);
            cgi.logMountpoints();
        }
        return new AppsAndCgi(main, mounted, cgi);
    }

    /** Returns true if CGI is configured: uwsgi packets with modifier1 9 are then served. */
    boolean servesCgi() {
        return cgi != null;
    }

    /** Returns true if a JVM app is loaded (the request log says {@code app: 0}, else {@code app: -1}). */
    boolean appLoaded() {
        return appLoaded;
    }

    /** Lets a CGI local redirect go through the worker's whole chain. */
    void redirectLocallyThrough(Handler chain) {
        if (cgi != null) {
            cgi.redirectLocallyThrough(chain);
        }
    }

    @Override
    public boolean handle(Exchange exchange) throws Exception {
        if (cgi != null && (!appLoaded || exchange.request().modifier1() == UwsgiHeader.MODIFIER1_CGI)) {
            return cgi.handle(exchange);
        }
        return mounted != null ? mounted.handle(exchange) : main.handle(exchange);
    }

    /** Stops the apps and closes their class loaders. */
    @Override
    public void close() {
        if (mounted != null) {
            mounted.close();
        } else {
            main.close();
        }
    }
}
