package dev.imperium.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An ordered list of HTTP fields (RFC 9110 §5): names compare case-insensitively, order and repeats are kept.
 *
 * <p>Not thread-safe. Names are stored as given; lookups ignore ASCII case.
 */
public final class HttpFields {
    private String[] names;
    private String[] values;
    private int size;

    /** Creates an empty list with room for 8 fields. */
    public HttpFields() {
        this(8);
    }

    /** Creates an empty list with room for {@code capacity} fields before it grows. */
    public HttpFields(int capacity) {
        names = new String[Math.max(capacity, 1)];
        values = new String[names.length];
    }

    /** Appends a field, keeping any earlier field of the same name. Returns this list. */
    public HttpFields add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Replaces every field named {@code name} with one field. Returns this list. */
    public HttpFields set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field named {@code name}; returns how many were removed. */
    public int remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        int removed = size - kept;
        for (int i = kept; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = kept;
        return removed;
    }

    /** Returns the value of the first field named {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Returns the values of every field named {@code name}, in order. */
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                all.add(values[i]);
            }
        }
        return all;
    }

    /** Returns true if a field named {@code name} is present. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** Returns the number of fields. */
    public int size() {
        return size;
    }

    /** Returns the name of field {@code i} (0-based), as it was given. */
    public String name(int i) {
        return names[checkIndex(i)];
    }

    /** Returns the value of field {@code i} (0-based). */
    public String value(int i) {
        return values[checkIndex(i)];
    }

    /** Calls {@code action} with each field's name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** Removes every field. */
    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(names[i]).append(": ").append(values[i]).append("\r\n");
        }
        return sb.toString();
    }
}
