package dev.imperium.http;

/**
 * Checks {@code uri-host [ ":" port ]} (RFC 3986 §3.2), the value of {@code Host} (RFC 9110 §7.2) and the authority
 * of absolute-form and authority-form targets.
 *
 * <p>Accepted hosts: an IP-literal in brackets (hex digits, {@code :}, {@code .}, and unreserved or sub-delims for
 * zone ids and IPvFuture), or a reg-name / IPv4 address made of unreserved, sub-delims and valid percent-encodings.
 * The port is up to 5 digits. Userinfo ({@code user@}) is refused (RFC 9110 §4.2.4).
 */
final class Authority {
    private static final boolean[] REG_NAME = new boolean[256];
    private static final boolean[] IP_LITERAL = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            REG_NAME[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            REG_NAME[c] = true;
            REG_NAME[c - 'a' + 'A'] = true;
        }
        for (char c : "-._~!$&'()*+,;=".toCharArray()) {
            REG_NAME[c] = true;
        }
        System.arraycopy(REG_NAME, 0, IP_LITERAL, 0, 256);
        IP_LITERAL[':'] = true;
    }

    private Authority() {
    }

    /**
     * Returns true if {@code bytes[from, to)} is a valid authority.
     *
     * @param portRequired true for authority-form, whose port is mandatory (RFC 9112 §3.2.3)
     * @param emptyAllowed true for a Host field, which may be empty (RFC 9110 §7.2)
     */
    static boolean isValid(byte[] bytes, int from, int to, boolean portRequired, boolean emptyAllowed) {
        if (from == to) {
            return emptyAllowed && !portRequired;
        }
        int i = from;
        if (bytes[i] == '[') {
            int close = Http1Chars.indexOf(bytes, i, to, ']');
            if (close < 0 || close == i + 1) {
                return false;
            }
            for (int j = i + 1; j < close; j++) {
                if (!IP_LITERAL[bytes[j] & 0xFF]) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < to && bytes[i] != ':') {
                int b = bytes[i] & 0xFF;
                if (b == '%') {
                    if (i + 2 >= to || Http1Chars.hexValue(bytes[i + 1]) < 0 || Http1Chars.hexValue(bytes[i + 2]) < 0) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                if (!REG_NAME[b]) {
                    return false;
                }
                i++;
            }
            if (i == from) {
                return false;
            }
        }
        if (i == to) {
            return !portRequired;
        }
        if (bytes[i] != ':') {
            return false;
        }
        int digits = to - i - 1;
        if (digits > 5 || (portRequired && digits == 0)) {
            return false;
        }
        for (int j = i + 1; j < to; j++) {
            if (bytes[j] < '0' || bytes[j] > '9') {
                return false;
            }
        }
        return true;
    }
}
