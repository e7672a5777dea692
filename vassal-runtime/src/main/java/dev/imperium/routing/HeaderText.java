package dev.imperium.routing;

import dev.imperium.http.FieldTokens;
import dev.imperium.jwsgi.ByteText;

/**
 * Makes text from a template safe for a response header field: UTF-8 bytes as one char per byte, and control
 * characters (CR, LF, NUL, ...) percent-encoded, so a value built from the request (a path captured by {@code $1})
 * can never end the field or start another. uWSGI writes the bytes as they are.
 */
final class HeaderText {
    private HeaderText() {
    }

    /** Returns {@code text} as a field value. */
    static String value(String text) {
        String wire = ByteText.toWire(text);
        StringBuilder out = null;
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            boolean bad = c < 0x20 && c != '\t' || c == 0x7F;
            if (bad && out == null) {
                out = new StringBuilder(wire.length() + 8).append(wire, 0, i);
            }
            if (out != null) {
                if (bad) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? wire : out.toString();
    }

    /**
     * Splits an {@code addheader} line, {@code Name: value}.
     *
     * @return the name and the value (trimmed, made safe), or null if there is no token before a {@code :}
     */
    static String[] field(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String name = line.substring(0, colon).strip();
        if (!FieldTokens.isToken(name)) {
            return null;
        }
        return new String[] {name, value(line.substring(colon + 1).strip())};
    }
}
