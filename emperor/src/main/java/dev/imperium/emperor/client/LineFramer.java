package dev.imperium.emperor.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into {@code \n}-terminated UTF-8 lines, the framing of the client control protocol. Pure: feed
 * it what was read, get the complete lines back; a partial line waits for the next bytes. Not thread-safe.
 */
public final class LineFramer {
    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /**
     * Creates a framer.
     *
     * @param maxLineBytes the longest line accepted, terminator excluded
     */
    public LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Adds bytes; returns the lines they complete, without terminators (a {@code \r} before the {@code \n} is
     * dropped too).
     *
     * @param bytes the buffer
     * @param offset where the new bytes start
     * @param length how many there are
     * @return the complete lines, in order (often none or one)
     * @throws ProtocolException if a line is longer than the limit
     */
    public List<String> feed(byte[] bytes, int offset, int length) throws ProtocolException {
        List<String> lines = new ArrayList<>(1);
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start);
                byte[] line = partial.toByteArray();
                partial.reset();
                int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                lines.add(new String(line, 0, n, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
        return lines;
    }

    private void append(byte[] bytes, int offset, int length) throws ProtocolException {
        if (partial.size() + length > maxLineBytes) {
            partial.reset();
            throw new ProtocolException("a message is longer than " + maxLineBytes + " bytes");
        }
        partial.write(bytes, offset, length);
    }

    /** Returns whether bytes of an unfinished line are waiting. */
    public boolean hasPartialLine() {
        return partial.size() > 0;
    }
}
