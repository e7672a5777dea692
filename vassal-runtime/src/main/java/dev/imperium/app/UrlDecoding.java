package dev.imperium.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding (RFC 3986 §2.1) and query parsing as {@code application/x-www-form-urlencoded} (WHATWG URL
 * Standard §5).
 */
final class UrlDecoding {
    private UrlDecoding() {
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8 bytes; with {@code plusIsSpace}, {@code +} is a space. An escape that is
     * not two hex digits is kept as it is; bytes that are not valid UTF-8 become U+FFFD.
     */
    static String decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int high = c == '%' && i + 2 < n ? hex(text.charAt(i + 1)) : -1;
            int low = high >= 0 ? hex(text.charAt(i + 2)) : -1;
            if (low >= 0) {
                bytes.write(high << 4 | low);
                i += 3;
            } else if (plusIsSpace && c == '+') {
                bytes.write(' ');
                i++;
            } else {
                int end = i + 1;
                while (end < n && text.charAt(end) != '%' && !(plusIsSpace && text.charAt(end) == '+')) {
                    end++;
                }
                bytes.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Returns the value of an ASCII hex digit, or -1. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * Parses {@code a=1&b=x+y&a=2} into {@code {a=[1, 2], b=[x y]}}, in order of first appearance. A pair without
     * {@code =} has the value {@code ""}; empty pairs are skipped.
     */
    static Map<String, List<String>> parseForm(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }
}
