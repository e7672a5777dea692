package dev.imperium.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One message on an Imperium control channel (emperor to vassal, master to worker).
 *
 * <p>On the wire a frame is {@code [u8 type][u16 little-endian payload length][payload]}, the same header shape as
 * a uwsgi packet (uwsgi-docs "The uwsgi protocol"). Types below 64 reuse the numbers of uWSGI's emperor protocol
 * (uwsgi-docs "EmperorProtocol"): 0 stop, 1 reload, 2 graceful stop, 5 accepting, 17 loyal, 22 voluntary shutdown,
 * 30 SOS; the heartbeat is Imperium's 36 (uWSGI's is 26).
 *
 * @param type the message type, 0..255
 * @param payload the payload, at most {@link #MAX_PAYLOAD} bytes; never null
 */
public record Frame(int type, byte[] payload) {
    /** Largest payload a frame can carry, in bytes. */
    public static final int MAX_PAYLOAD = 0xFFFF;
    /** Size of the frame header, in bytes. */
    public static final int HEADER = 3;

    private static final byte[] EMPTY = new byte[0];

    /**
     * Checks the type and payload size.
     *
     * @throws IllegalArgumentException if the type is outside 0..255 or the payload exceeds {@link #MAX_PAYLOAD}
     */
    public Frame {
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("frame type out of range: " + type);
        }
        if (payload == null) {
            payload = EMPTY;
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("frame payload too large: " + payload.length + " bytes");
        }
    }

    /** Returns a frame with no payload. */
    public static Frame of(int type) {
        return new Frame(type, EMPTY);
    }

    /**
     * Returns a frame carrying {@code text} in UTF-8, cut to {@link #MAX_PAYLOAD} bytes if longer.
     */
    public static Frame of(int type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PAYLOAD) {
            bytes = Arrays.copyOf(bytes, MAX_PAYLOAD);
        }
        return new Frame(type, bytes);
    }

    /** Returns the payload decoded as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Returns the frame as bytes on the wire. */
    public byte[] encode() {
        byte[] out = new byte[HEADER + payload.length];
        out[0] = (byte) type;
        out[1] = (byte) payload.length;
        out[2] = (byte) (payload.length >>> 8);
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frame[type=" + type + ", " + payload.length + " bytes]";
    }
}
