package dev.imperium.jwsgi;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Objects;

/**
 * A loaded JWSGI entry point: {@code jwsgi = Class[:method]} resolved the way uWSGI's {@code jwsgi} plugin resolves
 * it (https://uwsgi-docs.readthedocs.io/en/latest/JWSGI.html). The class may be written with dots
 * ({@code com.example.App}) or, as uWSGI requires, slashes ({@code com/example/App}); the method defaults to
 * {@code application}. A static method {@code Object[] method(java.util.HashMap)} is used if the class (or a
 * superclass) declares one; otherwise the class is instantiated once with its no-arg constructor and the instance
 * method of that signature is used for every request. As with JNI, access modifiers do not matter.
 *
 * <p>Thread-safe: requests call the same method (and instance) concurrently, as uWSGI's threads do.
 */
public final class JwsgiEntryPoint {
    /** The method name used when the spec has no {@code :method}. */
    public static final String DEFAULT_METHOD = "application";

    private final String spec;
    private final Method method;
    private final Object instance;

    private JwsgiEntryPoint(String spec, Method method, Object instance) {
        this.spec = spec;
        this.method = method;
        this.instance = instance;
    }

    /**
     * Loads and initialises the class, finds the method, and instantiates the class if the method is not static.
     * Call with the app's class loader as the thread context class loader: static initializers and the constructor
     * run here.
     *
     * @param spec the {@code jwsgi} value, {@code Class[:method]}
     * @param loader the loader holding the app's classes
     * @return the entry point
     * @throws JwsgiLoadException if the spec is malformed, the class cannot be loaded or initialised, has no method
     *     {@code Object[] name(java.util.HashMap)}, or cannot be instantiated
     */
    public static JwsgiEntryPoint load(String spec, ClassLoader loader) throws JwsgiLoadException {
        Objects.requireNonNull(loader, "loader");
        String value = spec == null ? "" : spec.strip();
        int colon = value.indexOf(':');
        String className = (colon < 0 ? value : value.substring(0, colon)).replace('/', '.');
        String methodName = colon < 0 ? DEFAULT_METHOD : value.substring(colon + 1);
        if (className.isEmpty() || methodName.isEmpty()) {
            throw new JwsgiLoadException("invalid jwsgi '" + value + "': the syntax is Class[:method], e.g. "
                    + "com.example.App or com/example/App:handle", null);
        }
        Class<?> type = loadClass(value, className, loader);
        Method staticMethod = find(type, methodName, true);
        if (staticMethod != null) {
            return new JwsgiEntryPoint(value, staticMethod, null);
        }
        Method instanceMethod = find(type, methodName, false);
        if (instanceMethod == null) {
            throw new JwsgiLoadException("jwsgi '" + value + "': class " + type.getName() + " has no method "
                    + "Object[] " + methodName + "(java.util.HashMap), static or not", null);
        }
        return new JwsgiEntryPoint(value, instanceMethod, instantiate(value, type));
    }

    private static Class<?> loadClass(String spec, String className, ClassLoader loader) throws JwsgiLoadException {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new JwsgiLoadException("jwsgi '" + spec + "': class " + className
                    + " not found (is its jar or directory in jvm-classpath?)", e);
        } catch (ExceptionInInitializerError e) {
            throw new JwsgiLoadException("jwsgi '" + spec + "': the static initializer of " + className
                    + " failed: " + e.getCause(), e.getCause());
        } catch (LinkageError e) {
            throw new JwsgiLoadException("jwsgi '" + spec + "': class " + className + " cannot be loaded: " + e, e);
        }
    }

    /** Finds {@code Object[] name(HashMap)} with the wanted staticness in the class or its superclasses. */
    private static Method find(Class<?> type, String name, boolean wantStatic) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (matches(m, name, wantStatic)) {
                    m.setAccessible(true);
                    return m;
                }
            }
        }
        if (!wantStatic) {
            for (Method m : type.getMethods()) {
                if (matches(m, name, false)) {
                    return m;
                }
            }
        }
        return null;
    }

    private static boolean matches(Method m, String name, boolean wantStatic) {
        return m.getName().equals(name)
                && Modifier.isStatic(m.getModifiers()) == wantStatic
                && !Modifier.isAbstract(m.getModifiers())
                && m.getReturnType() == Object[].class
                && m.getParameterCount() == 1
                && m.getParameterTypes()[0] == HashMap.class;
    }

    private static Object instantiate(String spec, Class<?> type) throws JwsgiLoadException {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new JwsgiLoadException("jwsgi '" + spec + "': the method is not static, and class "
                    + type.getName() + " has no no-arg constructor to create an instance with", e);
        } catch (InvocationTargetException e) {
            throw new JwsgiLoadException("jwsgi '" + spec + "': the constructor of " + type.getName()
                    + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new JwsgiLoadException("jwsgi '" + spec + "': cannot instantiate " + type.getName() + ": " + e, e);
        }
    }

    /** Returns the spec as configured, e.g. {@code com/example/App:application}. */
    public String spec() {
        return spec;
    }

    /** Returns true if the entry point is a static method (no instance was created). */
    public boolean isStatic() {
        return instance == null;
    }

    /**
     * Calls the app for one request.
     *
     * @param env the request environment
     * @return what the app returned (an {@code Object[]} or null), not yet validated
     * @throws Throwable whatever the app threw, unwrapped
     */
    public Object call(HashMap<String, Object> env) throws Throwable {
        try {
            return method.invoke(instance, env);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
