package dev.imperium.uwsgi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vars of one uwsgi request block, in the order they came: CGI-style names ({@code REQUEST_METHOD},
 * {@code PATH_INFO}, {@code HTTP_HOST}, ...) and their values. Names and values are decoded as ISO-8859-1, so every
 * byte maps to one char and nothing is lost (a UTF-8 path stays as its bytes). Immutable.
 */
public final class UwsgiVars {
    private final String[] names;
    private final String[] values;
    private final int size;

    UwsgiVars(String[] names, String[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    /**
     * Returns the vars made of the first {@code count} names and values, for parsers of other protocols (FastCGI
     * params, SCGI headers) that yield the same CGI-style vars. The arrays are copied, so the caller may reuse them.
     * Names and values should hold bytes decoded as ISO-8859-1, as {@link UwsgiVarsParser} does.
     *
     * @param names the names, in arrival order; each non-empty
     * @param values the values, in the same order; each non-null (may be empty)
     * @param count how many leading entries of both arrays to take
     * @return the vars
     * @throws IllegalArgumentException if {@code count} is negative or larger than an array, or a name is null or
     *     empty, or a value is null
     */
    public static UwsgiVars of(String[] names, String[] values, int count) {
        if (count < 0 || count > names.length || count > values.length) {
            throw new IllegalArgumentException("bad var count " + count + " for " + names.length + " names and "
                    + values.length + " values");
        }
        String[] n = Arrays.copyOf(names, count);
        String[] v = Arrays.copyOf(values, count);
        for (int i = 0; i < count; i++) {
            if (n[i] == null || n[i].isEmpty() || v[i] == null) {
                throw new IllegalArgumentException("var " + i + " has a null or empty name or a null value");
            }
        }
        return new UwsgiVars(n, v, count);
    }

    /**
     * Decodes {@code length} bytes of {@code b} from index {@code at} as ISO-8859-1 (one char per byte, nothing
     * lost), as every vars parser reads names and values; does not move the buffer's position.
     */
    public static String text(java.nio.ByteBuffer b, int at, int length) {
        if (length == 0) {
            return "";
        }
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + at, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        byte[] bytes = new byte[length];
        b.get(at, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Returns the number of vars. */
    public int size() {
        return size;
    }

    /** Returns the name of var {@code i} (0-based, in arrival order). */
    public String name(int i) {
        return names[java.util.Objects.checkIndex(i, size)];
    }

    /** Returns the value of var {@code i} (0-based, in arrival order). */
    public String value(int i) {
        return values[java.util.Objects.checkIndex(i, size)];
    }

    /**
     * Returns the value of a var, or null if there is none. When a name comes more than once the last one counts, as
     * in the environ uWSGI builds for an app.
     *
     * @param name the exact name, e.g. {@code "REQUEST_METHOD"}
     */
    public String get(String name) {
        for (int i = size - 1; i >= 0; i--) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /**
     * Returns these vars with {@code name} set to {@code value}: every var of that name takes the value in its place,
     * or, when there is none, the var is appended (as uWSGI's {@code manage-script-name} adds {@code SCRIPT_NAME}).
     *
     * @param name a non-empty name
     * @param value the value, one char per byte
     */
    public UwsgiVars with(String name, String value) {
        String[] n = Arrays.copyOf(names, size + 1);
        String[] v = Arrays.copyOf(values, size + 1);
        boolean found = false;
        for (int i = 0; i < size; i++) {
            if (n[i].equals(name)) {
                v[i] = value;
                found = true;
            }
        }
        if (found) {
            return new UwsgiVars(n, v, size);
        }
        n[size] = name;
        v[size] = value;
        return of(n, v, size + 1);
    }

    /** Returns these vars without any var named {@code name}. */
    public UwsgiVars without(String name) {
        String[] n = new String[size];
        String[] v = new String[size];
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!names[i].equals(name)) {
                n[kept] = names[i];
                v[kept++] = values[i];
            }
        }
        return kept == size ? this : new UwsgiVars(n, v, kept);
    }

    /** Returns the vars as a map in arrival order (a repeated name keeps its last value). */
    public Map<String, String> toMap() {
        Map<String, String> map = LinkedHashMap.newLinkedHashMap(size);
        for (int i = 0; i < size; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("UwsgiVars[");
        for (int i = 0; i < size; i++) {
            b.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
        }
        return b.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UwsgiVars v && size == v.size
                && Arrays.equals(names, 0, size, v.names, 0, v.size)
                && Arrays.equals(values, 0, size, v.values, 0, v.size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + names[i].hashCode();
            h = 31 * h + values[i].hashCode();
        }
        return h;
    }
}
