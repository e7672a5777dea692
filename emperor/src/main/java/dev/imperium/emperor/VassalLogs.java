package dev.imperium.emperor;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Every vassal's {@link VassalLogBuffer}, by vassal name: what {@code imperium logs NAME} shows. The launcher's pumps
 * add each line a vassal writes; a vassal's buffer lives as long as the emperor knows the vassal (removing its file
 * drops it; {@code imperium stop} keeps it). Thread-safe.
 */
final class VassalLogs {
    private final ConcurrentHashMap<String, VassalLogBuffer> buffers = new ConcurrentHashMap<>();

    /**
     * Adds one line of a vassal's output.
     *
     * @param vassal the vassal file name
     * @param stderr whether it came on standard error
     * @param line the bytes, without terminator
     */
    void line(String vassal, boolean stderr, byte[] line) {
        buffer(vassal).append(stderr, line);
    }

    /** Returns the vassal's buffer, created empty if there is none. */
    VassalLogBuffer buffer(String vassal) {
        return buffers.computeIfAbsent(vassal, n -> new VassalLogBuffer());
    }

    /** Returns the vassal's buffer, or null if nothing was kept for it. */
    VassalLogBuffer find(String vassal) {
        return buffers.get(vassal);
    }

    /**
     * Returns a vassal's last output lines as text (UTF-8), oldest first: what the fleet page shows with a vassal's
     * last error.
     *
     * @param vassal the vassal file name
     * @param count how many lines at most
     * @return the lines, empty when none are kept
     */
    java.util.List<String> recent(String vassal, int count) {
        VassalLogBuffer b = buffers.get(vassal);
        return b == null ? java.util.List.of() : b.tail(count).lines().stream()
                .map(l -> new String(l.bytes(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    /** Drops a vassal's buffer (its file is gone); followers are woken and move to a new one. */
    void remove(String vassal) {
        VassalLogBuffer b = buffers.remove(vassal);
        if (b != null) {
            b.retire();
        }
    }
}
