package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code http} router's options (uWSGI's HTTP router plugin, {@code plugins/http/http.c}; uwsgi-docs "HTTP"):
 * the public address it owns, the nodes it forwards to, and how it treats clients.
 *
 * @param addresses the public HTTP addresses ({@code http}, repeatable), in the file's order
 * @param nodes the nodes given with {@code http-to}; empty to forward to the vassal's own first uwsgi socket
 * @param processes how many router processes share the public socket ({@code http-processes}/{@code http-workers},
 *     default 1)
 * @param keepAlive keep client connections open between requests ({@code http-keepalive}; off by default, as in
 *     uWSGI)
 * @param timeoutSeconds how long the router waits on a client or a node ({@code http-timeout}, default 60)
 * @param modifier1 the uwsgi packet's modifier1 ({@code http-modifier1}, default 0)
 * @param modifier2 the uwsgi packet's modifier2 ({@code http-modifier2}, default 0)
 * @param headersTimeoutSeconds how long a client may take to send a whole request head
 *     ({@code http-headers-timeout}, default {@code http-timeout}; issue 8: slow clients)
 * @param maxConnections the most client connections each router process holds at once
 *     ({@code imperium-max-connections}, default 1000; issue 8: slow clients)
 */
public record RouterSettings(List<SocketSpec> addresses, List<String> nodes, int processes, boolean keepAlive,
        int timeoutSeconds, int modifier1, int modifier2, int headersTimeoutSeconds, int maxConnections) {

    /**
     * Reads the router's options, or returns null when {@code http} is not set.
     *
     * @throws IllegalArgumentException naming the option and where it was set when a value is invalid
     */
    public static RouterSettings from(VassalConfig config) {
        List<ConfigEntry> http = config.entries("http");
        if (http.isEmpty()) {
            return null;
        }
        List<SocketSpec> shared = VassalSettings.sharedSockets(config);
        List<SocketSpec> addresses = new ArrayList<>();
        for (ConfigEntry e : http) {
            try {
                addresses.add(VassalSettings.resolveShared(SocketSpec.parse(e.value(), SocketProtocol.HTTP), shared));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.origin() + ": http: " + ex.getMessage(), ex);
            }
        }
        List<String> nodes = new ArrayList<>();
        for (ConfigEntry e : config.entries("http-to")) {
            String node = e.value().trim();
            if (node.startsWith("@") || node.startsWith("\\0")) {
                throw new IllegalArgumentException(e.origin() + ": http-to: the router cannot forward to an abstract"
                        + " UNIX socket ('" + node + "'); use a socket path or host:port");
            }
            nodes.add(node);
        }
        int processes = config.intValue("http-processes", 1);
        if (processes < 1) {
            throw new IllegalArgumentException("option 'http-processes' must be at least 1, got " + processes);
        }
        int timeout = config.intValue("http-timeout", 60);
        if (timeout < 1) {
            throw new IllegalArgumentException("option 'http-timeout' must be at least 1, got " + timeout);
        }
        // Issue 8: slow clients.
        int headersTimeout = config.intValue("http-headers-timeout", timeout);
        if (headersTimeout < 1) {
            throw new IllegalArgumentException("option 'http-headers-timeout' must be at least 1, got "
                    + headersTimeout);
        }
        int maxConnections = config.intValue("imperium-max-connections", VassalSettings.DEFAULT_MAX_CONNECTIONS);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("option 'imperium-max-connections' must be at least 1, got "
                    + maxConnections);
        }
        return new RouterSettings(List.copyOf(addresses), List.copyOf(nodes), processes, keepAlive(config), timeout,
                config.intValue("http-modifier1", 0), config.intValue("http-modifier2", 0), headersTimeout,
                maxConnections);
    }

    /** {@code http-keepalive} set without a value, to a positive number, or to true/yes/on enables keep-alive. */
    private static boolean keepAlive(VassalConfig config) {
        if (!config.isSet("http-keepalive")) {
            return false;
        }
        String value = config.values("http-keepalive").getLast().trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("true") || value.equals("yes") || value.equals("on")) {
            return true;
        }
        try {
            return Integer.parseInt(value) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Returns the router's command-line options for {@code RouterMain}.
     *
     * @param nodes the nodes to forward to (the configured ones, or the vassal's own socket)
     * @param bufferSize the vassal's {@code buffer-size}
     * @param limitPost the vassal's {@code limit-post}
     */
    public List<String> arguments(List<String> nodes, int bufferSize, long limitPost) {
        List<String> args = new ArrayList<>(List.of("--sockets", Integer.toString(addresses.size())));
        for (String node : nodes) {
            args.add("--to");
            args.add(node);
        }
        args.addAll(List.of("--keepalive", keepAlive ? Integer.toString(timeoutSeconds) : "0",
                "--timeout", Integer.toString(timeoutSeconds),
                "--modifier1", Integer.toString(modifier1), "--modifier2", Integer.toString(modifier2),
                "--buffer-size", Integer.toString(bufferSize), "--limit-post", Long.toString(limitPost),
                "--headers-timeout", Integer.toString(headersTimeoutSeconds),
                "--max-connections", Integer.toString(maxConnections)));
        return args;
    }
}
