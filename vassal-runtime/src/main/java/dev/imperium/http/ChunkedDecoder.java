package dev.imperium.http;

import java.nio.ByteBuffer;

/**
 * Decodes the chunked transfer coding (RFC 9112 §7.1) as a resumable state machine: bytes may arrive in any split.
 *
 * <p>Call {@link #decode} with whatever bytes arrived; it consumes framing and copies chunk data out, until the
 * last-chunk and the trailer section are consumed. It never reads past the end of the body, so a pipelined request
 * stays in the buffer. Pure: no I/O. Not thread-safe.
 *
 * <p>Rules and policies:
 * <ul>
 *   <li>chunk-size is 1*HEXDIG; a value that does not fit in a long is rejected.</li>
 *   <li>Chunk extensions ({@code ;name[=token|quoted-string]}, with BWS around {@code ;} and {@code =}, §7.1.1) are
 *       checked against the grammar and ignored; the chunk-size line must fit in {@code maxChunkLineLength}
 *       bytes.</li>
 *   <li>The chunk-size line and the end of chunk-data must be CRLF exactly: no bare LF here, since disagreeing on
 *       chunk boundaries is how requests get smuggled.</li>
 *   <li>The trailer section (§7.1.2) follows the header section's rules (bare LF accepted, no obs-fold, see
 *       {@link FieldLines}) and must fit in {@code maxTrailerSize} bytes, its final empty line included.</li>
 *   <li>A body larger than {@code maxBodySize} is refused with 413 as soon as a chunk-size says so.</li>
 * </ul>
 * Every other error is a 400.
 */
public final class ChunkedDecoder {
    private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILER, DONE, FAILED }

    private final long maxBodySize;
    private final int maxChunkLineLength;
    private final int maxTrailerSize;
    private final LineReader lines = new LineReader();

    private State state = State.SIZE;
    private long chunkRemaining;
    private long bodyLength;
    private int trailerSize;
    private HttpFields trailers;
    private HttpProtocolException failure;

    /**
     * Creates a decoder.
     *
     * @param maxBodySize the largest decoded body in bytes; 0 for no limit
     * @param maxChunkLineLength the largest chunk-size line (size, extensions and CRLF) in bytes
     * @param maxTrailerSize the largest trailer section in bytes
     */
    public ChunkedDecoder(long maxBodySize, int maxChunkLineLength, int maxTrailerSize) {
        if (maxChunkLineLength < 3 || maxTrailerSize < 2) {
            throw new IllegalArgumentException("limits too small");
        }
        this.maxBodySize = maxBodySize > 0 ? maxBodySize : Long.MAX_VALUE;
        this.maxChunkLineLength = maxChunkLineLength;
        this.maxTrailerSize = maxTrailerSize;
    }

    /**
     * Consumes chunked bytes from {@code src} and copies chunk data into {@code dst}.
     *
     * @param src a heap buffer; its position advances over what was consumed
     * @param dst where data goes
     * @param off the first index to fill
     * @param len the most bytes to copy; must be at least 1
     * @return the number of data bytes copied (0 means {@code src} is used up and more input is needed), or -1 if the
     *     body is complete and nothing was copied
     * @throws HttpProtocolException 400 for a framing error, 413 over {@code maxBodySize}; repeated until reset
     */
    public int decode(ByteBuffer src, byte[] dst, int off, int len) throws HttpProtocolException {
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            return run(src, dst, off, len);
        } catch (HttpProtocolException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }
    }

    private int run(ByteBuffer src, byte[] dst, int off, int len) throws HttpProtocolException {
        int copied = 0;
        while (true) {
            switch (state) {
                case SIZE -> {
                    int result = lines.next(src, maxChunkLineLength);
                    if (result == LineReader.NEED_MORE) {
                        return copied;
                    }
                    if (result == LineReader.TOO_LONG) {
                        throw new HttpProtocolException(400, "chunk-size line too long");
                    }
                    if (lines.bareLf()) {
                        throw new HttpProtocolException(400, "chunk-size line must end in CRLF");
                    }
                    long size = chunkSize(lines.bytes(), lines.start(), lines.end());
                    if (size > maxBodySize - bodyLength) {
                        throw new HttpProtocolException(413, "request body larger than the limit");
                    }
                    if (size == 0) {
                        trailers = new HttpFields(2);
                        state = State.TRAILER;
                    } else {
                        chunkRemaining = size;
                        state = State.DATA;
                    }
                }
                case DATA -> {
                    if (copied == len || !src.hasRemaining()) {
                        return copied;
                    }
                    int n = (int) Math.min(Math.min(chunkRemaining, src.remaining()), len - copied);
                    src.get(dst, off + copied, n);
                    copied += n;
                    consumeData(n);
                }
                case DATA_CR, DATA_LF -> {
                    if (!src.hasRemaining()) {
                        return copied;
                    }
                    byte b = src.get();
                    if (state == State.DATA_CR && b != '\r' || state == State.DATA_LF && b != '\n') {
                        throw new HttpProtocolException(400, "chunk-data not followed by CRLF");
                    }
                    state = state == State.DATA_CR ? State.DATA_LF : State.SIZE;
                }
                case TRAILER -> {
                    int result = lines.next(src, maxTrailerSize - trailerSize);
                    if (result == LineReader.NEED_MORE) {
                        return copied;
                    }
                    if (result == LineReader.TOO_LONG) {
                        throw new HttpProtocolException(400, "trailer section too large");
                    }
                    trailerSize += lines.size();
                    byte[] bytes = lines.bytes();
                    int from = lines.start();
                    int to = lines.end();
                    if (from == to) {
                        state = State.DONE;
                    } else if (Http1Chars.isWhitespace(bytes[from])) {
                        throw new HttpProtocolException(400, "obs-fold in trailer section");
                    } else {
                        FieldLines.parse(bytes, from, to, trailers);
                    }
                }
                case DONE -> {
                    return copied == 0 ? -1 : copied;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private static long chunkSize(byte[] bytes, int from, int to) throws HttpProtocolException {
        long size = 0;
        int i = from;
        while (i < to && Http1Chars.hexValue(bytes[i]) >= 0) {
            if (size > (Long.MAX_VALUE >> 4)) {
                throw new HttpProtocolException(400, "chunk-size too large");
            }
            size = size << 4 | Http1Chars.hexValue(bytes[i]);
            i++;
        }
        if (i == from) {
            throw new HttpProtocolException(400, "invalid chunk-size");
        }
        checkExtensions(bytes, i, to);
        return size;
    }

    /** Checks {@code *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )} (RFC 9112 §7.1.1). */
    private static void checkExtensions(byte[] bytes, int i, int to) throws HttpProtocolException {
        while (i < to) {
            i = skipWhitespace(bytes, i, to);
            if (i == to || bytes[i] != ';') {
                throw new HttpProtocolException(400, "invalid chunk extension");
            }
            i = skipWhitespace(bytes, i + 1, to);
            int nameStart = i;
            while (i < to && Http1Chars.isTchar(bytes[i])) {
                i++;
            }
            if (i == nameStart) {
                throw new HttpProtocolException(400, "invalid chunk extension");
            }
            int afterName = skipWhitespace(bytes, i, to);
            if (afterName < to && bytes[afterName] == '=') {
                i = skipWhitespace(bytes, afterName + 1, to);
                i = i < to && bytes[i] == '"' ? skipQuoted(bytes, i, to) : skipToken(bytes, i, to);
            }
        }
    }

    private static int skipToken(byte[] bytes, int i, int to) throws HttpProtocolException {
        int start = i;
        while (i < to && Http1Chars.isTchar(bytes[i])) {
            i++;
        }
        if (i == start) {
            throw new HttpProtocolException(400, "invalid chunk extension");
        }
        return i;
    }

    /** Skips a quoted-string (RFC 9110 §5.6.4) starting at the opening quote; returns the index after it. */
    private static int skipQuoted(byte[] bytes, int i, int to) throws HttpProtocolException {
        i++;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i++;
                if (i == to || !isQuotable(bytes[i] & 0xFF)) {
                    break;
                }
            } else if (!isQuotable(b)) {
                break;
            }
            i++;
        }
        throw new HttpProtocolException(400, "invalid chunk extension");
    }

    private static boolean isQuotable(int b) {
        return b == '\t' || b >= 0x20 && b != 0x7F;
    }

    private static int skipWhitespace(byte[] bytes, int i, int to) {
        while (i < to && Http1Chars.isWhitespace(bytes[i])) {
            i++;
        }
        return i;
    }

    /**
     * Returns how many bytes of the current chunk's data are still to come, or 0 when the decoder is not inside
     * chunk-data. A caller may read up to that many bytes from the source itself (say, straight into the
     * application's array) and report them with {@link #consumeData}.
     */
    public long pendingData() {
        return state == State.DATA ? chunkRemaining : 0;
    }

    /**
     * Accounts for {@code n} chunk-data bytes that the caller took from the source itself.
     *
     * @throws IllegalArgumentException if {@code n} is more than {@link #pendingData()}
     */
    public void consumeData(int n) {
        if (n < 0 || n > pendingData()) {
            throw new IllegalArgumentException("not inside chunk-data");
        }
        chunkRemaining -= n;
        bodyLength += n;
        if (chunkRemaining == 0) {
            state = State.DATA_CR;
        }
    }

    /** Returns true once the last-chunk and the trailer section were consumed. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /** Returns the trailer fields received, empty until {@link #isDone()} (or if there were none). */
    public HttpFields trailers() {
        return trailers == null ? new HttpFields(1) : trailers;
    }

    /** Returns the number of data bytes decoded so far. */
    public long bodyLength() {
        return bodyLength;
    }

    /** Forgets the current body, ready for the next one. */
    public void reset() {
        state = State.SIZE;
        chunkRemaining = 0;
        bodyLength = 0;
        trailerSize = 0;
        trailers = null;
        failure = null;
        lines.reset();
    }
}
