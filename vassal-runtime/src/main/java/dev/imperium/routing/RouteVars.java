package dev.imperium.routing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * uWSGI 2.0's routing variables, {@code ${name[arg]}} (uwsgi-docs "InternalRouting", "Pluggable routing variables";
 * {@code core/routing.c}, {@code core/querystring.c}, {@code core/cookie.c}): the pure parts. The values that need
 * the request or the worker are computed by {@link RouteState}.
 */
public final class RouteVars {
    /** The routing variables Imperium knows. */
    public enum Kind {
        /** {@code ${cookie[name]}}: the value of a cookie of the request. */
        COOKIE("cookie"),
        /** {@code ${qs[name]}}: the value of a query string item, not decoded. */
        QS("qs"),
        /** {@code ${mime[VAR]}}: the MIME type of the file name held by request variable VAR. */
        MIME("mime"),
        /** {@code ${uwsgi[wid|pid|uuid|status|rtime|rsize|sor]}}: worker and request facts. */
        UWSGI("uwsgi"),
        /** {@code ${time[unix|micros]}}: the current time. */
        TIME("time"),
        /** {@code ${httptime[seconds]}}: an HTTP date, now plus the given seconds. */
        HTTPTIME("httptime"),
        /** {@code ${base64[VAR]}}: request variable VAR in base64. */
        BASE64("base64"),
        /** {@code ${hex[VAR]}}: request variable VAR in hexadecimal. */
        HEX("hex");

        private final String name;

        Kind(String name) {
            this.name = name;
        }

        /** Returns the kind called {@code name}, or null. */
        static Kind named(String name) {
            for (Kind k : values()) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    private RouteVars() {
    }

    /**
     * Returns the first {@code key=value} item of a query string whose key is {@code key} and whose value is not
     * empty, as uWSGI's {@code uwsgi_get_qs}: items are split at {@code &}, nothing is decoded.
     *
     * @param query the query string, without {@code ?}
     * @param key the item's key
     * @return the value, or null
     */
    public static String queryItem(String query, String key) {
        return item(query, key, '&', false);
    }

    /**
     * Returns the value of cookie {@code name} in a {@code Cookie} header value, as uWSGI's {@code uwsgi_get_cookie}:
     * pairs split at {@code ;}, each trimmed of white space; the first pair with that name and a non-empty value.
     *
     * @param header the {@code Cookie} header value (several joined with {@code ", "} count as one)
     * @param name the cookie's name
     * @return the value, or null
     */
    public static String cookie(String header, String name) {
        return item(header, name, ';', true);
    }

    private static String item(String text, String key, char separator, boolean trim) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf(separator, start);
            if (end < 0) {
                end = text.length();
            }
            int from = start;
            int to = end;
            if (trim) {
                while (from < to && Character.isWhitespace(text.charAt(from))) {
                    from++;
                }
                while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
                    to--;
                }
            }
            int eq = text.indexOf('=', from);
            if (eq >= 0 && eq < to && eq - from == key.length() && text.startsWith(key, from) && eq + 1 < to) {
                return text.substring(eq + 1, to);
            }
            start = end + 1;
        }
        return null;
    }

    /** Returns the UTF-8 bytes of {@code value} in standard base64 with padding ({@code ${base64[...]}}). */
    public static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the UTF-8 bytes of {@code value} in upper-case hexadecimal ({@code ${hex[...]}}). */
    public static String hex(String value) {
        return HexFormat.of().withUpperCase().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a number as C's {@code strtol(s, NULL, 10)}: leading white space, an optional sign, then digits up to the
     * first other character; 0 when there are none; clamped to the range of {@code long}.
     */
    public static long strtol(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
