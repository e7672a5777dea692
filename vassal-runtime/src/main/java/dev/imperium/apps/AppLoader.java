package dev.imperium.apps;

import dev.imperium.app.HttpApp;
import dev.imperium.jwsgi.JwsgiEntryPoint;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.jwsgi.JwsgiHandler;
import dev.imperium.jwsgi.JwsgiLoadException;
import dev.imperium.statics.MimeTypes;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loads a vassal's app from its {@link AppSpec}: a JWSGI app ({@code jwsgi}) or a typed-API app
 * ({@code imperium-app}), each in its own {@link URLClassLoader} over the {@code jvm-classpath} whose parent exposes
 * only the JDK and {@code dev.imperium.app} (see {@link ApiOnlyClassLoader}). The app's class loader is the thread
 * context class loader while the app loads, serves and stops.
 *
 * <p>Call once per worker, before serving. Logs one line on success, as uWSGI does ({@code JWSGI app "..." loaded}).
 */
public final class AppLoader {
    private static final String TAG = "[imperium-app]";

    private AppLoader() {
    }

    /**
     * Loads the app, logging to standard error; typed apps' file responses get their type from
     * {@code /etc/mime.types} (or the built-in table).
     *
     * @param spec what the config says
     * @return the app; {@link #noApp()} when neither {@code jwsgi} nor {@code imperium-app} is set
     * @throws AppLoadException see {@link #load(AppSpec, MimeTypes, PrintStream)}
     */
    public static LoadedApp load(AppSpec spec) throws AppLoadException {
        return load(spec, MimeTypes.load(List.of(), line -> { }), System.err);
    }

    /**
     * Loads the app.
     *
     * @param spec what the config says
     * @param mimeTypes the table for typed apps' file responses without a {@code Content-Type} (share the static
     *     files' table: {@code StaticFiles.mimeTypes()})
     * @param log where the success line, warnings and, later, request failures are written
     * @return the app; {@link #noApp()} when neither {@code jwsgi} nor {@code imperium-app} is set and
     *     {@code need-app} is not
     * @throws AppLoadException if both keys are set, {@code need-app} is set without an app, or the app cannot be
     *     loaded, instantiated or started
     */
    public static LoadedApp load(AppSpec spec, MimeTypes mimeTypes, PrintStream log) throws AppLoadException {
        if (spec.jwsgi() != null && spec.imperiumApp() != null) {
            throw new AppLoadException("both jwsgi and imperium-app are set; a vassal runs one app, keep one", null);
        }
        if (!spec.hasApp()) {
            if (spec.needApp()) {
                throw new AppLoadException("need-app is set but no app is configured (set jwsgi or imperium-app)",
                        null);
            }
            return noApp(log);
        }
        Consumer<String> warnings = log::println;
        URL[] urls = AppClasspath.urls(spec.classpath(), spec.directory(), warnings);
        String name = spec.jwsgi() != null ? "jwsgi:" + spec.jwsgi() : "app:" + spec.imperiumApp();
        URLClassLoader loader = new URLClassLoader(name, urls, new ApiOnlyClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            LoadedApp app = spec.jwsgi() != null
                    ? loadJwsgi(spec.jwsgi(), loader, log)
                    : loadTyped(spec, loader, mimeTypes, log);
            log.println(app.description() + " loaded");
            return app;
        } catch (AppLoadException | RuntimeException | Error e) {
            closeQuietly(loader);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Loads an app for {@code mount = MOUNTPOINT=APP}, in a class loader of its own over the classpath: a typed-API
     * app when APP names a class implementing {@link HttpApp}, else a JWSGI entry point {@code Class[:method]}.
     * Logs {@code ... loaded (mountpoint='/x')}.
     *
     * @param classpath the {@code jvm-classpath} entries
     * @param directory the vassal's working directory (relative classpath entries, the typed app's context)
     * @param mountpoint the mountpoint, for the log line and the loader's name
     * @param app the APP part of the value
     * @param mimeTypes the table for typed apps' file responses
     * @param log where the success line and warnings go
     * @return the app
     * @throws AppLoadException if the app cannot be loaded, instantiated or started
     */
    public static LoadedApp loadMounted(List<java.nio.file.Path> classpath, java.nio.file.Path directory,
            String mountpoint, String app, MimeTypes mimeTypes, PrintStream log) throws AppLoadException {
        String value = app.strip();
        URL[] urls = AppClasspath.urls(classpath, directory, log::println);
        URLClassLoader loader = new URLClassLoader("mount:" + mountpoint, urls, new ApiOnlyClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            LoadedApp loaded = value.indexOf(':') < 0 && isTypedApp(value.replace('/', '.'), loader)
                    ? loadTyped(new AppSpec(classpath, null, value.replace('/', '.'), false, directory), loader,
                            mimeTypes, log)
                    : loadJwsgi(value, loader, log);
            log.println(loaded.description() + " loaded (mountpoint='" + mountpoint + "')");
            return loaded;
        } catch (AppLoadException | RuntimeException | Error e) {
            closeQuietly(loader);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** True if the class exists and implements {@link HttpApp}; not initialised here. */
    private static boolean isTypedApp(String className, ClassLoader loader) {
        try {
            return HttpApp.class.isAssignableFrom(Class.forName(className, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Returns the app of a vassal that has none: every request is answered 500 and logged. */
    public static LoadedApp noApp() {
        return noApp(System.err);
    }

    private static LoadedApp noApp(PrintStream log) {
        return new LoadedApp("no app", new NoAppHandler(new Failures(log, TAG)), () -> { }, null);
    }

    private static LoadedApp loadJwsgi(String spec, URLClassLoader loader, PrintStream log)
            throws AppLoadException {
        JwsgiEntryPoint entry;
        try {
            entry = JwsgiEntryPoint.load(spec, loader);
        } catch (JwsgiLoadException e) {
            throw new AppLoadException(e.getMessage(), e.getCause());
        }
        JwsgiHandler handler = new JwsgiHandler(entry, JwsgiEnvBuilder.forThisHost(), loader, log);
        return new LoadedApp("JWSGI app \"" + entry.spec() + "\"", handler, () -> { }, loader);
    }

    private static LoadedApp loadTyped(AppSpec spec, URLClassLoader loader, MimeTypes mimeTypes, PrintStream log)
            throws AppLoadException {
        String className = spec.imperiumApp().strip();
        HttpApp app = instantiate(className, loader);
        try {
            app.start(RuntimeAppContext.of(spec.directory()));
        } catch (Exception e) {
            throw new AppLoadException("imperium-app " + className + ": start() failed: " + e, e);
        }
        Failures failures = new Failures(log, TAG);
        TypedAppHandler handler = new TypedAppHandler(app, className, loader, mimeTypes, failures);
        return new LoadedApp("Imperium app \"" + className + "\"", handler, app::stop, loader);
    }

    private static HttpApp instantiate(String className, ClassLoader loader) throws AppLoadException {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AppLoadException("imperium-app " + className
                    + ": class not found (is its jar or directory in jvm-classpath?)", e);
        } catch (ExceptionInInitializerError e) {
            throw new AppLoadException("imperium-app " + className + ": its static initializer failed: "
                    + e.getCause(), e.getCause());
        } catch (LinkageError e) {
            throw new AppLoadException("imperium-app " + className + ": cannot be loaded: " + e, e);
        }
        if (!HttpApp.class.isAssignableFrom(type)) {
            throw new AppLoadException("imperium-app " + className + " does not implement "
                    + HttpApp.class.getName(), null);
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new AppLoadException("imperium-app " + className + " is abstract; name a concrete class", null);
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (HttpApp) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new AppLoadException("imperium-app " + className + " needs a public no-arg constructor", e);
        } catch (InvocationTargetException e) {
            throw new AppLoadException("imperium-app " + className + ": the constructor threw " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AppLoadException("imperium-app " + className + ": cannot create an instance: " + e, e);
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // the load already failed; that is what gets reported
        }
    }
}
