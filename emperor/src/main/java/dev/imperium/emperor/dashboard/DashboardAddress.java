package dev.imperium.emperor.dashboard;

import dev.imperium.vassal.SocketSpec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the fleet page listens ({@code --emperor-dashboard}), and which {@code Host} headers it answers.
 *
 * <p>The address is written as uWSGI writes its TCP addresses ({@code stats}, {@code http-socket}):
 * {@code 127.0.0.1:9192}, {@code localhost:9192}, {@code [::1]:9192}, or {@code :9192} for every IPv4 interface.
 * Port 0 takes any free port (the emperor logs which).
 *
 * <p>On a loopback address the page answers only requests whose {@code Host} is a loopback address or
 * {@code localhost}: a web site the operator visits cannot read the fleet through a DNS name it points at
 * 127.0.0.1 (DNS rebinding). On any other address every {@code Host} is answered.
 */
public final class DashboardAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private DashboardAddress() {
    }

    /**
     * Parses {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT} (every IPv4 interface), with the vassals' socket
     * address syntax ({@link SocketSpec}).
     *
     * @param value the option's value
     * @return the address to bind, resolved
     * @throws IllegalArgumentException naming the option if the value is malformed, is not a TCP address, or its
     *     host does not resolve
     */
    public static InetSocketAddress parse(String value) {
        SocketSpec spec;
        try {
            spec = SocketSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--emperor-dashboard: " + e.getMessage(), e);
        }
        if (spec.isUnix() || spec.isShared()) {
            throw new IllegalArgumentException("--emperor-dashboard needs a TCP address HOST:PORT, not '" + value
                    + "' (browsers speak HTTP over TCP)");
        }
        String host = spec.host().isEmpty() ? "0.0.0.0" : spec.host();
        InetSocketAddress address = new InetSocketAddress(host, spec.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("--emperor-dashboard: cannot resolve host '" + host + "'");
        }
        return address;
    }

    /**
     * Tells whether a request with this {@code Host} header may be answered by a page bound to {@code bound}.
     *
     * @param bound the address the page listens on
     * @param hostHeader the request's {@code Host} header, or null if it had none
     * @return true unless the page listens on a loopback address and the header names something else than a
     *     loopback address or {@code localhost}
     */
    public static boolean allowsHost(InetAddress bound, String hostHeader) {
        if (!bound.isLoopbackAddress() || hostHeader == null) {
            return true;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            return host.substring(1, close).equals("::1");
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        return IPV4.matcher(host).matches() && host.startsWith("127.");
    }
}
