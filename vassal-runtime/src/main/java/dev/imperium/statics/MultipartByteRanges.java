package dev.imperium.statics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The layout of a {@code multipart/byteranges} body (RFC 9110 §14.6): for each range a part head (boundary
 * delimiter, {@code Content-Type} when known, {@code Content-Range}), the range's bytes, and after the last part the
 * close delimiter. Pure; immutable.
 *
 * <pre>
 * --BOUNDARY CRLF
 * Content-Type: text/plain CRLF
 * Content-Range: bytes 0-4/33 CRLF
 * CRLF
 * (bytes 0-4) CRLF
 * --BOUNDARY CRLF
 * ...
 * (bytes 28-32) CRLF
 * --BOUNDARY-- CRLF
 * </pre>
 */
final class MultipartByteRanges {
    private final String boundary;
    private final List<ByteRanges.Range> ranges;
    private final List<byte[]> heads;
    private final byte[] tail;
    private final long length;

    /**
     * @param ranges the ranges, in the order to send them
     * @param contentType the representation's type, or null to send parts without one
     * @param total the representation's length, for {@code Content-Range}
     * @param boundary the boundary: 1 to 70 characters that occur in no part ({@link #newBoundary()})
     */
    MultipartByteRanges(List<ByteRanges.Range> ranges, String contentType, long total, String boundary) {
        this.boundary = boundary;
        this.ranges = List.copyOf(ranges);
        this.heads = new ArrayList<>(ranges.size());
        long sum = 0;
        for (int i = 0; i < ranges.size(); i++) {
            ByteRanges.Range range = ranges.get(i);
            StringBuilder head = new StringBuilder(96);
            if (i > 0) {
                head.append("\r\n");
            }
            head.append("--").append(boundary).append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Range: ").append(contentRange(range, total)).append("\r\n\r\n");
            byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            heads.add(bytes);
            sum += bytes.length + range.length();
        }
        this.tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.length = sum + tail.length;
    }

    /** Returns a fresh boundary: 24 random hexadecimal digits after a fixed prefix. */
    static String newBoundary() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "imperium-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE).substring(0, 12)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE).substring(0, 12);
    }

    /** Returns {@code bytes FIRST-LAST/TOTAL}, the {@code Content-Range} of one range (RFC 9110 §14.4). */
    static String contentRange(ByteRanges.Range range, long total) {
        return "bytes " + range.first() + "-" + range.last() + "/" + total;
    }

    /** Returns the response's {@code Content-Type}. */
    String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /** Returns the body's exact length in bytes. */
    long length() {
        return length;
    }

    /** Returns the number of parts. */
    int parts() {
        return ranges.size();
    }

    /** Returns part {@code i}'s range. */
    ByteRanges.Range range(int i) {
        return ranges.get(i);
    }

    /** Returns what goes before part {@code i}'s bytes (the CRLF ending the previous part, delimiter, fields). */
    byte[] head(int i) {
        return heads.get(i).clone();
    }

    /** Returns what follows the last part's bytes: CRLF and the close delimiter. */
    byte[] tail() {
        return tail.clone();
    }
}
