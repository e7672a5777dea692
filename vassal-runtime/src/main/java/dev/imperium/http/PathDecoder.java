package dev.imperium.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decodes the path of a request-target into CGI's {@code PATH_INFO} (RFC 3986 §2.1).
 *
 * <p>The decoded bytes must be UTF-8. Rejected with 400: a {@code %} not followed by two hex digits, a decoded NUL,
 * and bytes that are not UTF-8 (so two different targets never decode to the same path by replacement). {@code +}
 * stays {@code +}; {@code %2F} becomes {@code /}; dot-segments are not removed (that is the file mapper's job).
 */
public final class PathDecoder {
    private PathDecoder() {
    }

    /**
     * Decodes {@code bytes[from, to)}.
     *
     * @throws HttpProtocolException 400 for the cases above
     */
    public static String decode(byte[] bytes, int from, int to) throws HttpProtocolException {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (b == '%' || b < 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return Http1Chars.latin1(bytes, from, to);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (b == '%') {
                int hi = i + 2 < to ? Http1Chars.hexValue(bytes[i + 1]) : -1;
                int lo = hi >= 0 ? Http1Chars.hexValue(bytes[i + 2]) : -1;
                if (lo < 0) {
                    throw new HttpProtocolException(400, "invalid percent-encoding in path");
                }
                b = hi << 4 | lo;
                if (b == 0) {
                    throw new HttpProtocolException(400, "NUL in path");
                }
                i += 2;
            }
            out[n++] = (byte) b;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HttpProtocolException(400, "path is not UTF-8");
        }
    }
}
