package dev.imperium.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines ending in LF, resumably: a line split across several buffers is kept until its LF
 * arrives. A line wholly inside one buffer is not copied.
 *
 * <p>After {@link #next} returns {@link #LINE}, {@link #bytes()}, {@link #start()} and {@link #end()} describe the
 * line without its terminator (the CR of a CRLF is removed; {@link #bareLf()} tells whether it was missing); they stay
 * valid until the next call. Not thread-safe.
 */
final class LineReader {
    /** A complete line is available. */
    static final int LINE = 1;
    /** Every byte was taken; the line is not complete yet. */
    static final int NEED_MORE = 0;
    /** The line is longer than the allowed size. */
    static final int TOO_LONG = -1;

    private byte[] partial = new byte[0];
    private int partialLength;

    private byte[] lineBytes;
    private int lineStart;
    private int lineEnd;
    private int lineSize;
    private boolean bareLf;

    /**
     * Takes bytes from {@code src} up to and including the next LF.
     *
     * @param src a heap buffer; its position advances over the bytes taken
     * @param max the largest allowed line size in bytes, terminator included
     * @return {@link #LINE}, {@link #NEED_MORE} (src is empty now) or {@link #TOO_LONG} (src is left where it was)
     */
    int next(ByteBuffer src, int max) {
        byte[] a = src.array();
        int base = src.arrayOffset();
        int from = base + src.position();
        int limit = base + src.limit();
        int allowance = Math.max(0, max - partialLength);
        int scanLimit = (int) Math.min(limit, (long) from + allowance);
        int lf = Http1Chars.indexOf(a, from, scanLimit, '\n');
        if (lf < 0) {
            if (limit > scanLimit) {
                return TOO_LONG;
            }
            append(a, from, limit);
            src.position(limit - base);
            return NEED_MORE;
        }
        if (partialLength == 0) {
            lineBytes = a;
            lineStart = from;
            lineEnd = lf;
        } else {
            append(a, from, lf);
            lineBytes = partial;
            lineStart = 0;
            lineEnd = partialLength;
        }
        lineSize = lineEnd - lineStart + 1;
        partialLength = 0;
        if (lineEnd > lineStart && lineBytes[lineEnd - 1] == '\r') {
            lineEnd--;
            bareLf = false;
        } else {
            bareLf = true;
        }
        src.position(lf + 1 - base);
        return LINE;
    }

    /** Returns how many bytes of an unfinished line are held. */
    int pending() {
        return partialLength;
    }

    /** Returns the array holding the last line. */
    byte[] bytes() {
        return lineBytes;
    }

    /** Returns the index of the last line's first byte. */
    int start() {
        return lineStart;
    }

    /** Returns the index after the last line's last byte (terminator excluded). */
    int end() {
        return lineEnd;
    }

    /** Returns the last line's size on the wire, terminator included. */
    int size() {
        return lineSize;
    }

    /** Returns true if the last line ended in a bare LF instead of CRLF. */
    boolean bareLf() {
        return bareLf;
    }

    /** Forgets any unfinished line. */
    void reset() {
        partialLength = 0;
        lineBytes = null;
    }

    private void append(byte[] a, int from, int to) {
        int n = to - from;
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partialLength + n, Math.max(64, partial.length * 2)));
        }
        System.arraycopy(a, from, partial, partialLength, n);
        partialLength += n;
    }
}
