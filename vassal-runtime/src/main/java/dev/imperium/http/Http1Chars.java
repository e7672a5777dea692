package dev.imperium.http;

import java.nio.charset.StandardCharsets;

/** Character classes of RFC 9110 §5.6 and RFC 9112, on bytes. */
final class Http1Chars {
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Http1Chars() {
    }

    /** Returns true for a tchar, the characters of a token (RFC 9110 §5.6.2). */
    static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /** Returns true for SP or HTAB, the characters of OWS (RFC 9110 §5.6.3). */
    static boolean isWhitespace(int b) {
        return b == ' ' || b == '\t';
    }

    /** Returns the value of a hex digit, or -1. */
    static int hexValue(int b) {
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

    /** Returns bytes {@code [from, to)} as a String, one char per byte (ISO-8859-1, lossless). */
    static String latin1(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Returns the index of the first {@code b} in {@code [from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, int b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Returns true if bytes {@code [from, to)} equal the ASCII string {@code s}, ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] bytes, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            int a = bytes[from + i] & 0xFF;
            int c = s.charAt(i);
            if (a != c && (a | 0x20) != (c | 0x20) || a != c && !isLetter(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
