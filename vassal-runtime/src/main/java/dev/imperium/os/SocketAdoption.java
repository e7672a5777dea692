package dev.imperium.os;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Makes a JDK {@link ServerSocketChannel} from a listening socket known only by its file descriptor number, such as
 * one received with {@link FdPassing}. The JDK can do this only for fd 0 ({@link System#inheritedChannel()}); for
 * the others, this opens a placeholder channel of the same family, bound to a throwaway address, finds its
 * descriptor (the {@code /proc/self/fd} entry whose {@code getsockname} is the placeholder's address) and replaces
 * that descriptor with the socket ({@code dup2(2)}, which closes the placeholder's own socket). The channel then
 * accepts on the adopted socket with the JDK's own machinery (blocking, selectors, virtual threads).
 *
 * <p>The channel's {@code getLocalAddress()} still names the placeholder's address; accepted channels report their
 * real addresses. Linux only ({@code /proc}).
 */
public final class SocketAdoption {
    private SocketAdoption() {
    }

    /**
     * Adopts a listening socket. On success {@code fd} is closed: the channel owns the socket.
     *
     * @param fd a listening AF_INET, AF_INET6 or AF_UNIX stream socket
     * @return a blocking channel accepting on that socket
     * @throws IOException if {@code fd} is no such socket, or the placeholder cannot be bound or found
     */
    public static ServerSocketChannel adopt(int fd) throws IOException {
        int family;
        try {
            family = SocketFds.family(fd);
        } catch (SocketFds.SocketError e) {
            throw new IOException("fd " + fd + " is not a socket: " + e.getMessage(), e);
        }
        ServerSocketChannel placeholder;
        Path unixPath = null;
        if (family == SocketFds.FAMILY_INET) {
            placeholder = ServerSocketChannel.open(StandardProtocolFamily.INET);
            placeholder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1);
        } else if (family == SocketFds.FAMILY_INET6) {
            placeholder = ServerSocketChannel.open(StandardProtocolFamily.INET6);
            placeholder.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0), 1);
        } else if (family == SocketFds.FAMILY_UNIX) {
            placeholder = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            placeholder.bind(null, 1);
            unixPath = ((UnixDomainSocketAddress) placeholder.getLocalAddress()).getPath();
        } else {
            throw new IOException("fd " + fd + " has address family " + family + ", not a TCP or UNIX socket");
        }
        try {
            int placeholderFd = find(placeholder, fd);
            if (Posix.dup2(fd, placeholderFd) < 0) {
                throw new IOException("dup2 onto the placeholder socket failed");
            }
            Posix.close(fd);
            return placeholder;
        } catch (IOException | RuntimeException e) {
            placeholder.close();
            throw e;
        } finally {
            if (unixPath != null) {
                Files.deleteIfExists(unixPath);
            }
        }
    }

    /** Finds the descriptor whose local address is the placeholder's. */
    private static int find(ServerSocketChannel placeholder, int exclude) throws IOException {
        Object address = placeholder.getLocalAddress();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : fds) {
                int n;
                try {
                    n = Integer.parseInt(entry.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (n == exclude || n <= 2) {
                    continue;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile, or the directory stream's own fd
                }
                if (!target.startsWith("socket:")) {
                    continue;
                }
                byte[] local;
                try {
                    local = SocketFds.localAddressBytes(n);
                } catch (SocketFds.SocketError e) {
                    continue;
                }
                if (matches(local, address)) {
                    return n;
                }
            }
        }
        throw new IOException("the placeholder socket " + address + " is not among this process's descriptors");
    }

    /** True if raw {@code sockaddr} bytes name {@code address} (family, port and IP, or UNIX path). */
    static boolean matches(byte[] sockaddr, Object address) {
        if (sockaddr.length < 2) {
            return false;
        }
        int family = (sockaddr[0] & 0xFF) | (sockaddr[1] & 0xFF) << 8;
        if (address instanceof InetSocketAddress inet) {
            int port = sockaddr.length >= 4 ? (sockaddr[2] & 0xFF) << 8 | (sockaddr[3] & 0xFF) : -1;
            byte[] ip = inet.getAddress().getAddress();
            if (family == SocketFds.FAMILY_INET && ip.length == 4 && sockaddr.length >= 8) {
                return port == inet.getPort() && Arrays.equals(sockaddr, 4, 8, ip, 0, 4);
            }
            if (family == SocketFds.FAMILY_INET6 && ip.length == 16 && sockaddr.length >= 24) {
                return port == inet.getPort() && Arrays.equals(sockaddr, 8, 24, ip, 0, 16);
            }
            return false;
        }
        if (address instanceof UnixDomainSocketAddress unix && family == SocketFds.FAMILY_UNIX) {
            byte[] path = unix.getPath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int end = 2;
            while (end < sockaddr.length && sockaddr[end] != 0) {
                end++;
            }
            return Arrays.equals(sockaddr, 2, end, path, 0, path.length);
        }
        return false;
    }
}
