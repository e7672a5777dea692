package dev.imperium.cgi;

import java.nio.charset.StandardCharsets;

/** Percent-encodes a decoded path for a {@code Location} field (RFC 3986 §3.3). */
final class PathText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathText() {
    }

    /**
     * Encodes every byte of {@code path}'s UTF-8 form that may not stand in a path segment as {@code %XX};
     * unreserved characters, sub-delims, {@code :}, {@code @} and {@code /} stay as they are.
     */
    static String encode(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (plain(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }
}
