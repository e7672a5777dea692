package dev.imperium.server.net;

import dev.imperium.http.BodyFraming;
import dev.imperium.http.ChunkedDecoder;
import dev.imperium.http.HttpProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A request body as the handler reads it: bounded by Content-Length or de-chunked, read from the connection's buffer
 * first and then from the socket, each read waiting at most the read timeout.
 *
 * <p>The first read sends {@code 100 Continue} if the client asked for it and no response has started (RFC 9110
 * §10.1.1). A framing error, a body over the limit, a timeout or a client that goes away fails the stream for good;
 * the connection then closes. {@link #close()} does not close the connection. Used by one thread at a time.
 */
public final class RequestBodyStream extends BodyInputStream {
    private final ContinueSender continueSender;
    private final ConnectionIo io;
    private final BodyFraming framing;
    private final ChunkedDecoder decoder;
    private final long readTimeoutNanos;
    private long remaining;
    private long consumed;
    private boolean continuePending;
    private boolean continueSent;
    private boolean done;
    private IOException failure;

    /** Sends {@code 100 Continue} when the body is first read, unless a response already started. */
    @FunctionalInterface
    public interface ContinueSender {
        /**
         * Sends the interim response.
         *
         * @return true if it was sent
         * @throws IOException if the client went away
         */
        boolean sendContinue() throws IOException;
    }

    /**
     * Creates the body stream of one request.
     *
     * @param continueSender sends {@code 100 Continue}; used only when {@code expectsContinue}
     * @param io the connection, whose buffer may already hold the first body bytes
     * @param framing how the body is delimited
     * @param decoder the connection's chunked decoder (reset here when the body is chunked), or null if it is not
     * @param expectsContinue true if the client sent {@code Expect: 100-continue}
     * @param readTimeoutNanos how long one read may wait
     */
    public RequestBodyStream(ContinueSender continueSender, ConnectionIo io, BodyFraming framing,
            ChunkedDecoder decoder, boolean expectsContinue, long readTimeoutNanos) {
        this.continueSender = continueSender;
        this.io = io;
        this.framing = framing;
        this.decoder = decoder;
        this.readTimeoutNanos = readTimeoutNanos;
        this.remaining = framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() : 0;
        this.done = framing.kind() == BodyFraming.Kind.NONE
                || framing.kind() == BodyFraming.Kind.LENGTH && remaining == 0;
        this.continuePending = expectsContinue && !done;
        if (framing.kind() == BodyFraming.Kind.CHUNKED) {
            decoder.reset();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        if (done) {
            return -1;
        }
        try {
            if (continuePending) {
                continuePending = false;
                continueSent = continueSender.sendContinue();
            }
            int n = framing.kind() == BodyFraming.Kind.CHUNKED ? readChunked(b, off, len) : readLength(b, off, len);
            if (n < 0) {
                done = true;
            } else {
                consumed += n;
            }
            return n;
        } catch (HttpProtocolException | BodyReadException e) {
            failure = e;
            throw e;
        } catch (IOException e) {
            long requested = framing.kind() == BodyFraming.Kind.LENGTH ? Math.min(len, remaining) : len;
            BodyReadException slow = BodyReadException.of(io.expired(), requested,
                    framing.kind() == BodyFraming.Kind.LENGTH ? framing.length() : -1, consumed, e);
            failure = slow;
            throw slow;
        }
    }

    private int readLength(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = io.read(b, off, (int) Math.min(len, remaining), readTimeoutNanos);
        if (n < 0) {
            throw truncated();
        }
        remaining -= n;
        if (remaining == 0) {
            done = true;
        }
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        ByteBuffer in = io.in();
        while (true) {
            int n = decoder.decode(in, b, off, len);
            if (n != 0) {
                return n;
            }
            long pending = decoder.pendingData();
            if (pending >= ConnectionIo.DIRECT_READ && len >= ConnectionIo.DIRECT_READ) {
                int direct = io.readDirect(b, off, (int) Math.min(len, pending), readTimeoutNanos);
                if (direct < 0) {
                    throw truncated();
                }
                decoder.consumeData(direct);
                return direct;
            }
            if (io.fill(readTimeoutNanos, "read") < 0) {
                throw truncated();
            }
        }
    }

    private static IOException truncated() {
        return new IOException("client closed the connection before the request body ended");
    }

    @Override
    public int available() {
        if (done || failure != null) {
            return 0;
        }
        if (framing.kind() == BodyFraming.Kind.LENGTH) {
            return (int) Math.min(remaining, io.in().remaining());
        }
        return 0;
    }

    @Override
    public void close() {
        // the connection owns the socket; an unread rest is drained after the handler returns
    }

    /**
     * Reads and discards the rest of the body, up to {@code limit} bytes.
     *
     * @return true if the body ended within the limit; false if it is longer, or reading failed
     */
    @Override
    public boolean drain(long limit) {
        if (done) {
            return true;
        }
        if (failure != null || continuePending) {
            return false;
        }
        if (framing.kind() == BodyFraming.Kind.LENGTH && remaining > limit) {
            return false;
        }
        return discardRest(this::read, limit);
    }

    /** Returns true once the whole body was read (or there was none). */
    @Override
    public boolean isComplete() {
        return done;
    }

    /** Returns the Content-Length bytes still unread, 0 for other framings. */
    public long remainingLength() {
        return remaining;
    }

    /** Returns true while {@code 100 Continue} is owed: the client waits for it and the body was not read yet. */
    public boolean continuePending() {
        return continuePending;
    }

    /** Returns true if {@code 100 Continue} was sent. */
    public boolean continueSent() {
        return continueSent;
    }

    /** Returns why the stream failed, or null. */
    @Override
    public IOException failure() {
        return failure;
    }
}
