package dev.imperium.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Raw descriptor calls for socket activation (issue 7: on-demand vassals): duplicate a descriptor, ask whether a
 * socket listens, wait for several descriptors to become readable ({@code poll(2)}) and a pipe to interrupt that wait.
 * Linux, 64-bit layouts. Each method returns {@code -errno} on failure rather than throwing, as {@link Posix} does.
 */
public final class Descriptors {
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ACCEPTCONN = 30;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NONBLOCK = 04000;
    /** {@code POLLIN}. */
    public static final short POLLIN = 0x1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle FCNTL = downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PIPE2 = downcall("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    private Descriptors() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, Linker.Option.captureCallState("errno"));
    }

    private static int result(long r, MemorySegment state) {
        return r >= 0 ? (int) r : -(int) ERRNO.get(state, 0L);
    }

    /**
     * Duplicates {@code fd} onto the lowest free descriptor at or above {@code min}, close-on-exec
     * ({@code fcntl(F_DUPFD_CLOEXEC)}).
     *
     * @return the new descriptor, or {@code -errno} ({@code -EBADF} if {@code fd} is not open)
     */
    public static int dupCloexec(int fd, int min) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return result((int) FCNTL.invokeExact(state, fd, F_DUPFD_CLOEXEC, min), state);
        } catch (Throwable t) {
            throw new IllegalStateException("fcntl failed", t);
        }
    }

    /**
     * Returns whether {@code fd} is a socket in the listening state ({@code SO_ACCEPTCONN}); false for anything
     * else (a file, a pipe, a terminal, a connected socket, a closed descriptor).
     */
    public static boolean isListeningSocket(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int r = (int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_ACCEPTCONN, value, len);
            return r == 0 && value.get(JAVA_INT, 0) != 0;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt failed", t);
        }
    }

    /**
     * Creates a pipe whose ends are close-on-exec and non-blocking ({@code pipe2(2)}).
     *
     * @return {read end, write end}
     * @throws IllegalStateException if the call fails (e.g. EMFILE)
     */
    public static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int r = result((int) PIPE2.invokeExact(state, fds, O_CLOEXEC | O_NONBLOCK), state);
            if (r < 0) {
                throw new IllegalStateException("pipe2 failed: errno " + -r);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pipe2 failed", t);
        }
    }

    /**
     * Waits until one of {@code fds} is readable ({@code poll(2)} with {@code POLLIN}; an error or hang-up counts as
     * readable), or {@code timeoutMillis} passes ({@code -1}: no limit).
     *
     * @param fds the descriptors to watch
     * @param ready set to true for each readable descriptor (same indexes as {@code fds})
     * @return how many are readable (0 on timeout), or {@code -errno} ({@code -EINTR} when interrupted by a signal)
     */
    public static int pollReadable(int[] fds, boolean[] ready, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment set = arena.allocate(8L * Math.max(1, fds.length), 4);
            for (int i = 0; i < fds.length; i++) {
                set.set(JAVA_INT, 8L * i, fds[i]);
                set.set(JAVA_SHORT, 8L * i + 4, POLLIN);
                set.set(JAVA_SHORT, 8L * i + 6, (short) 0);
            }
            int r = result((int) POLL.invokeExact(state, set, (long) fds.length, timeoutMillis), state);
            for (int i = 0; i < fds.length; i++) {
                ready[i] = r > 0 && set.get(JAVA_SHORT, 8L * i + 6) != 0;
            }
            return r;
        } catch (Throwable t) {
            throw new IllegalStateException("poll failed", t);
        }
    }

    /** Writes one byte to {@code fd} (a wake-up); returns 1, or {@code -errno}. */
    public static int writeByte(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment b = arena.allocate(JAVA_BYTE);
            return result((long) WRITE.invokeExact(state, fd, b, 1L), state);
        } catch (Throwable t) {
            throw new IllegalStateException("write failed", t);
        }
    }

    /**
     * Issue 8: resource limits. Writes all of {@code bytes} to {@code fd} ({@code write(2)} until done), for a line
     * that must not go through a Java stream (the stream's descriptor was replaced).
     *
     * @return the bytes written, or {@code -errno} of the write that failed
     */
    public static int writeAll(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment b = arena.allocateFrom(JAVA_BYTE, bytes);
            long done = 0;
            while (done < bytes.length) {
                long r = (long) WRITE.invokeExact(state, fd, b.asSlice(done), (long) bytes.length - done);
                if (r < 0) {
                    return -(int) ERRNO.get(state, 0L);
                }
                done += r;
            }
            return (int) done;
        } catch (Throwable t) {
            throw new IllegalStateException("write failed", t);
        }
    }

    /** Reads and discards what a non-blocking {@code fd} holds (wake-ups); returns the bytes read, or {@code -errno}. */
    public static int drain(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(64);
            int total = 0;
            while (true) {
                int r = result((long) READ.invokeExact(state, fd, buf, 64L), state);
                if (r <= 0) {
                    return total > 0 ? total : r;
                }
                total += r;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("read failed", t);
        }
    }
}
