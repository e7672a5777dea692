package dev.imperium.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Listening sockets created with raw libc calls, so the caller knows the file descriptor number and can hand the
 * socket to child processes (as their fd 0) or inspect it ({@code getsockopt}).
 *
 * <p>The JDK offers no public way to learn a channel's fd, which is why the vassal master binds this way while the
 * workers use {@code System.inheritedChannel()} on what they inherit. Failures throw {@link SocketError} carrying the
 * errno and the libc call that failed.
 */
public final class SocketFds {
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int SUN_PATH_MAX = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = downcall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private SocketFds() {
    }

    /** A libc socket call failed. */
    public static final class SocketError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        SocketError(String call, int errno) {
            super(call + ": " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        /** Returns the errno of the failed call, e.g. 98 for EADDRINUSE. */
        public int errno() {
            return errno;
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    private static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0, StandardCharsets.US_ASCII);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    /**
     * Creates a TCP socket bound to {@code address:port} and listening, with {@code SO_REUSEADDR} as uWSGI sets it.
     * An IPv6 socket is made v6-only so {@code [::]:port} and {@code 0.0.0.0:port} can coexist. The fd is
     * close-on-exec; pass it to children explicitly.
     *
     * @param address the local address (0.0.0.0 / :: for every interface)
     * @param port the port, or 0 for an ephemeral one
     * @param backlog the accept-queue length for {@code listen(2)}
     * @return the listening fd
     * @throws SocketError if any call fails (e.g. EADDRINUSE)
     */
    public static int listenTcp(InetAddress address, int port, int backlog) throws SocketError {
        boolean v6 = address instanceof Inet6Address;
        int fd = socket(v6 ? AF_INET6 : AF_INET);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            setIntOption(arena, state, fd, SOL_SOCKET, SO_REUSEADDR, 1);
            if (v6) {
                setIntOption(arena, state, fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            }
            MemorySegment addr = v6 ? sockaddrIn6(arena, (Inet6Address) address, port)
                    : sockaddrIn(arena, (Inet4Address) address, port);
            check("bind", (int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize()), state);
            check("listen", (int) LISTEN.invokeExact(state, fd, backlog), state);
            return fd;
        } catch (SocketError e) {
            Posix.close(fd);
            throw e;
        } catch (Throwable t) {
            Posix.close(fd);
            throw new IllegalStateException("socket call failed", t);
        }
    }

    /**
     * Closes a listening AF_UNIX socket made by {@link #listenUnix} and removes its file, best effort (a file already
     * gone is fine).
     *
     * @param fd the listening fd
     * @param path its socket file, or null for an abstract socket
     */
    public static void closeUnix(int fd, java.nio.file.Path path) {
        Posix.close(fd);
        if (path != null) {
            try {
                java.nio.file.Files.deleteIfExists(path);
            } catch (java.io.IOException e) {
                // nothing listens there any more either way
            }
        }
    }

    /**
     * Creates an AF_UNIX stream socket bound to {@code path} and listening. The caller removes a stale file first
     * (uWSGI unlinks an existing socket file before binding).
     *
     * @param path the socket path, at most 107 bytes
     * @param backlog the accept-queue length
     * @return the listening fd
     * @throws SocketError if any call fails (e.g. EADDRINUSE, EACCES)
     * @throws IllegalArgumentException if the path is too long for {@code sun_path}
     */
    public static int listenUnix(String path, int backlog) throws SocketError {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException("UNIX socket path too long (" + bytes.length + " bytes, max "
                    + (SUN_PATH_MAX - 1) + "): " + path);
        }
        return listenUnixAt(bytes, 0, 2 + bytes.length + 1, backlog);
    }

    /**
     * Binds a new UNIX stream socket to the name {@code bytes} written into {@code sun_path} at {@code offset}
     * (1 for the abstract namespace, whose names start with a NUL byte) and listens.
     *
     * @param addrLength the {@code sockaddr_un} length to bind with
     */
    private static int listenUnixAt(byte[] bytes, int offset, int addrLength, int backlog) throws SocketError {
        int fd = socket(AF_UNIX);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, addr, JAVA_BYTE, 2 + offset, bytes.length);
            check("bind", (int) BIND.invokeExact(state, fd, addr, addrLength), state);
            check("listen", (int) LISTEN.invokeExact(state, fd, backlog), state);
            return fd;
        } catch (SocketError e) {
            Posix.close(fd);
            throw e;
        } catch (Throwable t) {
            Posix.close(fd);
            throw new IllegalStateException("socket call failed", t);
        }
    }

    /**
     * Creates a UNIX stream socket in Linux's abstract namespace (no file: {@code sun_path} starts with a NUL byte),
     * binds it to {@code name} and listens, as uWSGI's {@code @name} sockets.
     *
     * @param name the name without the leading NUL, at most 106 bytes
     * @param backlog the accept-queue length
     * @return the listening fd
     * @throws SocketError if any call fails (e.g. EADDRINUSE when another process holds the name)
     * @throws IllegalArgumentException if the name is too long for {@code sun_path}
     */
    public static int listenAbstract(String name, int backlog) throws SocketError {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH_MAX - 1) {
            throw new IllegalArgumentException("abstract socket name too long (" + bytes.length + " bytes, max "
                    + (SUN_PATH_MAX - 2) + "): " + name);
        }
        return listenUnixAt(bytes, 1, 2 + 1 + bytes.length, backlog);
    }

    /**
     * Calls {@code listen(2)} on a bound socket, e.g. again to change the accept-queue length of a listening one.
     *
     * @param fd the socket
     * @param backlog the accept-queue length
     * @throws SocketError if the call fails
     */
    public static void listen(int fd, int backlog) throws SocketError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            check("listen", (int) LISTEN.invokeExact(state, fd, backlog), state);
        } catch (SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("listen failed", t);
        }
    }

    /**
     * Returns the local port of a bound TCP socket ({@code getsockname(2)}), e.g. to learn an ephemeral port.
     *
     * @throws SocketError if the call fails
     */
    public static int localPort(int fd) throws SocketError {
        byte[] addr = localAddressBytes(fd);
        return addr.length < 4 ? 0 : (addr[2] & 0xFF) << 8 | (addr[3] & 0xFF);
    }

    /**
     * Returns the local address of a socket exactly as {@code getsockname(2)} gives it (the {@code sockaddr} bytes,
     * family first), so two sockets can be compared.
     *
     * @throws SocketError if the call fails (e.g. ENOTSOCK)
     */
    public static byte[] localAddressBytes(int fd) throws SocketError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment addr = arena.allocate(128);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 128);
            check("getsockname", (int) GETSOCKNAME.invokeExact(state, fd, addr, len), state);
            return addr.asSlice(0, Math.min(128, len.get(JAVA_INT, 0))).toArray(JAVA_BYTE);
        } catch (SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockname failed", t);
        }
    }

    /**
     * Returns the address family of a socket: {@link #FAMILY_UNIX}, {@link #FAMILY_INET} or {@link #FAMILY_INET6}
     * (or another {@code AF_*} number).
     *
     * @throws SocketError if {@code fd} is not a socket
     */
    public static int family(int fd) throws SocketError {
        byte[] addr = localAddressBytes(fd);
        return addr.length < 2 ? -1 : (addr[0] & 0xFF) | (addr[1] & 0xFF) << 8;
    }

    /** {@code AF_UNIX}. */
    public static final int FAMILY_UNIX = AF_UNIX;
    /** {@code AF_INET}. */
    public static final int FAMILY_INET = AF_INET;
    /** {@code AF_INET6}. */
    public static final int FAMILY_INET6 = AF_INET6;

    private static int socket(int family) throws SocketError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, family, SOCK_STREAM | SOCK_CLOEXEC, 0);
            check("socket", fd, state);
            return fd;
        } catch (SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("socket failed", t);
        }
    }

    private static void setIntOption(Arena arena, MemorySegment state, int fd, int level, int name, int value)
            throws Throwable {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        check("setsockopt", (int) SETSOCKOPT.invokeExact(state, fd, level, name, v, 4), state);
    }

    private static void check(String call, int result, MemorySegment state) throws SocketError {
        if (result < 0) {
            throw new SocketError(call, (int) ERRNO.get(state, 0L));
        }
    }

    private static MemorySegment sockaddrIn(Arena arena, Inet4Address address, int port) {
        MemorySegment s = arena.allocate(16);
        s.set(JAVA_SHORT, 0, (short) AF_INET);
        s.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        MemorySegment.copy(address.getAddress(), 0, s, JAVA_BYTE, 4, 4);
        return s;
    }

    private static MemorySegment sockaddrIn6(Arena arena, Inet6Address address, int port) {
        MemorySegment s = arena.allocate(28);
        s.set(JAVA_SHORT, 0, (short) AF_INET6);
        s.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        MemorySegment.copy(address.getAddress(), 0, s, JAVA_BYTE, 8, 16);
        s.set(JAVA_INT, 24, address.getScopeId());
        return s;
    }
}
