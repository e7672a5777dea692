package dev.imperium.emperor.foreign;

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
 * The libc calls foreign vassals need beyond {@link dev.imperium.os.Posix} and {@link dev.imperium.os.SocketFds},
 * through the FFM API (Linux, 64-bit layouts): accepting and connecting raw AF_UNIX sockets, a datagram socket for
 * {@code NOTIFY_SOCKET}, blocking reads and writes of raw descriptors, the peer's pid ({@code SO_PEERCRED}), and
 * what {@link ListenFdsExec} needs to place descriptors and {@code execvpe(3)}. Every call returns its result, or
 * {@code -errno}.
 */
final class Native {
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SHUT_RDWR = 2;
    private static final int F_SETFD = 2;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int CLOSE_RANGE_CLOEXEC = 4;
    private static final short POLLIN = 1;
    private static final int SUN_PATH_MAX = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    private static final MethodHandle CONNECT = downcall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_INT));
    private static final MethodHandle ACCEPT4 = downcall("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
            ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
            JAVA_INT));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG));
    private static final MethodHandle SHUTDOWN = downcall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FCNTL = downcall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE_RANGE = downcall("close_range", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT));
    private static final MethodHandle GETPID = downcall("getpid", FunctionDescriptor.of(JAVA_INT));
    /** No errno capture: called between placing descriptors and the exec, where nothing may be allocated. */
    static final MethodHandle DUP2_RAW = LINKER.downcallHandle(find("dup2"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code execvpe(file, argv, envp)}: returns only on failure. */
    static final MethodHandle EXECVPE = downcall("execvpe", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
            ADDRESS));

    private static final MethodHandle EXIT = LINKER.downcallHandle(find("_exit"),
            FunctionDescriptor.ofVoid(JAVA_INT));

    private Native() {
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(find(name), fd, options);
    }

    /** Allocates the errno capture of one call. */
    static MemorySegment state(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** Returns {@code r}, or {@code -errno} when {@code r < 0}. */
    static int result(long r, MemorySegment state) {
        return r >= 0 ? (int) Math.min(r, Integer.MAX_VALUE) : -(int) ERRNO.get(state, 0L);
    }

    private static MemorySegment sockaddrUn(Arena arena, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException("UNIX socket path too long: " + path);
        }
        MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, addr, JAVA_BYTE, 2, bytes.length);
        return addr;
    }

    /**
     * Connects a new AF_UNIX stream socket (close-on-exec) to {@code path}.
     *
     * @return the connected fd, or {@code -errno}
     */
    static int connectUnix(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            int fd = result((int) SOCKET.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), state);
            if (fd < 0) {
                return fd;
            }
            MemorySegment addr = sockaddrUn(arena, path);
            int r = result((int) CONNECT.invokeExact(state, fd, addr, (int) addr.byteSize()), state);
            if (r < 0) {
                dev.imperium.os.Posix.close(fd);
                return r;
            }
            return fd;
        } catch (Throwable t) {
            throw new IllegalStateException("connect failed", t);
        }
    }

    /**
     * Creates an AF_UNIX datagram socket (close-on-exec) bound to {@code path}: where a program's {@code sd_notify}
     * datagrams arrive.
     *
     * @return the fd, or {@code -errno}
     */
    static int bindDatagram(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            int fd = result((int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), state);
            if (fd < 0) {
                return fd;
            }
            MemorySegment addr = sockaddrUn(arena, path);
            int r = result((int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize()), state);
            if (r < 0) {
                dev.imperium.os.Posix.close(fd);
                return r;
            }
            return fd;
        } catch (Throwable t) {
            throw new IllegalStateException("bind failed", t);
        }
    }

    /**
     * Accepts one connection ({@code accept4} with {@code SOCK_CLOEXEC}).
     *
     * @return the connected fd, or {@code -errno}
     */
    static int accept(int listenFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            return result((int) ACCEPT4.invokeExact(state, listenFd, MemorySegment.NULL, MemorySegment.NULL,
                    SOCK_CLOEXEC), state);
        } catch (Throwable t) {
            throw new IllegalStateException("accept failed", t);
        }
    }

    /**
     * Waits until {@code fd} is readable (or hung up), at most {@code timeoutMillis}.
     *
     * @return 1 when readable, 0 on timeout, or {@code -errno}
     */
    static int pollIn(int fd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment pfd = arena.allocate(8, 4);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, POLLIN);
            int r = result((int) POLL.invokeExact(state, pfd, 1L, timeoutMillis), state);
            return r == -EINTR ? 0 : r;
        } catch (Throwable t) {
            throw new IllegalStateException("poll failed", t);
        }
    }

    /**
     * Reads up to {@code buffer.length} bytes, blocking.
     *
     * @return the count (0 at end of stream), or {@code -errno}
     */
    static int read(int fd, byte[] buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment buf = arena.allocate(buffer.length);
            int n;
            do {
                n = result((long) READ.invokeExact(state, fd, buf, (long) buffer.length), state);
            } while (n == -EINTR);
            if (n > 0) {
                MemorySegment.copy(buf, JAVA_BYTE, 0, buffer, 0, n);
            }
            return n;
        } catch (Throwable t) {
            throw new IllegalStateException("read failed", t);
        }
    }

    /**
     * Writes all of {@code bytes}.
     *
     * @return the count, or {@code -errno}
     */
    static int write(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment buf = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, bytes.length);
            long done = 0;
            while (done < bytes.length) {
                int n = result((long) WRITE.invokeExact(state, fd, buf.asSlice(done), bytes.length - done), state);
                if (n == -EINTR) {
                    continue;
                }
                if (n < 0) {
                    return n;
                }
                done += n;
            }
            return bytes.length;
        } catch (Throwable t) {
            throw new IllegalStateException("write failed", t);
        }
    }

    /** Shuts a socket down both ways, which wakes a thread blocked reading it ({@code shutdown(2)}). */
    static int shutdown(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            return result((int) SHUTDOWN.invokeExact(state, fd, SHUT_RDWR), state);
        } catch (Throwable t) {
            throw new IllegalStateException("shutdown failed", t);
        }
    }

    /**
     * Returns the pid of the process at the other end of a connected AF_UNIX socket ({@code SO_PEERCRED}, the
     * process that connected).
     *
     * @return the pid, or {@code -errno}
     */
    static int peerPid(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            MemorySegment cred = arena.allocate(12, 4);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 12);
            int r = result((int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_PEERCRED, cred, len), state);
            return r < 0 ? r : cred.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt failed", t);
        }
    }

    /**
     * Duplicates {@code fd} to the lowest free number at or above {@code min}, close-on-exec
     * ({@code F_DUPFD_CLOEXEC}).
     *
     * @return the new fd, or {@code -errno}
     */
    static int dupAtLeast(int fd, int min) {
        return fcntl(fd, F_DUPFD_CLOEXEC, min);
    }

    /** Clears (or sets) close-on-exec on {@code fd}. */
    static int setCloseOnExec(int fd, boolean on) {
        return fcntl(fd, F_SETFD, on ? 1 : 0);
    }

    private static int fcntl(int fd, int cmd, int arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            return result((int) FCNTL.invokeExact(state, fd, cmd, arg), state);
        } catch (Throwable t) {
            throw new IllegalStateException("fcntl failed", t);
        }
    }

    /**
     * Marks every descriptor from {@code first} up close-on-exec ({@code close_range(2)} with
     * {@code CLOSE_RANGE_CLOEXEC}, Linux 5.11, glibc 2.34).
     *
     * @return 0, or {@code -errno}
     */
    static int closeOnExecFrom(int first) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = state(arena);
            return result((int) CLOSE_RANGE.invokeExact(state, first, -1, CLOSE_RANGE_CLOEXEC), state);
        } catch (Throwable t) {
            throw new IllegalStateException("close_range failed", t);
        }
    }

    /** Ends this process at once ({@code _exit(2)}): no JVM shutdown, nothing loaded. */
    static void exit(int code) {
        try {
            EXIT.invokeExact(code);
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code);
        }
    }

    /** Returns this process's pid ({@code getpid(2)}). */
    static int getpid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) GETPID.invokeExact(state(arena));
        } catch (Throwable t) {
            throw new IllegalStateException("getpid failed", t);
        }
    }
}
