package dev.imperium.jwsgi;

/** Checks response header fields an app supplies, so that nothing malformed or injected reaches the wire. */
final class HeaderRules {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HeaderRules() {
    }

    /** A field name must be a non-empty token (RFC 9110 §5.1, §5.6.2). */
    static void checkName(String name) throws InvalidResponseException {
        if (name.isEmpty()) {
            throw new InvalidResponseException("invalid JWSGI response: empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || TCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                throw new InvalidResponseException("invalid JWSGI response: header name '" + name
                        + "' holds a character not allowed in a field name (RFC 9110 §5.6.2)");
            }
        }
    }

    /** A field value must not hold CR, LF or NUL (RFC 9110 §5.5): they would split or corrupt the response. */
    static void checkValue(String name, String value) throws InvalidResponseException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new InvalidResponseException("invalid JWSGI response: the value of header " + name
                        + " holds CR, LF or NUL");
            }
        }
    }

    /**
     * Parses an app-set {@code Content-Length} (RFC 9110 §8.6): digits only; a repeated field must repeat the same
     * value.
     *
     * @param value the field value
     * @param previous the value seen before, or -1
     * @return the length
     * @throws InvalidResponseException if it is not a non-negative integer, or disagrees with {@code previous}
     */
    static long contentLength(String value, long previous) throws InvalidResponseException {
        String digits = value.strip();
        long length;
        try {
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(digits);
            }
            length = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new InvalidResponseException("invalid JWSGI response: Content-Length '" + value
                    + "' is not a non-negative integer");
        }
        if (previous >= 0 && previous != length) {
            throw new InvalidResponseException("invalid JWSGI response: two different Content-Length values, "
                    + previous + " and " + length);
        }
        return length;
    }
}
