package dev.imperium.fastcgi;

import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects one request's params stream as its PARAMS records arrive, refusing it as soon as it grows past the limit,
 * then parses it with {@link FcgiParamsParser}. A stream is zero or more non-empty PARAMS records followed by an
 * empty one, and its value is their contents put end to end, however they are split (FastCGI Specification 1.0,
 * section 3.3 "Types of Record Types", section 5.2).
 *
 * <p>uWSGI 2.0 ({@code proto/fastcgi.c}) parses each PARAMS record on its own as it arrives, so a pair split across
 * two records is refused there; it does not wait for the empty PARAMS record but starts the request at the first
 * STDIN record; and it buffers any one record whole (up to 65535 + 255 bytes) whatever {@code buffer-size} says. This
 * class follows the spec instead: pairs may straddle records, the empty record ends the stream, and no more than
 * {@code maxSize} bytes are ever held.
 *
 * <p>Reusable: {@link #reset()} readies it for the next request on a kept-alive connection, keeping its buffer. Not
 * thread-safe; one per connection.
 */
public final class FcgiParamsAccumulator {
    private final int maxSize;
    private byte[] bytes;
    private int size;
    private boolean complete;

    /**
     * Creates an empty accumulator.
     *
     * @param maxSize the largest stream accepted, in bytes (uWSGI's {@code buffer-size}, default 4096)
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public FcgiParamsAccumulator(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize < 0: " + maxSize);
        }
        this.maxSize = maxSize;
        this.bytes = new byte[Math.min(maxSize, 1024)];
    }

    /**
     * Adds the content of a PARAMS record: the bytes from {@code content}'s position to its limit, moving the
     * position to the limit. A record that arrives over several reads may be added in as many parts, none of them
     * empty; an empty content is the empty record that ends the stream.
     *
     * @param content the record's content (or the next part of it), without header and padding
     * @return true if the stream has now ended
     * @throws FcgiProtocolException if the stream would grow past {@code maxSize} bytes, or it had already ended (in
     *     either case nothing is added)
     */
    public boolean append(ByteBuffer content) throws FcgiProtocolException {
        int length = content.remaining();
        int at = reserve(length);
        content.get(bytes, at, length);
        return complete;
    }

    /**
     * Adds the content of a PARAMS record, or the next part of one, from an array; as {@link #append(ByteBuffer)}.
     *
     * @param b the bytes
     * @param off the index of the first byte
     * @param len how many bytes; 0 ends the stream
     * @return true if the stream has now ended
     * @throws FcgiProtocolException if the stream would grow past {@code maxSize} bytes, or it had already ended
     * @throws IndexOutOfBoundsException if the range is not within {@code b}
     */
    public boolean append(byte[] b, int off, int len) throws FcgiProtocolException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        int at = reserve(len);
        System.arraycopy(b, off, bytes, at, len);
        return complete;
    }

    /** Checks the stream can take {@code length} more bytes, grows the buffer, returns where they go. */
    private int reserve(int length) throws FcgiProtocolException {
        if (complete) {
            throw new FcgiProtocolException("FastCGI PARAMS record after the end of the params stream");
        }
        if (length == 0) {
            complete = true;
            return size;
        }
        if (length > maxSize - size) {
            throw new FcgiProtocolException("FastCGI params stream over buffer-size: " + ((long) size + length)
                    + " bytes (max " + maxSize + ")");
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxSize, Math.max(size + length, 2L * bytes.length)));
        }
        int at = size;
        size += length;
        return at;
    }

    /** Returns whether the empty PARAMS record has arrived. */
    public boolean isComplete() {
        return complete;
    }

    /** Returns the number of stream bytes held so far. */
    public int size() {
        return size;
    }

    /**
     * Parses the whole stream with {@link FcgiParamsParser#parse}.
     *
     * @param maxParams the most pairs accepted (uWSGI's {@code max-vars})
     * @return the params, in arrival order
     * @throws FcgiProtocolException if the stream breaks a rule of {@link FcgiParamsParser}
     * @throws IllegalStateException if the stream has not ended yet
     */
    public UwsgiVars vars(int maxParams) throws FcgiProtocolException {
        if (!complete) {
            throw new IllegalStateException("the FastCGI params stream has not ended");
        }
        return FcgiParamsParser.parse(ByteBuffer.wrap(bytes, 0, size), maxParams, maxSize);
    }

    /** Empties the accumulator for the next request, keeping its buffer. */
    public void reset() {
        size = 0;
        complete = false;
    }
}
