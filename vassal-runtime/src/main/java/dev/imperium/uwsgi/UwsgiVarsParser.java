package dev.imperium.uwsgi;

import java.nio.ByteBuffer;

/**
 * Parses the vars block of a uwsgi request: a sequence of (u16 little-endian key size, key bytes, u16 little-endian
 * value size, value bytes) filling the block exactly (uwsgi-docs "The uwsgi protocol"; uWSGI 2.0
 * {@code uwsgi_parse_vars}).
 *
 * <p>Rules, as uWSGI applies them: a key is never empty (an empty one refuses the request: {@code uwsgi key cannot be
 * null}); a value may be empty, also at the very end; a size running past the block, or bytes left over that cannot
 * hold a key size, refuse the request; more than {@code maxVars} vars refuse it ({@code max-vars}, default 64).
 * Stateless and thread-safe.
 */
public final class UwsgiVarsParser {
    /** uWSGI's default {@code max-vars}: 64. */
    public static final int DEFAULT_MAX_VARS = 64;

    private UwsgiVarsParser() {
    }

    /**
     * Parses a whole vars block: the bytes from {@code block}'s position to its limit. Does not move the buffer's
     * position.
     *
     * @param block the vars block (exactly {@link UwsgiHeader#dataSize()} bytes)
     * @param maxVars the most vars accepted (uWSGI's {@code max-vars})
     * @return the vars, in arrival order
     * @throws UwsgiProtocolException if the block breaks a rule above
     */
    public static UwsgiVars parse(ByteBuffer block, int maxVars) throws UwsgiProtocolException {
        int pos = block.position();
        int end = block.limit();
        int capacity = Math.min(maxVars, Math.max(1, (end - pos) / 5)); // a var takes 5 bytes at least
        String[] names = new String[capacity];
        String[] values = new String[capacity];
        int count = 0;
        while (pos < end) {
            if (end - pos < 2) {
                throw new UwsgiProtocolException("invalid uwsgi request: " + (end - pos)
                        + " byte(s) after the last var. skip.");
            }
            int keySize = u16(block, pos);
            pos += 2;
            if (keySize == 0) {
                throw new UwsgiProtocolException("uwsgi key cannot be null. skip this request.");
            }
            // the key must leave room for the value's size
            if (end - pos < keySize + 2) {
                throw new UwsgiProtocolException("invalid uwsgi request (current strsize: " + keySize + "). skip.");
            }
            String name = text(block, pos, keySize);
            pos += keySize;
            int valueSize = u16(block, pos);
            pos += 2;
            if (end - pos < valueSize) {
                throw new UwsgiProtocolException("invalid uwsgi request (current strsize: " + valueSize + "). skip.");
            }
            if (count == maxVars) {
                throw new UwsgiProtocolException("max vec size reached. skip this request. (max-vars " + maxVars
                        + ")");
            }
            if (count == names.length) {
                int grown = Math.min(maxVars, names.length * 2);
                names = java.util.Arrays.copyOf(names, grown);
                values = java.util.Arrays.copyOf(values, grown);
            }
            names[count] = name;
            values[count] = text(block, pos, valueSize);
            count++;
            pos += valueSize;
        }
        return new UwsgiVars(names, values, count);
    }

    private static int u16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8;
    }

    private static String text(ByteBuffer b, int at, int length) {
        return UwsgiVars.text(b, at, length);
    }
}
