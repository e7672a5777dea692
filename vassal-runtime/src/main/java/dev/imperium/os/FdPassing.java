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

/**
 * Passes open file descriptors between processes over an AF_UNIX stream socket ({@code SCM_RIGHTS},
 * {@code unix(7)}), with raw libc calls: how a vassal master hands a worker every listening socket after the first
 * (which the worker gets as its fd 0).
 *
 * <p>One message carries the descriptors and one data byte (their count); the receiver gets new descriptors, marked
 * close-on-exec, for the same open sockets. The layouts are those of Linux on 64-bit platforms ({@code msghdr} 56
 * bytes, {@code cmsghdr} 16 bytes). Failures throw {@link SocketFds.SocketError} with the errno.
 */
public final class FdPassing {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSGHDR_SIZE = 56;
    private static final int CMSGHDR_SIZE = 16;
    /** The most descriptors one message carries (the kernel's SCM_MAX_FD is 253). */
    public static final int MAX_FDS = 250;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKETPAIR = downcall("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMSG = downcall("sendmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = downcall("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private FdPassing() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    /**
     * Creates a connected pair of AF_UNIX stream sockets ({@code socketpair(2)}), both close-on-exec.
     *
     * @return the two descriptors
     * @throws SocketFds.SocketError if the call fails (e.g. EMFILE)
     */
    public static int[] socketPair() throws SocketFds.SocketError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int r = (int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
            check("socketpair", r, state);
            return new int[] {pair.getAtIndex(JAVA_INT, 0), pair.getAtIndex(JAVA_INT, 1)};
        } catch (SocketFds.SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("socketpair failed", t);
        }
    }

    /**
     * Sends {@code fds} in one message on the connected AF_UNIX socket {@code socket}. The caller keeps its own
     * descriptors and may close them once this returns.
     *
     * @param socket a connected AF_UNIX stream socket
     * @param fds 1 to {@link #MAX_FDS} open descriptors
     * @throws SocketFds.SocketError if {@code sendmsg(2)} fails
     */
    public static void send(int socket, int[] fds) throws SocketFds.SocketError {
        send(socket, fds, new byte[] {(byte) fds.length});
    }

    /**
     * Sends {@code fds} in one message whose data is {@code data} (at least one byte), for a receiver that expects a
     * message of its own shape, such as uWSGI's emperor proxy ({@code "uwsgi-emperor"} and a native-endian int count,
     * {@code core/emperor.c}).
     *
     * @param socket a connected AF_UNIX stream socket
     * @param fds 0 to {@link #MAX_FDS} open descriptors (none: a plain message)
     * @param data the bytes sent with them, 1 or more
     * @throws SocketFds.SocketError if {@code sendmsg(2)} fails
     */
    public static void send(int socket, int[] fds, byte[] data) throws SocketFds.SocketError {
        if (fds.length > MAX_FDS) { // issue 8: chaos. 0 descriptors: a plain message (the socket keeper's GET)
            throw new IllegalArgumentException("0 to " + MAX_FDS + " descriptors, not " + fds.length);
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("a message carries at least one data byte");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment bytes = arena.allocate(data.length);
            MemorySegment.copy(data, 0, bytes, JAVA_BYTE, 0, data.length);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, bytes);
            iov.set(JAVA_LONG, 8, data.length);
            int cmsgLen = CMSGHDR_SIZE + 4 * fds.length;
            MemorySegment control = fds.length == 0 ? MemorySegment.NULL : arena.allocate(align8(cmsgLen), 8);
            if (fds.length > 0) {
                control.set(JAVA_LONG, 0, cmsgLen);
                control.set(JAVA_INT, 8, SOL_SOCKET);
                control.set(JAVA_INT, 12, SCM_RIGHTS);
            }
            for (int i = 0; i < fds.length; i++) {
                control.set(JAVA_INT, CMSGHDR_SIZE + 4L * i, fds[i]);
            }
            MemorySegment msg = message(arena, iov, control);
            long r = (long) SENDMSG.invokeExact(state, socket, msg, 0);
            check("sendmsg", (int) Math.max(-1, r), state);
        } catch (SocketFds.SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sendmsg failed", t);
        }
    }

    /**
     * Receives one message of descriptors sent by {@link #send} on {@code socket}, blocking until it arrives.
     *
     * @param socket a connected AF_UNIX stream socket
     * @param max the most descriptors expected, at most {@link #MAX_FDS}
     * @return the new descriptors, close-on-exec, in the order sent; empty if the peer closed without sending
     * @throws SocketFds.SocketError if {@code recvmsg(2)} fails, or more descriptors came than {@code max}
     *     (the message was truncated; EMSGSIZE)
     */
    public static int[] receive(int socket, int max) throws SocketFds.SocketError {
        return receive(socket, max, 1).fds();
    }

    /**
     * One message received by {@link #receive(int, int, int)}.
     *
     * @param fds the descriptors it carried (close-on-exec), in the order sent; empty if none
     * @param data the data bytes read with them; empty if the peer closed without sending
     */
    public record Message(int[] fds, byte[] data) {
    }

    /**
     * Receives one message of descriptors and up to {@code maxData} bytes of data on {@code socket}, blocking until
     * it arrives: for a sender whose message has a shape of its own, such as uWSGI's zerg server
     * ({@code "uwsgi-zerg"}, a native-endian int count, {@code core/socket.c uwsgi_manage_zerg}).
     *
     * @param socket a connected AF_UNIX stream socket
     * @param max the most descriptors expected, at most {@link #MAX_FDS}
     * @param maxData the most data bytes read (at least 1); more stay unread
     * @return the message; no descriptors and no data if the peer closed without sending
     * @throws SocketFds.SocketError if {@code recvmsg(2)} fails, or more descriptors came than {@code max}
     *     (the message was truncated; EMSGSIZE)
     */
    public static Message receive(int socket, int max, int maxData) throws SocketFds.SocketError {
        if (max < 1 || max > MAX_FDS) {
            throw new IllegalArgumentException("max must be 1.." + MAX_FDS + ": " + max);
        }
        if (maxData < 1) {
            throw new IllegalArgumentException("maxData must be at least 1: " + maxData);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment data = arena.allocate(maxData);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, maxData);
            MemorySegment control = arena.allocate(align8(CMSGHDR_SIZE + 4 * max), 8);
            MemorySegment msg = message(arena, iov, control);
            long r = (long) RECVMSG.invokeExact(state, socket, msg, MSG_CMSG_CLOEXEC);
            check("recvmsg", (int) Math.max(-1, r), state);
            if (r == 0) {
                return new Message(new int[0], new byte[0]);
            }
            byte[] bytes = data.asSlice(0, r).toArray(JAVA_BYTE);
            int flags = msg.get(JAVA_INT, 48);
            if ((flags & 0x8) != 0) { // MSG_CTRUNC
                throw new SocketFds.SocketError("recvmsg", 90); // EMSGSIZE
            }
            long controlLen = msg.get(JAVA_LONG, 40);
            if (controlLen < CMSGHDR_SIZE || control.get(JAVA_INT, 8) != SOL_SOCKET
                    || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                return new Message(new int[0], bytes);
            }
            int count = (int) ((control.get(JAVA_LONG, 0) - CMSGHDR_SIZE) / 4);
            int[] fds = new int[count];
            for (int i = 0; i < count; i++) {
                fds[i] = control.get(JAVA_INT, CMSGHDR_SIZE + 4L * i);
            }
            return new Message(fds, bytes);
        } catch (SocketFds.SocketError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("recvmsg failed", t);
        }
    }

    /** A {@code struct msghdr} without a name: iov (1 entry) and the control buffer. */
    private static MemorySegment message(Arena arena, MemorySegment iov, MemorySegment control) {
        MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
        msg.set(ADDRESS, 0, MemorySegment.NULL);
        msg.set(JAVA_INT, 8, 0);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, control.byteSize());
        msg.set(JAVA_INT, 48, 0);
        return msg;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static void check(String call, int result, MemorySegment state) throws SocketFds.SocketError {
        if (result < 0) {
            throw new SocketFds.SocketError(call, (int) ERRNO.get(state, 0L));
        }
    }
}
