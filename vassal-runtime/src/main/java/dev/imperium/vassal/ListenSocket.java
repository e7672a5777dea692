package dev.imperium.vassal;

import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listening socket the master bound for its workers: the raw fd, and how to name it in logs.
 *
 * <p>Owned by the master; workers get it as their fd 0. Closing the master's fd does not close the socket while a
 * worker still holds its copy.
 *
 * @param spec the address as written in the vassal file
 * @param fd the master's file descriptor
 * @param address the bound address for logs, e.g. {@code 127.0.0.1:8090} or the socket path
 * @param unixPath the socket file for a UNIX socket (removed by {@code vacuum}), or null (TCP, abstract)
 */
public record ListenSocket(SocketSpec spec, int fd, String address, Path unixPath) {
    /** Linux's errno for an address another socket holds. */
    private static final int EADDRINUSE = 98;

    /**
     * Binds and listens, as uWSGI's master does before it forks workers, with no UNIX socket options.
     *
     * @see #bind(SocketSpec, Path, int, UnixSocketOptions)
     */
    public static ListenSocket bind(SocketSpec spec, Path baseDir, int backlog) throws IOException {
        return bind(spec, baseDir, backlog, UnixSocketOptions.NONE);
    }

    /**
     * Binds and listens, as uWSGI's master does before it forks workers. A UNIX socket file replaces any file of
     * that name and then gets {@code chmod-socket}'s mode and {@code chown-socket}'s owner; an abstract socket
     * ({@code @name}, or any UNIX socket under {@code abstract-socket}) has no file, so neither applies.
     *
     * @param spec the address
     * @param baseDir the directory relative UNIX paths resolve against
     * @param backlog the {@code listen} queue length
     * @param unix the UNIX socket options
     * @return the bound socket
     * @throws IOException naming the address and the libc error when the bind fails (e.g. address in use), or the
     *     socket file's mode or owner cannot be set
     */
    public static ListenSocket bind(SocketSpec spec, Path baseDir, int backlog, UnixSocketOptions unix)
            throws IOException {
        checkBacklog(backlog, SOMAXCONN);
        try {
            if (spec.isUnix() && (spec.isAbstract() || unix.abstractAll())) {
                String name = spec.abstractName();
                Log.line("setting abstract socket mode (warning: only Linux supports this)");
                int fd = SocketFds.listenAbstract(name, backlog);
                return new ListenSocket(spec, fd, "@" + name, null);
            }
            if (spec.isUnix()) {
                Path path = spec.unixPath(baseDir);
                Files.deleteIfExists(path);
                int fd = SocketFds.listenUnix(path.toString(), backlog);
                try {
                    if (unix.lazyChmod()) {
                        Log.line("chmod() socket to 666 for lazy and brave users");
                    }
                    unix.apply(path);
                } catch (IOException e) {
                    Posix.close(fd);
                    throw new IOException("unable to set up UNIX socket " + path + ": " + e.getMessage(), e);
                }
                return new ListenSocket(spec, fd, path.toString(), path);
            }
            InetAddress host = spec.resolveHost();
            int fd = SocketFds.listenTcp(host, spec.port(), backlog);
            int port = spec.port() == 0 ? SocketFds.localPort(fd) : spec.port();
            String hostText = host.getHostAddress();
            String address = (hostText.contains(":") ? "[" + hostText + "]" : hostText) + ":" + port;
            return new ListenSocket(spec, fd, address, null);
        } catch (SocketFds.SocketError e) {
            if (e.errno() == EADDRINUSE) { // Issue 8: resource limits. uWSGI's words (core/socket.c)
                Log.line("probably another instance of uWSGI is running on the same address (" + spec.spec().trim()
                        + ").");
                Log.line("bind(): Address already in use");
            }
            throw new IOException("unable to bind " + spec.spec().trim() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns true if {@code next}, resolved as it would be bound now, is the address this socket is bound to: the
     * same UNIX path (relative paths resolved against {@code baseDir}), or the same resolved host and port.
     */
    public boolean sameAddress(SocketSpec next, Path baseDir) {
        if (next.isUnix() != spec.isUnix()) {
            return false;
        }
        if (next.isUnix()) {
            if (unixPath == null) {
                return address.equals("@" + next.abstractName());
            }
            return !next.isAbstract() && next.unixPath(baseDir).equals(unixPath);
        }
        if (next.port() != spec.port()) {
            return false;
        }
        try {
            return next.resolveHost().equals(spec.resolveHost());
        } catch (IOException e) {
            return next.spec().trim().equals(spec.spec().trim());
        }
    }

    /**
     * Changes the accept-queue length of the bound socket ({@code listen(2)} again, which Linux allows).
     *
     * @throws IOException if the call fails
     */
    public void setBacklog(int backlog) throws IOException {
        checkBacklog(backlog, SOMAXCONN);
        try {
            SocketFds.listen(fd, backlog);
        } catch (SocketFds.SocketError e) {
            throw new IOException("listen(" + backlog + ") on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Where Linux keeps the largest accept queue it grants. */
    static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    /**
     * Refuses a {@code listen} backlog above the kernel's {@code net.core.somaxconn}, which Linux would silently cut
     * to the maximum: as uWSGI 2.0 does ({@code core/socket.c}, fatal at start), with its words. Without the file
     * (another OS, a container hiding it) nothing is checked.
     *
     * @param backlog the configured {@code listen}
     * @param somaxconn the file holding the kernel's maximum
     * @throws IOException {@code Listen queue size is greater than the system max net.core.somaxconn (N).}
     */
    static void checkBacklog(int backlog, Path somaxconn) throws IOException {
        long max;
        // a stream, not Files.readString: on a /proc/sys file (size 0) that returns only the first byte (JDK 25)
        try (java.io.InputStream in = Files.newInputStream(somaxconn)) {
            max = Long.parseLong(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return;
        }
        if (max > 0 && backlog > max) {
            throw new IOException("Listen queue size is greater than the system max net.core.somaxconn (" + max
                    + ").");
        }
    }

    /** Returns {@code TCP} or {@code UNIX} as uWSGI's "bound to ... address" log line names the family. */
    public String family() {
        return spec.isUnix() ? "UNIX" : "TCP";
    }

    /** Closes the master's fd. */
    public void close() {
        Posix.close(fd);
    }
}
