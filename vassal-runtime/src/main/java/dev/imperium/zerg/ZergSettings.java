package dev.imperium.zerg;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;

import java.util.List;

/**
 * A vassal's broodlord and zerg options (uwsgi-docs "Broodlord" and "Zerg"; uWSGI 2.0 {@code core/master.c},
 * {@code core/socket.c}, {@code core/setup_utils.c}).
 *
 * @param sosSeconds {@code vassal-sos}: ask the emperor for a zerg when every worker is busy, at most once every N
 *     seconds (0: off)
 * @param sosBacklog {@code vassal-sos-backlog}: ask when the TCP listen queues hold N connections or more, at every
 *     master cycle (0: off)
 * @param zergServer {@code zerg-server}: the UNIX socket (a path, or {@code @name}) on which the master hands its
 *     listening sockets to zergs, or null
 * @param zergNodes {@code zerg}: the zerg servers to take sockets from, in order (empty: bind as usual)
 * @param zergFallback {@code zerg-fallback}: start with the vassal's own sockets if a zerg server cannot be reached
 */
public record ZergSettings(int sosSeconds, int sosBacklog, String zergServer, List<String> zergNodes,
                           boolean zergFallback) {
    /** No broodlord or zerg option. */
    public static final ZergSettings NONE = new ZergSettings(0, 0, null, List.of(), false);

    /** Copies the list. */
    public ZergSettings {
        zergNodes = List.copyOf(zergNodes);
    }

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the entry when a number is negative or an address is empty
     */
    public static ZergSettings from(VassalConfig config) {
        int sos = notNegative(config, "vassal-sos");
        int backlog = notNegative(config, "vassal-sos-backlog");
        String server = config.value("zerg-server").map(String::trim).orElse(null);
        if (server != null && server.isEmpty()) {
            throw new IllegalArgumentException(config.entries("zerg-server").getLast().origin()
                    + ": zerg-server: empty socket address");
        }
        for (ConfigEntry e : config.entries("zerg")) {
            if (e.value().trim().isEmpty()) {
                throw new IllegalArgumentException(e.origin() + ": zerg: empty socket address");
            }
        }
        List<String> nodes = config.values("zerg").stream().map(String::trim).toList();
        return new ZergSettings(sos, backlog, server, nodes, config.flag("zerg-fallback"));
    }

    /** Returns whether this vassal takes its sockets from zerg servers. */
    public boolean isZerg() {
        return !zergNodes.isEmpty();
    }

    private static int notNegative(VassalConfig config, String name) {
        int v = config.intValue(name, 0);
        if (v < 0) {
            throw new IllegalArgumentException(config.entries(name).getLast().origin() + ": " + name
                    + ": must not be negative, got " + v);
        }
        return v;
    }
}
