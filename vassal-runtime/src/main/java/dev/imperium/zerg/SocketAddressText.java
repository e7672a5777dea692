package dev.imperium.zerg;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a raw {@code sockaddr} (as {@code getsockname(2)} fills it) the way a vassal file writes a socket:
 * {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code /run/app.sock} or {@code @name}. Pure.
 */
final class SocketAddressText {
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private SocketAddressText() {
    }

    /** The address family word uWSGI's "attached to ... address" line uses: {@code UNIX}, {@code INET}, {@code INET6}. */
    static String family(byte[] sockaddr) {
        return switch (familyOf(sockaddr)) {
            case AF_UNIX -> "UNIX";
            case AF_INET -> "INET";
            case AF_INET6 -> "INET6";
            default -> "unknown";
        };
    }

    /**
     * Returns the address as a socket option's value.
     *
     * @throws IllegalArgumentException for another family, or an unnamed UNIX socket
     */
    static String of(byte[] sockaddr) {
        int family = familyOf(sockaddr);
        try {
            if (family == AF_INET && sockaddr.length >= 8) {
                return InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8)).getHostAddress() + ":"
                        + port(sockaddr);
            }
            if (family == AF_INET6 && sockaddr.length >= 24) {
                String host = InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 8, 24)).getHostAddress();
                int percent = host.indexOf('%');
                return "[" + (percent < 0 ? host : host.substring(0, percent)) + "]:" + port(sockaddr);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException(impossible);
        }
        if (family == AF_UNIX && sockaddr.length > 2) {
            if (sockaddr[2] == 0) {
                return "@" + new String(sockaddr, 3, sockaddr.length - 3, StandardCharsets.UTF_8);
            }
            int end = 2;
            while (end < sockaddr.length && sockaddr[end] != 0) {
                end++;
            }
            return new String(sockaddr, 2, end - 2, StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("not a TCP or named UNIX socket (family " + family + ")");
    }

    private static int familyOf(byte[] sockaddr) {
        return sockaddr.length < 2 ? -1 : (sockaddr[0] & 0xFF) | (sockaddr[1] & 0xFF) << 8;
    }

    private static int port(byte[] sockaddr) {
        return (sockaddr[2] & 0xFF) << 8 | (sockaddr[3] & 0xFF);
    }
}
