package dev.imperium.jwsgi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Duck typing as uWSGI's JVM plugin does it through JNI: "anything with {@code entrySet()}" and "anything with
 * {@code iterator()}", not only {@link Map} and {@link Iterable}.
 */
final class Reflect {
    private Reflect() {
    }

    /** Returns {@code o.entrySet()} if {@code o} has that method returning a {@link Set}, else null. */
    static Set<?> entrySet(Object o) throws InvocationTargetException {
        if (o instanceof Map<?, ?> map) {
            return map.entrySet();
        }
        return (Set<?>) callNoArg(o, "entrySet", Set.class);
    }

    /** Returns {@code o.iterator()} if {@code o} has that method returning an {@link Iterator}, else null. */
    static Iterator<?> iterator(Object o) throws InvocationTargetException {
        if (o instanceof Iterable<?> iterable) {
            return iterable.iterator();
        }
        return (Iterator<?>) callNoArg(o, "iterator", Iterator.class);
    }

    private static Object callNoArg(Object o, String name, Class<?> returning) throws InvocationTargetException {
        Method method;
        try {
            method = o.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (!returning.isAssignableFrom(method.getReturnType()) || !method.trySetAccessible()) {
            return null;
        }
        try {
            return method.invoke(o);
        } catch (IllegalAccessException e) {
            return null;
        }
    }
}
