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
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What a master can learn about a listening socket without accepting on it, through the FFM API: how many
 * connections wait in its accept queue, and a wait until one arrives. Linux.
 */
public final class ListenQueue {
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    /** {@code struct tcp_info}: 8 bytes of u8 fields, then u32 rto, ato, snd_mss, rcv_mss, unacked, sacked... */
    private static final int TCP_INFO_SIZE = 232;
    private static final int TCPI_UNACKED = 24;
    private static final int TCPI_SACKED = 28;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final class GetSockOpt {
        static final MethodHandle H = downcall("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Poll {
        static final MethodHandle H = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private ListenQueue() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    /**
     * Returns the number of connections waiting in a listening TCP socket's accept queue and the queue's size, as
     * uWSGI's master reads them ({@code getsockopt(TCP_INFO)}: on a listening socket Linux reports the queue in
     * {@code tcpi_unacked} and its size in {@code tcpi_sacked}).
     *
     * @param fd a listening TCP socket
     * @return {@code {queued, size}}, or null for a socket that is not TCP (a UNIX socket) or when the call fails
     */
    public static long[] tcpQueue(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment info = arena.allocate(TCP_INFO_SIZE, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, TCP_INFO_SIZE);
            int r = (int) GetSockOpt.H.invokeExact(state, fd, IPPROTO_TCP, TCP_INFO, info, length);
            if (r < 0 || length.get(JAVA_INT, 0) < TCPI_SACKED + 4) {
                return null;
            }
            return new long[] {Integer.toUnsignedLong(info.get(JAVA_INT, TCPI_UNACKED)),
                    Integer.toUnsignedLong(info.get(JAVA_INT, TCPI_SACKED))};
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt failed", t);
        }
    }

    /**
     * Waits until one of the listening sockets has a connection to accept ({@code poll(2)} for {@code POLLIN}), or
     * the timeout passes. Nothing is accepted: the connection stays queued for whoever accepts next.
     *
     * @param fds listening sockets
     * @param timeoutMillis the longest wait; 0 returns at once
     * @return true if a socket has a connection waiting (or reported an error, which an accept would then show)
     */
    public static boolean awaitConnection(int[] fds, int timeoutMillis) {
        if (fds.length == 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment pollfds = arena.allocate(8L * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(JAVA_INT, 8L * i, fds[i]);
                pollfds.set(JAVA_SHORT, 8L * i + 4, POLLIN);
                pollfds.set(JAVA_SHORT, 8L * i + 6, (short) 0);
            }
            int r = (int) Poll.H.invokeExact(state, pollfds, (long) fds.length, timeoutMillis);
            if (r < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == EINTR) {
                    return false;
                }
                throw new IllegalStateException("poll failed: errno " + errno);
            }
            return r > 0;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("poll failed", t);
        }
    }
}
