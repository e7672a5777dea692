package dev.imperium.vassal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * A socket as written in a vassal file ({@code http-socket = ...}, {@code socket = ...}), in uWSGI's forms
 * (uwsgi-docs "Options", {@code core/socket.c}): {@code host:port}, {@code :port} (every IPv4 interface),
 * {@code [ipv6]:port}, a UNIX socket path (anything without a colon), an abstract UNIX socket ({@code @name} or
 * {@code \0name}, Linux only), or {@code =N}: the address of the vassal's {@code shared-socket} number N.
 *
 * @param spec the text as written
 * @param host the host part for TCP (empty for {@code :port}), null for UNIX
 * @param port the TCP port, or -1 for UNIX
 * @param path the UNIX socket path (resolved against the vassal's directory later), or null for TCP
 * @param protocol what the socket speaks, by the option that declared it
 * @param sharedIndex the {@code shared-socket} this socket is mapped to ({@code =N}), or -1
 */
public record SocketSpec(String spec, String host, int port, String path, SocketProtocol protocol,
        int sharedIndex) {

    /** A socket of its own (not mapped to a shared socket). */
    public SocketSpec(String spec, String host, int port, String path, SocketProtocol protocol) {
        this(spec, host, port, path, protocol, -1);
    }

    /**
     * Parses a socket address for {@code protocol}.
     *
     * @throws IllegalArgumentException as {@link #parse(String)}
     */
    public static SocketSpec parse(String spec, SocketProtocol protocol) {
        SocketSpec s = parse(spec);
        return new SocketSpec(s.spec, s.host, s.port, s.path, protocol, s.sharedIndex);
    }

    /**
     * Parses a socket address of an {@code http-socket}.
     *
     * @throws IllegalArgumentException with a message naming the value if it is malformed or uses a form Imperium
     *     does not support ({@code fd://})
     */
    public static SocketSpec parse(String spec) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty socket address");
        }
        if (s.startsWith("=")) {
            int index;
            try {
                index = Integer.parseInt(s.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid shared socket number in '" + s + "'");
            }
            if (index < 0) {
                throw new IllegalArgumentException("invalid shared socket number in '" + s + "'");
            }
            return new SocketSpec(spec, null, -1, null, SocketProtocol.HTTP, index);
        }
        if (s.startsWith("fd://")) {
            throw new IllegalArgumentException("fd:// sockets ('" + s + "') are not supported");
        }
        if (s.startsWith("@") || s.startsWith("\\0")) {
            if (abstractName(s).isEmpty() || abstractName(s).getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    > 106) {
                throw new IllegalArgumentException("invalid abstract socket name '" + s + "'");
            }
            return new SocketSpec(spec, null, -1, s, SocketProtocol.HTTP);
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

    /** Returns true for a UNIX socket, a path or an abstract name. */
    public boolean isUnix() {
        return path != null;
    }

    /** Returns true for a socket written {@code =N}, the address of {@code shared-socket} number N. */
    public boolean isShared() {
        return sharedIndex >= 0 && host == null && path == null;
    }

    /** Returns true for a UNIX socket in Linux's abstract namespace, written {@code @name} or {@code \0name}. */
    public boolean isAbstract() {
        return path != null && (path.startsWith("@") || path.startsWith("\\0"));
    }

    /**
     * Returns this socket's name in the abstract namespace: {@code name} for {@code @name} and {@code \0name};
     * with {@code abstract-socket} set, a UNIX path is used as the name as written.
     */
    public String abstractName() {
        return abstractName(path);
    }

    private static String abstractName(String path) {
        if (path.startsWith("@")) {
            return path.substring(1);
        }
        return path.startsWith("\\0") ? path.substring(2) : path;
    }

    /**
     * Returns the socket {@code =N} stands for: the shared socket's address, speaking this socket's protocol, and
     * remembering N.
     */
    public SocketSpec mappedTo(SocketSpec shared) {
        return new SocketSpec(shared.spec, shared.host, shared.port, shared.path, protocol, sharedIndex);
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
