package dev.imperium.server.net;

import dev.imperium.server.ResponseBody;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A response body written to a byte stream (an HTTP/1.1 connection; a uwsgi, SCGI or FastCGI connection, whose
 * answer is an HTTP or CGI head and the body, in FastCGI's case inside STDOUT records): buffers small writes together
 * with the head, frames the body with Content-Length, the chunked coding (RFC 9112 §7.1) or the end of the stream,
 * and counts the body bytes.
 *
 * <p>Used by the handler's thread only. {@link #close()} completes the framing (the last-chunk for chunked); a
 * failed write or a body shorter than its Content-Length leaves it {@link #broken()}, and the connection is then
 * closed.
 */
public final class StreamResponseBody extends ResponseBody {
    /** How the body is delimited on the wire. */
    public enum Mode {
        /** No body may be sent (HEAD, 204, 304): writes are discarded. */
        DISCARD,
        /** Exactly {@code length} bytes. */
        LENGTH,
        /** The chunked transfer coding. */
        CHUNKED,
        /**
         * Until the stream ends: the connection closes (HTTP/1.0, uwsgi, SCGI with an unknown length), or the
         * protocol ends it (FastCGI's empty STDOUT record).
         */
        UNTIL_CLOSE
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF_LAST = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONE = new byte[0];

    private final ByteSink io;
    private final OutputBuffer out;
    private final Mode mode;
    private final long length;
    private final byte[] one = new byte[1];
    private long written;
    private boolean sentAnything;
    private boolean closed;
    private boolean broken;
    private boolean shortBody;

    /**
     * Creates the body of a response whose head is already held in {@code out}.
     *
     * @param io where the bytes go: the connection, or a layer framing them (FastCGI records)
     * @param out the connection's output buffer, holding the response head as raw bytes
     * @param mode how the body is delimited
     * @param length the body length for {@link Mode#LENGTH}, in bytes
     */
    public StreamResponseBody(ByteSink io, OutputBuffer out, Mode mode, long length) {
        this.io = io;
        this.out = out;
        this.mode = mode;
        this.length = length;
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (mode == Mode.DISCARD || len == 0) {
            return;
        }
        if (mode == Mode.LENGTH && written + len > length) {
            throw new IOException("response body longer than its Content-Length " + length);
        }
        if (len <= out.space()) {
            out.append(b, off, len);
        } else {
            send(b, off, len, false, null);
        }
        written += len;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (out.length > 0) {
            send(null, 0, 0, false, null);
        }
    }

    /**
     * Ends the response: completes the framing and sends what is buffered. A body shorter than its Content-Length
     * cannot be completed: the response is marked broken (the connection will close) and an IOException says so.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (broken) {
            return;
        }
        boolean shortBody = mode == Mode.LENGTH && written < length;
        send(null, 0, 0, mode == Mode.CHUNKED, null);
        if (shortBody) {
            this.shortBody = true;
            broken = true;
            throw new IOException("response body ended after " + written + " of " + length + " bytes");
        }
    }

    @Override
    public void transferFrom(FileChannel file, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        ensureOpen();
        if (mode == Mode.DISCARD || count == 0) {
            return;
        }
        if (mode == Mode.LENGTH && written + count > length) {
            throw new IOException("response body longer than its Content-Length " + length);
        }
        if (count <= out.space()) {
            readInto(file, position, (int) count);
            written += count;
            return;
        }
        byte[] sizeLine = mode == Mode.CHUNKED ? chunkSizeLine(count) : null;
        send(null, 0, 0, false, sizeLine);
        try {
            io.transferFile(file, position, count, out.bytes);
        } catch (IOException e) {
            broken = true;
            throw e;
        }
        sentAnything = true;
        written += count;
        if (mode == Mode.CHUNKED) {
            out.appendRaw(CRLF);
        }
    }

    private void readInto(FileChannel file, long position, int count) throws IOException {
        int start = out.reserve(count);
        ByteBuffer target = ByteBuffer.wrap(out.bytes, start, count);
        while (target.hasRemaining()) {
            if (file.read(target, position + (target.position() - start)) < 0) {
                throw new EOFException("file ended before the range to send");
            }
        }
        out.length = start + count;
    }

    /**
     * Sends the buffered raw bytes and body bytes, then {@code extra} body bytes, framed by the mode; for chunked,
     * all body bytes form one chunk and {@code last} adds the last-chunk. {@code suffix} raw bytes go last.
     */
    private void send(byte[] extra, int off, int len, boolean last, byte[] suffix) throws IOException {
        int body = out.bodyLength() + len;
        ByteBuffer raw = ByteBuffer.wrap(out.bytes, 0, out.rawLength);
        ByteBuffer held = ByteBuffer.wrap(out.bytes, out.rawLength, out.bodyLength());
        ByteBuffer more = extra == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(extra, off, len);
        ByteBuffer tail = ByteBuffer.wrap(suffix == null ? NONE : suffix);
        try {
            if (mode == Mode.CHUNKED) {
                ByteBuffer sizeLine = ByteBuffer.wrap(body > 0 ? chunkSizeLine(body) : new byte[0]);
                ByteBuffer end = ByteBuffer.wrap(body > 0 ? (last ? CRLF_LAST : CRLF) : (last ? LAST_CHUNK : NONE));
                io.write(raw, sizeLine, held, more, end, tail);
            } else {
                io.write(raw, held, more, tail);
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        } finally {
            out.clear();
        }
        sentAnything = true;
    }

    private static byte[] chunkSizeLine(long size) {
        return (Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("response body already closed");
        }
        if (broken) {
            throw new IOException("response failed earlier");
        }
    }

    /** Returns the body bytes accepted so far (before framing; 0 when discarded). */
    public long written() {
        return written;
    }

    /** Returns true once any byte of the response (head included) went to the socket. */
    public boolean sentAnything() {
        return sentAnything;
    }

    /** Returns true once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Returns true if a write failed or the body fell short, so the connection's framing is lost. */
    public boolean broken() {
        return broken;
    }

    /** Returns true if the body was closed before reaching its Content-Length. */
    public boolean shortBody() {
        return shortBody;
    }

    /** Returns the mode. */
    public Mode mode() {
        return mode;
    }
}
