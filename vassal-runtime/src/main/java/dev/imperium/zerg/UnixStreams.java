package dev.imperium.zerg;

import dev.imperium.os.Posix;

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
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The two AF_UNIX stream calls a zerg and its server need beyond {@link dev.imperium.os.SocketFds}: connecting to a
 * path or an abstract name ({@code @name}), and accepting a connection, on raw descriptors (so that the
 * descriptors can travel with {@code SCM_RIGHTS}). Linux, 64-bit layouts; results are the descriptor or
 * {@code -errno}.
 */
public final class UnixStreams {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SUN_PATH_MAX = 108;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ACCEPT4 = downcall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private UnixStreams() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    /**
     * Connects a new close-on-exec AF_UNIX stream socket to {@code address}: a path, or {@code @name} in Linux's
     * abstract namespace.
     *
     * @return the connected descriptor, or {@code -errno}
     * @throws IllegalArgumentException if the address does not fit in {@code sun_path}
     */
    public static int connect(String address) {
        boolean isAbstract = address.startsWith("@");
        byte[] name = (isAbstract ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        int offset = isAbstract ? 1 : 0;
        if (name.length + offset >= SUN_PATH_MAX) {
            throw new IllegalArgumentException("UNIX socket address too long: " + address);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                return -(int) ERRNO.get(state, 0L);
            }
            MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(name, 0, addr, JAVA_BYTE, 2 + offset, name.length);
            int length = isAbstract ? 2 + 1 + name.length : 2 + name.length + 1;
            int r = (int) CONNECT.invokeExact(state, fd, addr, length);
            if (r < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                Posix.close(fd);
                return -errno;
            }
            return fd;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("connect failed", t);
        }
    }

    /**
     * Accepts one connection, close-on-exec.
     *
     * @return the connected descriptor, or {@code -errno}
     */
    public static int accept(int listenFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) ACCEPT4.invokeExact(state, listenFd, MemorySegment.NULL, MemorySegment.NULL,
                    SOCK_CLOEXEC);
            return fd >= 0 ? fd : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("accept failed", t);
        }
    }
}
