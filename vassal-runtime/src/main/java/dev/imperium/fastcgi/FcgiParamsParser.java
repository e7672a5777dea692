package dev.imperium.fastcgi;

import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;

/**
 * Parses a whole FastCGI params stream, the contents of a request's PARAMS records put end to end (FastCGI
 * Specification 1.0, section 5.2), into the same {@link UwsgiVars} a uwsgi request yields. The stream is a sequence
 * of name-value pairs (section 3.4): the name's length, the value's length, the name, the value; a length below 128
 * takes one byte, any other four bytes, big-endian, with the high bit of the first set (and cleared to read it).
 * Names and values are decoded as ISO-8859-1, one char per byte, like {@link dev.imperium.uwsgi.UwsgiVarsParser}.
 *
 * <p>Rules, following uWSGI 2.0 ({@code proto/fastcgi.c} {@code fastcgi_to_uwsgi}, then {@code core/protocol.c}
 * {@code uwsgi_parse_vars}): a stream of more than {@code maxSize} bytes is refused (uWSGI's {@code buffer-size});
 * a length, name or value running past the end of the stream is refused; a name or value over 65535 bytes is refused
 * (uWSGI re-encodes params as uwsgi vars, whose sizes are 16-bit); an empty name is refused; more than
 * {@code maxParams} pairs are refused ({@code max-vars}). Lenient where uWSGI is and it does no harm: a short length
 * sent in the four-byte form, a NUL byte inside a value (section 6.1 says textual values hold none) and a repeated
 * name are all accepted; as in the uwsgi vars, the last of a repeated name counts.
 *
 * <p>One difference in accounting: uWSGI counts the params against {@code buffer-size} as it re-encodes them (4 bytes
 * of sizes per pair, plus names and values, refused when the block would reach {@code buffer-size}); this parser
 * counts the FastCGI bytes themselves (2 to 8 bytes of lengths per pair), so that the limit can be checked on the
 * records as they arrive ({@link FcgiParamsAccumulator}). For the short names web servers send the two agree within
 * a few bytes per pair. Stateless and thread-safe.
 */
public final class FcgiParamsParser {
    /** The longest name or value accepted: 65535 bytes, the largest a uwsgi var can hold. */
    public static final int MAX_LENGTH = 0xFFFF;

    private FcgiParamsParser() {
    }

    /**
     * Parses a whole params stream: the bytes from {@code stream}'s position to its limit. Does not move the buffer's
     * position. Also reads the content of an {@code FCGI_GET_VALUES} record (section 4.1: names with empty values).
     *
     * @param stream the concatenated contents of the PARAMS records, without the record headers and padding
     * @param maxParams the most pairs accepted (uWSGI's {@code max-vars}, default
     *     {@link dev.imperium.uwsgi.UwsgiVarsParser#DEFAULT_MAX_VARS})
     * @param maxSize the largest stream accepted, in bytes (uWSGI's {@code buffer-size}, default 4096)
     * @return the pairs, in arrival order
     * @throws FcgiProtocolException if the stream breaks a rule above
     */
    public static UwsgiVars parse(ByteBuffer stream, int maxParams, int maxSize) throws FcgiProtocolException {
        int start = stream.position();
        int end = stream.limit();
        int size = end - start;
        if (size > maxSize) {
            throw new FcgiProtocolException("FastCGI params stream over buffer-size: " + size + " bytes (max "
                    + maxSize + ")");
        }
        int capacity = Math.max(1, Math.min(maxParams, size / 3)); // a pair takes 3 bytes at least
        String[] names = new String[capacity];
        String[] values = new String[capacity];
        int count = 0;
        int pos = start;
        while (pos < end) {
            int pairStart = pos - start;
            int nameLength = stream.get(pos);
            if (nameLength < 0) {
                if (end - pos < 4) {
                    throw truncatedLength(pairStart, size);
                }
                nameLength = stream.get(pos) << 24 & 0x7F000000 | (stream.get(pos + 1) & 0xFF) << 16
                        | (stream.get(pos + 2) & 0xFF) << 8 | (stream.get(pos + 3) & 0xFF);
                pos += 4;
            } else {
                pos++;
            }
            if (pos == end) {
                throw truncatedLength(pairStart, size);
            }
            int valueLength = stream.get(pos);
            if (valueLength < 0) {
                if (end - pos < 4) {
                    throw truncatedLength(pairStart, size);
                }
                valueLength = stream.get(pos) << 24 & 0x7F000000 | (stream.get(pos + 1) & 0xFF) << 16
                        | (stream.get(pos + 2) & 0xFF) << 8 | (stream.get(pos + 3) & 0xFF);
                pos += 4;
            } else {
                pos++;
            }
            if (nameLength == 0) {
                throw new FcgiProtocolException("FastCGI param with an empty name (at byte " + pairStart + ")");
            }
            if (nameLength > MAX_LENGTH || valueLength > MAX_LENGTH) {
                throw new FcgiProtocolException("FastCGI param over 65535 bytes (at byte " + pairStart + ")");
            }
            if (nameLength + valueLength > end - pos) { // both at most 65535: no overflow
                throw new FcgiProtocolException("FastCGI params stream truncated in a name or value (at byte "
                        + pairStart + " of " + size + ")");
            }
            if (count == maxParams) {
                throw new FcgiProtocolException("too many FastCGI params (max-vars " + maxParams + ")");
            }
            if (count == names.length) {
                int grown = Math.min(maxParams, names.length * 2);
                names = java.util.Arrays.copyOf(names, grown);
                values = java.util.Arrays.copyOf(values, grown);
            }
            names[count] = text(stream, pos, nameLength);
            pos += nameLength;
            values[count] = text(stream, pos, valueLength);
            pos += valueLength;
            count++;
        }
        return UwsgiVars.of(names, values, count);
    }

    private static FcgiProtocolException truncatedLength(int pairStart, int size) {
        return new FcgiProtocolException("FastCGI params stream truncated in a length (at byte " + pairStart + " of "
                + size + ")");
    }

    private static String text(ByteBuffer b, int at, int length) {
        return UwsgiVars.text(b, at, length);
    }
}
