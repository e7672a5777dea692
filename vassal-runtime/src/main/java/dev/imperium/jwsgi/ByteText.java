package dev.imperium.jwsgi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Converts between the protocol layer's header text, one char per byte (ISO-8859-1, RFC 9110 §5.5), and the Java
 * strings uWSGI's JVM plugin exchanges with apps, which are the same bytes read or written as UTF-8
 * ({@code NewStringUTF}, {@code GetStringUTFChars}). ASCII passes through unchanged either way. Shared by the
 * JWSGI and typed-API adapters so that both see header text the same way. Thread-safe.
 */
public final class ByteText {
    private ByteText() {
    }

    /**
     * Reads one-char-per-byte text as UTF-8 when its bytes are valid UTF-8; otherwise (or if it holds a char above
     * U+00FF, so it was never byte text) returns it unchanged.
     *
     * @param wire text as the protocol layer decoded it
     * @return the text as an app should see it
     */
    public static String fromWire(String wire) {
        if (isAscii(wire)) {
            return wire;
        }
        for (int i = 0; i < wire.length(); i++) {
            if (wire.charAt(i) > 0xFF) {
                return wire;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return wire;
        }
    }

    /**
     * Returns the UTF-8 bytes of {@code text} as one char per byte, ready for the protocol layer to send.
     *
     * @param text a header value as an app gave it
     * @return the same text for the wire
     */
    public static String toWire(String text) {
        return isAscii(text) ? text : new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
