package dev.imperium.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A UNIX datagram socket that sends to a path, such as the syslog daemon's {@code /dev/log}: the JDK's
 * {@code DatagramChannel} has no UNIX-domain support, so this calls libc ({@code socket}, {@code sendto}) through
 * the FFM API. Each {@link #send} names the path again, as glibc's {@code syslog(3)} does, so a daemon that restarts
 * and recreates its socket is reached without reconnecting. Sends never block: a datagram the receiver has no room
 * for is dropped, as uWSGI's loggers do. Thread-safe.
 */
public final class UnixDatagram implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_MAX = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private final int fd;
    private final byte[] path;

    private UnixDatagram(int fd, byte[] path) {
        this.fd = fd;
        this.path = path;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    /**
     * Opens an unbound datagram socket that sends to {@code path}.
     *
     * @param path the receiver's socket file, e.g. {@code /dev/log}
     * @return the socket
     * @throws SocketFds.SocketError if the socket cannot be created or the path is too long
     */
    public static UnixDatagram open(String path) throws SocketFds.SocketError {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH_MAX) {
            throw new SocketFds.SocketError("socket path too long: " + path, 36);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new SocketFds.SocketError("socket()", (int) ERRNO.get(state, 0L));
            }
            return new UnixDatagram(fd, bytes);
        } catch (SocketFds.SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("socket() failed", t);
        }
    }

    /**
     * Sends one datagram.
     *
     * @param data the datagram
     * @return 0 if sent, else the errno (e.g. 11, EAGAIN: the receiver is full; 111, ECONNREFUSED: nobody listens)
     */
    public int send(byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, data.length);
            MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
            long sent = (long) SENDTO.invokeExact(state, fd, buf, (long) data.length, MSG_DONTWAIT | MSG_NOSIGNAL,
                    addr, 2 + path.length + 1);
            return sent < 0 ? (int) ERRNO.get(state, 0L) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("sendto() failed", t);
        }
    }

    @Override
    public void close() {
        Posix.close(fd);
    }
}
