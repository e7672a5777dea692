package dev.imperium.http;

import java.util.ArrayList;
import java.util.List;

/** Reads comma-separated lists from field values (RFC 9110 §5.6.1). */
public final class FieldTokens {
    private FieldTokens() {
    }

    /**
     * Returns true if {@code s} is a token (RFC 9110 §5.6.2): one or more tchars, e.g. a field name or a transfer
     * coding.
     */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !Http1Chars.isTchar(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns true if any field named {@code name} lists {@code token}, ignoring ASCII case and OWS; parameters after
     * {@code ;} are ignored. Example: {@code Connection: keep-alive, Upgrade} contains {@code upgrade}.
     */
    public static boolean contains(HttpFields fields, String name, String token) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.name(i).equalsIgnoreCase(name) && listContains(fields.value(i), token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the members of every field named {@code name}, in order, trimmed of OWS; empty members are kept as "".
     */
    public static List<String> members(HttpFields fields, String name) {
        List<String> members = new ArrayList<>(2);
        for (int i = 0; i < fields.size(); i++) {
            if (fields.name(i).equalsIgnoreCase(name)) {
                String value = fields.value(i);
                int start = 0;
                while (true) {
                    int comma = value.indexOf(',', start);
                    int end = comma < 0 ? value.length() : comma;
                    members.add(trim(value, start, end));
                    if (comma < 0) {
                        break;
                    }
                    start = comma + 1;
                }
            }
        }
        return members;
    }

    private static boolean listContains(String value, String token) {
        int start = 0;
        int length = value.length();
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int semicolon = value.indexOf(';', start);
            int memberEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            String member = trim(value, start, memberEnd);
            if (member.equalsIgnoreCase(token)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }

    private static String trim(String s, int start, int end) {
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
