package dev.imperium.vassal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * A socket as written in a vassal file ({@code http-socket = ...}, {@code socket = ...}), in uWSGI's forms
 * (uwsgi-docs "Options", {@code core/socket.c}): {@code host:port}, {@code :port} (every IPv4 interface),
 * {@code [ipv6]:port}, or a UNIX socket path (anything without a colon).
 *
 * @param spec the text as written
 * @param host the host part for TCP (empty for {@code :port}), null for UNIX
 * @param port the TCP port, or -1 for UNIX
 * @param path the UNIX socket path (resolved against the vassal's directory later), or null for TCP
 * @param protocol what the socket speaks, by the option that declared it
 */
public record SocketSpec(String spec, String host, int port, String path, SocketProtocol protocol) {

    /**
     * Parses a socket address for {@code protocol}.
     *
     * @throws IllegalArgumentException as {@link #parse(String)}
     */
    public static SocketSpec parse(String spec, SocketProtocol protocol) {
        SocketSpec s = parse(spec);
        return new SocketSpec(s.spec, s.host, s.port, s.path, protocol);
    }

    /**
     * Parses a socket address of an {@code http-socket}.
     *
     * @throws IllegalArgumentException with a message naming the value if it is malformed or uses a form Imperium
     *     does not support yet ({@code @abstract}, {@code =N} shared sockets, {@code fd://})
     */
    public static SocketSpec parse(String spec) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty socket address");
        }
        if (s.startsWith("@") || s.startsWith("\0")) {
            throw new IllegalArgumentException("abstract UNIX sockets ('" + s + "') are not supported yet");
        }
        if (s.startsWith("=") || s.startsWith("fd://")) {
            throw new IllegalArgumentException("shared and fd:// sockets ('" + s + "') are not supported yet");
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return new SocketSpec(spec, null, -1, s, SocketProtocol.HTTP);
        }
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + portText + "' in socket address '" + s + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in socket address '" + s + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("IPv6 address must be in brackets: '" + s + "'");
        }
        return new SocketSpec(spec, host, port, null, SocketProtocol.HTTP);
    }

    /** Returns true for a UNIX socket path. */
    public boolean isUnix() {
        return path != null;
    }

    /**
     * Resolves the host of a TCP address; an empty host means every IPv4 interface (0.0.0.0), as in uWSGI.
     *
     * @throws UnknownHostException if the name does not resolve
     */
    public InetAddress resolveHost() throws UnknownHostException {
        return host == null || host.isEmpty() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(host);
    }

    /** Returns the UNIX socket path resolved against {@code base} (the vassal's chdir or working directory). */
    public Path unixPath(Path base) {
        return base.resolve(path).normalize();
    }
}
