package dev.imperium.zerg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data of the message a zerg server sends with its sockets ({@code SCM_RIGHTS}), as uWSGI 2.0 writes it
 * ({@code core/socket.c uwsgi_manage_zerg}, read by {@code core/io.c uwsgi_attach_fd}): the 10 bytes
 * {@code uwsgi-zerg}, then the number of sockets as a native-endian 32-bit int. Imperium's zerg server adds, after
 * those 14 bytes, {@code imperium-protocols:} and each socket's protocol ({@code http}, {@code uwsgi}...)
 * separated by commas, so that an Imperium zerg knows what each socket speaks; uWSGI's zerg reads only the first 14
 * bytes and ignores the rest. Without that addition (a uWSGI zerg server) every socket speaks {@code uwsgi}, as a
 * uWSGI zerg assumes. Pure: bytes in, bytes out.
 */
public final class ZergWire {
    /** uWSGI's code at the start of the message. */
    static final byte[] CODE = "uwsgi-zerg".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROTOCOLS = "imperium-protocols:".getBytes(StandardCharsets.US_ASCII);
    /** The largest message data read: the header and a protocol name for every socket one message can carry. */
    public static final int MAX_DATA = 4096;

    private ZergWire() {
    }

    /**
     * What a zerg server sent.
     *
     * @param count the number of sockets the header announces
     * @param protocols each socket's protocol wire name, in order ({@code http}, {@code uwsgi}...); empty when the
     *     server did not say (a uWSGI zerg server)
     */
    public record Header(int count, List<String> protocols) {
        /** Copies the list. */
        public Header {
            protocols = List.copyOf(protocols);
        }
    }

    /**
     * Encodes the message data for {@code protocols.size()} sockets.
     *
     * @param protocols each socket's protocol wire name, in the order of the descriptors
     * @return the bytes to send with the descriptors
     */
    public static byte[] encode(List<String> protocols) {
        byte[] names = String.join(",", protocols).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(CODE.length + 4 + PROTOCOLS.length + names.length)
                .order(ByteOrder.nativeOrder());
        b.put(CODE).putInt(protocols.size()).put(PROTOCOLS).put(names);
        return b.array();
    }

    /**
     * Decodes the message data.
     *
     * @param data the bytes received with the descriptors
     * @return the header
     * @throws IllegalArgumentException if the data is not a zerg server's ({@code invalid data received from
     *     zerg-server}, as uWSGI says)
     */
    public static Header decode(byte[] data) {
        if (data.length < CODE.length + 4 || !Arrays.equals(data, 0, CODE.length, CODE, 0, CODE.length)) {
            throw new IllegalArgumentException("invalid data received from zerg-server");
        }
        int count = ByteBuffer.wrap(data, CODE.length, 4).order(ByteOrder.nativeOrder()).getInt();
        if (count < 0) {
            throw new IllegalArgumentException("invalid data received from zerg-server: " + count + " sockets");
        }
        int at = CODE.length + 4;
        List<String> protocols = new ArrayList<>();
        if (data.length >= at + PROTOCOLS.length && Arrays.equals(data, at, at + PROTOCOLS.length, PROTOCOLS, 0,
                PROTOCOLS.length)) {
            String names = new String(data, at + PROTOCOLS.length, data.length - at - PROTOCOLS.length,
                    StandardCharsets.US_ASCII);
            if (!names.isEmpty()) {
                protocols.addAll(List.of(names.split(",", -1)));
            }
            if (protocols.size() != count) {
                throw new IllegalArgumentException("invalid data received from zerg-server: " + count
                        + " sockets but " + protocols.size() + " protocols");
            }
        }
        return new Header(count, protocols);
    }
}
