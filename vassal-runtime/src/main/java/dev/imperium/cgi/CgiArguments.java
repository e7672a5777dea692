package dev.imperium.cgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments of a CGI script (RFC 3875 §4.4): a query string without an unencoded {@code =} is an
 * "indexed" query; its {@code +}-separated words, percent-decoded, become the arguments. Pure.
 *
 * <p>uWSGI does the same, but also puts a backslash before shell characters ({@code ;}, {@code $}, quotes ...) of
 * each word, although no shell reads them; Imperium passes the words as the client wrote them. Empty words are
 * skipped, as uWSGI skips them; a word that decodes to a NUL byte cannot be an argument, so then there are none
 * (RFC 3875 §4.4).
 */
public final class CgiArguments {
    private CgiArguments() {
    }

    /**
     * Returns the arguments for a query.
     *
     * @param query the query string, without {@code ?}, not decoded, one char per byte as received
     * @return the arguments, empty when the query holds a {@code =} or is empty
     */
    public static List<String> of(String query) {
        if (query == null || query.isEmpty() || query.indexOf('=') >= 0) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        for (String word : query.split("\\+")) {
            if (word.isEmpty()) {
                continue;
            }
            String decoded = decode(word);
            if (decoded.indexOf('\0') >= 0) {
                return List.of();
            }
            args.add(decoded);
        }
        return List.copyOf(args);
    }

    /** {@code %XX} to its byte, the bytes read as UTF-8; a {@code %} not followed by two hex digits stays. */
    static String decode(String word) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(word.length());
        byte[] raw = word.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < raw.length; i++) {
            int hi;
            int lo;
            if (raw[i] == '%' && i + 2 < raw.length && (hi = hex(raw[i + 1])) >= 0 && (lo = hex(raw[i + 2])) >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
