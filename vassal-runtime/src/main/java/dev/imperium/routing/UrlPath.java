package dev.imperium.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the path of a {@code rewrite} target into {@code PATH_INFO} as uWSGI's {@code http_url_decode}
 * ({@code core/utils.c}) does: the text stops at {@code #}; {@code .} and {@code ..} segments (written as dots, not
 * percent-encoded) are removed, {@code ..} with the segment before it but never above the root; repeated slashes
 * become one; then each {@code %XX} is decoded. A path ending in a slash, {@code /.} or {@code /..} keeps a trailing
 * slash. The bytes are read as UTF-8, or as ISO-8859-1 when they are not UTF-8. A {@code %} not followed by two hex
 * digits stays as it is.
 */
final class UrlPath {
    private UrlPath() {
    }

    /** Decodes and normalizes {@code raw}. */
    static String decode(String raw) {
        int hash = raw.indexOf('#');
        String text = hash < 0 ? raw : raw.substring(0, hash);
        if (text.isEmpty()) {
            return "";
        }
        boolean absolute = text.startsWith("/");
        List<String> segments = new ArrayList<>();
        String[] parts = text.split("/", -1);
        boolean trailingSlash = false;
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i];
            boolean last = i == parts.length - 1;
            if (s.isEmpty() || s.equals(".")) {
                trailingSlash = last && i > 0;
                continue;
            }
            if (s.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.removeLast();
                }
                trailingSlash = last;
                continue;
            }
            trailingSlash = false;
            segments.add(s);
        }
        StringBuilder path = new StringBuilder(text.length());
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0 || absolute) {
                path.append('/');
            }
            path.append(segments.get(i));
        }
        if (trailingSlash || absolute && segments.isEmpty()) {
            path.append('/');
        }
        return percentDecode(path.toString());
    }

    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int b = in[i];
            if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        byte[] bytes = out.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
