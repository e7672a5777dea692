package dev.imperium.vassal;

import dev.imperium.os.Descriptors;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A listening socket the vassal master inherited as its fd 0, as uWSGI's master checks for one at start
 * ({@code core/socket.c}: "uwsgi socket N inherited INET address ... fd 0"): the emperor hands an on-demand vassal
 * the socket it woke up on this way (issue 7: on-demand vassals), and so do systemd ({@code StandardInput=socket})
 * and inetd-style supervisors.
 *
 * <p>The master uses it in place of binding the vassal file's socket of the same address, or, when no socket of the
 * file has that address, as an extra first socket speaking the uwsgi protocol (uWSGI's default). It never closes the
 * socket nor removes its file ({@code vacuum}): the socket belongs to whoever handed it over.
 */
final class StdinSocket {
    private StdinSocket() {
    }

    /**
     * Takes over fd 0 if it is a listening socket: the socket moves to a new descriptor (fd 0 becomes
     * {@code /dev/null}, which the worker launcher relies on) and is returned as a uwsgi socket; logs uWSGI's line.
     *
     * @return the socket, or null when fd 0 is no listening socket
     */
    static ListenSocket adopt() {
        if (!Descriptors.isListeningSocket(0)) {
            return null;
        }
        byte[] sockaddr;
        try {
            sockaddr = SocketFds.localAddressBytes(0);
        } catch (SocketFds.SocketError e) {
            return null;
        }
        String address = addressText(sockaddr);
        if (address == null) {
            return null;
        }
        int fd = Descriptors.dupCloexec(0, 3);
        if (fd < 0) {
            throw new IllegalStateException("cannot duplicate the socket inherited as fd 0 (errno " + -fd + ")");
        }
        int devNull = Posix.openReadOnly("/dev/null");
        if (devNull >= 0) {
            Posix.dup2(devNull, 0);
            Posix.close(devNull);
        }
        boolean unixFamily = ((sockaddr[0] & 0xFF) | (sockaddr[1] & 0xFF) << 8) == SocketFds.FAMILY_UNIX;
        boolean unix = unixFamily && !address.startsWith("@");
        SocketSpec spec = SocketSpec.parse(address, SocketProtocol.UWSGI);
        Log.line("uwsgi socket 0 inherited " + (unixFamily ? "UNIX" : "INET") + " address " + address + " fd 0");
        return new ListenSocket(spec, fd, address, unix ? Path.of(address) : null);
    }

    /**
     * Writes a {@code getsockname(2)} address as a socket option value: {@code 127.0.0.1:8000}, {@code [::1]:8000},
     * {@code /run/app.sock} or {@code @name} (abstract).
     *
     * @param sockaddr the raw address, family first (little-endian, as Linux stores it)
     * @return the text, or null for another family or an unnamed socket
     */
    static String addressText(byte[] sockaddr) {
        if (sockaddr.length < 2) {
            return null;
        }
        int family = (sockaddr[0] & 0xFF) | (sockaddr[1] & 0xFF) << 8;
        try {
            if (family == SocketFds.FAMILY_INET && sockaddr.length >= 8) {
                int port = (sockaddr[2] & 0xFF) << 8 | (sockaddr[3] & 0xFF);
                return InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8)).getHostAddress() + ":" + port;
            }
            if (family == SocketFds.FAMILY_INET6 && sockaddr.length >= 24) {
                int port = (sockaddr[2] & 0xFF) << 8 | (sockaddr[3] & 0xFF);
                String host = InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 8, 24)).getHostAddress();
                return "[" + host.replaceAll("%.*$", "") + "]:" + port;
            }
        } catch (UnknownHostException e) {
            return null;
        }
        if (family == SocketFds.FAMILY_UNIX && sockaddr.length > 2) {
            if (sockaddr[2] == 0) {
                return sockaddr.length > 3
                        ? "@" + new String(sockaddr, 3, sockaddr.length - 3, StandardCharsets.UTF_8) : null;
            }
            int end = 2;
            while (end < sockaddr.length && sockaddr[end] != 0) {
                end++;
            }
            return new String(sockaddr, 2, end - 2, StandardCharsets.UTF_8);
        }
        return null;
    }
}
