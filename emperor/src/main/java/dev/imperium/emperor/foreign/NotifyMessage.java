package dev.imperium.emperor.foreign;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code sd_notify(3)} datagram: newline-separated {@code KEY=VALUE} assignments such as {@code READY=1},
 * {@code STATUS=...}, {@code STOPPING=1} (systemd's {@code sd_notify} protocol). Lines without {@code =} are ignored,
 * as systemd ignores them; a key given twice keeps its last value.
 *
 * @param fields the assignments, in order
 */
record NotifyMessage(Map<String, String> fields) {
    /** Copies the map. */
    NotifyMessage {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Parses a datagram's text. */
    static NotifyMessage parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new NotifyMessage(fields);
    }

    /** Returns whether it says {@code READY=1}: the program serves. */
    boolean ready() {
        return "1".equals(fields.get("READY"));
    }

    /** Returns whether it says {@code STOPPING=1}. */
    boolean stopping() {
        return "1".equals(fields.get("STOPPING"));
    }

    /** Returns its {@code STATUS=} text, or null. */
    String status() {
        return fields.get("STATUS");
    }
}
