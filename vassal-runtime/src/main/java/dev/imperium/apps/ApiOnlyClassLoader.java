package dev.imperium.apps;

import dev.imperium.app.HttpApp;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * The parent of every app class loader: it exposes the JDK (the platform class loader) and Imperium's public app
 * API, package {@code dev.imperium.app}, and nothing else. So an app never sees Imperium's own dependencies
 * (Jackson, picocli...), and may bring other versions of them; and the API types it compiles against are the very
 * ones the server uses. Thread-safe.
 */
final class ApiOnlyClassLoader extends ClassLoader {
    private static final String API_PACKAGE = HttpApp.class.getPackageName();
    private static final String API_RESOURCES = API_PACKAGE.replace('.', '/') + '/';

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader api = HttpApp.class.getClassLoader();

    ApiOnlyClassLoader() {
        super("imperium-app-api", ClassLoader.getPlatformClassLoader());
    }

    /** Returns true for a class of the API package itself (nested classes included, sub-packages not). */
    static boolean isApiClass(String className) {
        return className.startsWith(API_PACKAGE + ".") && className.indexOf('.', API_PACKAGE.length() + 1) < 0;
    }

    private static boolean isApiResource(String name) {
        return name.startsWith(API_RESOURCES) && name.indexOf('/', API_RESOURCES.length()) < 0;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isApiClass(name)) {
            return api.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return isApiResource(name) ? api.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isApiResource(name) ? api.getResources(name) : super.getResources(name);
    }
}
