package dev.imperium.server.net;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Blocking I/O on one connection's channel, under deadlines that a watchdog enforces by closing the channel.
 *
 * <p>NIO channels have no SO_TIMEOUT, and the socket adaptor that has one does not exist for UNIX sockets; so the
 * connection thread publishes a deadline (a volatile {@code nanoTime}) around every blocking call, and the listener's
 * watchdog closes the channel when a deadline passes, which ends the blocked call with an exception. Arming costs
 * one volatile write.
 *
 * <p>The read buffer {@link #in()} is kept in read mode: its position..limit are the bytes received and not yet
 * consumed. All methods except {@link #expireIfDue}, {@link #shortenDeadline} and {@link #close} are called by the
 * connection's thread only.
 */
public final class ConnectionIo implements ByteSink {
    private static final VarHandle DEADLINE;

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(ConnectionIo.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Reads of at least this many bytes go straight into the caller's array when nothing is buffered. */
    public static final int DIRECT_READ = 4096;

    private final SocketChannel channel;
    private final ByteBuffer in;
    private final long writeTimeoutNanos;
    @SuppressWarnings("unused") // accessed through DEADLINE
    private volatile long deadline;
    private volatile String phase = "";
    private volatile boolean expired;
    private boolean eof;

    public ConnectionIo(SocketChannel channel, int bufferSize, long writeTimeoutNanos) {
        this.channel = channel;
        this.in = ByteBuffer.allocate(bufferSize).flip();
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /** Returns the read buffer, in read mode. */
    public ByteBuffer in() {
        return in;
    }

    /** Returns the channel. */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Reads more bytes into {@link #in()} after its unread bytes, waiting at most until the armed deadline.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    public int fill() throws IOException {
        in.compact();
        try {
            int n = channel.read(in);
            if (n < 0) {
                eof = true;
            }
            return n;
        } finally {
            in.flip();
        }
    }

    /**
     * Reads, without waiting, whatever has already arrived into {@link #in()} after its unread bytes; the channel is
     * back in blocking mode when this returns.
     *
     * @return the number of bytes read (0 if nothing had arrived), or -1 at the end of the stream
     * @throws IOException if the read fails
     */
    public int fillNow() throws IOException {
        channel.configureBlocking(false);
        try {
            return fill();
        } finally {
            channel.configureBlocking(true);
        }
    }

    /** Calls {@link #fill()} with a deadline of {@code timeoutNanos} from now. */
    public int fill(long timeoutNanos, String what) throws IOException {
        arm(timeoutNanos, what);
        try {
            return fill();
        } finally {
            disarm();
        }
    }

    /**
     * Reads straight into {@code b}, bypassing {@link #in()} (which must be empty), with a deadline.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    public int readDirect(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        arm(timeoutNanos, "read");
        try {
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            if (n < 0) {
                eof = true;
            }
            return n;
        } finally {
            disarm();
        }
    }

    /**
     * Reads up to {@code len} bytes into {@code b}: the buffered bytes of {@link #in()} first; with nothing buffered,
     * a read of at least {@link #DIRECT_READ} bytes goes straight into {@code b}, a smaller one fills the buffer
     * first. Waits at most {@code timeoutNanos}.
     *
     * @param len 1 or more
     * @return the number of bytes read, 1 or more, or -1 at the end of the stream
     * @throws IOException if the read failed or the deadline closed the channel
     */
    public int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        if (in.hasRemaining()) {
            int n = Math.min(len, in.remaining());
            in.get(b, off, n);
            return n;
        }
        if (len >= DIRECT_READ) {
            return readDirect(b, off, len, timeoutNanos);
        }
        if (fill(timeoutNanos, "read") < 0) {
            return -1;
        }
        int n = Math.min(len, in.remaining());
        in.get(b, off, n);
        return n;
    }

    /** Writes every remaining byte of {@code buffers}; each write call must make progress within the write timeout. */
    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        int first = 0;
        while (first < buffers.length) {
            if (!buffers[first].hasRemaining()) {
                first++;
                continue;
            }
            arm(writeTimeoutNanos, "write");
            try {
                channel.write(buffers, first, buffers.length - first);
            } finally {
                disarm();
            }
        }
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} with {@code sendfile}. On a virtual thread the
     * socket is non-blocking underneath, so {@code transferTo} returns 0 when the socket buffer is full; then one small
     * piece (at most {@code scratch}'s length) is copied with an ordinary write, which parks until the client has read
     * enough to make room, and {@code sendfile} takes over again to fill that room. Keeping the piece small keeps the
     * bytes copied through the heap to a few KiB per wait: with a slow client, almost all of a large file still goes
     * out by {@code sendfile}.
     *
     * @throws EOFException if the file ends before {@code position + count}
     */
    @Override
    public void transferFile(FileChannel file, long position, long count, byte[] scratch) throws IOException {
        long pos = position;
        long left = count;
        while (left > 0) {
            long n;
            arm(writeTimeoutNanos, "write");
            try {
                n = file.transferTo(pos, left, channel);
            } finally {
                disarm();
            }
            if (n > 0) {
                pos += n;
                left -= n;
                continue;
            }
            // The socket buffer is full: an ordinary write of a small piece waits for the client to make room.
            int piece = (int) Math.min(left, scratch.length);
            ByteBuffer buffer = ByteBuffer.wrap(scratch, 0, piece);
            while (buffer.hasRemaining()) {
                if (file.read(buffer, pos + buffer.position()) < 0) {
                    throw new EOFException("file ended before the range to send");
                }
            }
            buffer.flip();
            write(buffer);
            pos += piece;
            left -= piece;
        }
    }

    /** Publishes a deadline {@code timeoutNanos} from now for the blocking call that follows. */
    public void arm(long timeoutNanos, String what) {
        phase = what;
        long d = System.nanoTime() + timeoutNanos;
        DEADLINE.setVolatile(this, d == 0 ? 1 : d);
    }

    /** Clears the deadline. */
    public void disarm() {
        DEADLINE.setVolatile(this, 0L);
    }

    /** Moves an armed deadline earlier to {@code nanoTime}, if it is later. Thread-safe. */
    public void shortenDeadline(long nanoTime) {
        long d = nanoTime == 0 ? 1 : nanoTime;
        while (true) {
            long current = (long) DEADLINE.getVolatile(this);
            if (current == 0 || current - d <= 0 || DEADLINE.compareAndSet(this, current, d)) {
                return;
            }
        }
    }

    /**
     * Closes the channel if the armed deadline has passed; called by the watchdog. Thread-safe.
     *
     * @return true if it closed the channel
     */
    public boolean expireIfDue(long nowNanos) {
        long d = (long) DEADLINE.getVolatile(this);
        if (d == 0 || nowNanos - d < 0 || !DEADLINE.compareAndSet(this, d, 0L)) {
            return false;
        }
        expired = true;
        close();
        return true;
    }

    /** Returns true if the watchdog closed the channel. */
    public boolean expired() {
        return expired;
    }

    /** Returns what the connection was doing when its deadline was last armed: idle, read, write or linger. */
    public String phase() {
        return phase;
    }

    /** Returns true once a read saw the end of the stream (the client closed or half-closed). */
    public boolean eofSeen() {
        return eof;
    }

    /** Returns true while the channel is open. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the connection without resetting the client: shuts down output (the client sees the end of the
     * response), then reads and discards what the client still sends, up to {@code maxBytes} or
     * {@code timeoutNanos}, then closes. Closing with unread input would make the kernel send a reset, and a client
     * may then lose the response it has not read yet.
     */
    public void lingerAndClose(long timeoutNanos, long maxBytes) {
        if (!channel.isOpen()) {
            return;
        }
        if (eof) {
            close();
            return;
        }
        arm(timeoutNanos, "linger");
        try {
            channel.shutdownOutput();
            long discarded = 0;
            while (discarded <= maxBytes) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    break;
                }
                discarded += n;
            }
        } catch (IOException | RuntimeException e) {
            // the client reset, or the linger deadline closed the channel: either way we are done
        } finally {
            disarm();
            in.clear().flip();
            close();
        }
    }

    /** Closes the channel; safe from any thread, idempotent. */
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
