package dev.imperium.jwsgi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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
        Method method = accessibleMethod(o.getClass(), name);
        if (method == null || !returning.isAssignableFrom(method.getReturnType())) {
            return null;
        }
        try {
            return method.invoke(o);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /**
     * Finds a public no-arg method callable from here: declared by a public, exported type among the class and its
     * supertypes (a JDK stream's {@code iterator()} is reached through {@code BaseStream}), else made accessible
     * (app classes in the unnamed module).
     */
    private static Method accessibleMethod(Class<?> type, String name) {
        Deque<Class<?>> toVisit = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!toVisit.isEmpty()) {
            Class<?> t = toVisit.removeFirst();
            if (!seen.add(t)) {
                continue;
            }
            if (Modifier.isPublic(t.getModifiers()) && t.getModule().isExported(t.getPackageName())) {
                try {
                    return t.getMethod(name);
                } catch (NoSuchMethodException e) {
                    continue;
                }
            }
            if (t.getSuperclass() != null) {
                toVisit.add(t.getSuperclass());
            }
            toVisit.addAll(List.of(t.getInterfaces()));
        }
        try {
            Method method = type.getMethod(name);
            return method.trySetAccessible() ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
