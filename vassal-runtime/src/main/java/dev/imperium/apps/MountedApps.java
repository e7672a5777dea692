package dev.imperium.apps;

import dev.imperium.jwsgi.ByteText;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.RewrittenExchange;
import dev.imperium.statics.MimeTypes;
import dev.imperium.uwsgi.UwsgiVars;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several apps in one vassal, each under its mountpoint ({@code mount}, {@code manage-script-name},
 * {@code no-default-app}): each request goes to the app {@link MountTable} picks, which sees the
 * {@code SCRIPT_NAME} and {@code PATH_INFO} the table gives it (in its JWSGI env, or as a typed app's
 * {@code Request.path()}); a request no app takes is answered 500, as with no app at all.
 *
 * <p>Each app has a class loader of its own over the vassal's {@code jvm-classpath}. Thread-safe.
 */
public final class MountedApps implements Handler, AutoCloseable {
    private final MountTable table;
    private final List<LoadedApp> apps;
    private final LoadedApp none;

    private MountedApps(MountTable table, List<LoadedApp> apps, LoadedApp none) {
        this.table = table;
        this.apps = apps;
        this.none = none;
    }

    /**
     * Loads the mounted apps, logging {@code mounting APP on MOUNTPOINT} for each as uWSGI does. An app that fails
     * to load is logged and left out (its requests go to the default app), unless {@code need-app} is set.
     *
     * @param main the {@code jwsgi}/{@code imperium-app} app, mounted at {@code ""}; ignored if not present
     * @param mounts the {@code mount} values, in order
     * @param manageScriptName {@code manage-script-name}
     * @param noDefaultApp {@code no-default-app}
     * @param classpath the {@code jvm-classpath} entries
     * @param directory the vassal's working directory
     * @param mimeTypes the table for typed apps' file responses
     * @param needApp {@code need-app}: a failed app, or none at all, is an error
     * @param log where the lines go
     * @return the apps
     * @throws AppLoadException if {@code need-app} is set and an app fails, or none is loaded
     */
    public static MountedApps load(LoadedApp main, List<Mount> mounts, boolean manageScriptName,
            boolean noDefaultApp, List<Path> classpath, Path directory, MimeTypes mimeTypes, boolean needApp,
            PrintStream log) throws AppLoadException {
        List<String> mountpoints = new ArrayList<>();
        List<LoadedApp> apps = new ArrayList<>();
        if (main.isPresent()) {
            mountpoints.add("");
            apps.add(main);
        }
        for (Mount mount : mounts) {
            log.println("mounting " + mount.app() + " on " + mount.mountpoint());
            try {
                apps.add(AppLoader.loadMounted(classpath, directory, mount.mountpoint(), mount.app(), mimeTypes,
                        log));
                mountpoints.add(mount.mountpoint());
            } catch (AppLoadException e) {
                if (needApp) {
                    apps.forEach(LoadedApp::close);
                    throw e;
                }
                log.println(e.getMessage());
            }
        }
        if (apps.isEmpty() && needApp) {
            throw new AppLoadException("need-app is set but no app could be loaded", null);
        }
        return new MountedApps(new MountTable(mountpoints, manageScriptName, !noDefaultApp), List.copyOf(apps),
                main.isPresent() ? AppLoader.noApp() : main);
    }

    /** Returns true if at least one app is loaded. */
    public boolean isPresent() {
        return !apps.isEmpty();
    }

    @Override
    public boolean handle(Exchange exchange) throws Exception {
        RequestHead head = exchange.request();
        MountTable.Selection selection = table.select(head.scriptName(), head.path());
        Exchange seen = exchange;
        if (selection.rewritten()) {
            UwsgiVars vars = head.cgiVars();
            if (vars != null) {
                vars = vars.with("SCRIPT_NAME", ByteText.toWire(selection.scriptName()))
                        .with("PATH_INFO", ByteText.toWire(selection.pathInfo()));
            }
            seen = RewrittenExchange.of(exchange, head.withMount(selection.scriptName(), selection.pathInfo(), vars));
        }
        LoadedApp app = selection.app() >= 0 ? apps.get(selection.app()) : none;
        return app.handle(seen);
    }

    /** Stops every app and closes its class loader. */
    @Override
    public void close() {
        apps.forEach(LoadedApp::close);
    }
}
