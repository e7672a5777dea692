package dev.imperium.router;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A node the {@code http} router forwards to over the uwsgi protocol, written as uWSGI's {@code http-to} takes it:
 * {@code host:port} or a UNIX socket path.
 *
 * @param spec the address as written
 * @param address the resolved address
 */
public record Upstream(String spec, SocketAddress address) {

    /**
     * Parses a node address.
     *
     * @throws IllegalArgumentException if the port is not a number in 1..65535
     */
    public static Upstream parse(String spec) {
        String s = spec.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.startsWith("/") || s.startsWith(".")) {
            return new Upstream(s, UnixDomainSocketAddress.of(Path.of(s)));
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in http-to '" + s + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in http-to '" + s + "'");
        }
        return new Upstream(s, InetSocketAddress.createUnresolved(host.isEmpty() ? "127.0.0.1" : host, port));
    }

    /**
     * Opens a blocking connection to the node.
     *
     * @throws IOException if the connection is refused or the name does not resolve
     */
    public SocketChannel connect() throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(unix);
                return channel;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        InetSocketAddress resolved = inet.isUnresolved()
                ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : inet;
        if (resolved.isUnresolved()) {
            throw new IOException("cannot resolve " + inet.getHostString());
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.connect(resolved);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
