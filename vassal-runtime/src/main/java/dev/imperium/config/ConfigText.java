package dev.imperium.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns a config file's bytes into text, refusing what is no config text (issue 8, bad configs): bytes that are not
 * UTF-8, NUL and other control characters (a tab and a carriage return are fine), and lines longer than
 * {@link #MAX_LINE} characters. Only the first such problem is reported, with its line and column, so that a file of
 * binary junk gives one clear line. In an ini file, comment lines ({@code ;} or {@code #}) may hold anything: invalid
 * UTF-8 there is read as ISO-8859-1 with a warning, as before. A UTF-8 byte order mark is skipped. Pure.
 */
final class ConfigText {
    /** The longest line, in characters. */
    static final int MAX_LINE = 64 * 1024;

    /**
     * The text, or why there is none.
     *
     * @param text the decoded text, or null when {@code problem} is set
     * @param problem what is wrong, or null
     * @param line the problem's 1-based line, or the line of the warning
     * @param warning a warning to report with the text (invalid UTF-8 in a comment), or null
     */
    record Decoded(String text, String problem, int line, String warning) {
    }

    private ConfigText() {
    }

    /**
     * Decodes a file.
     *
     * @param bytes the file's bytes
     * @param ini whether comment lines start with {@code ;} or {@code #} (ini files)
     */
    static Decoded decode(byte[] bytes, boolean ini) {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        StringBuilder text = new StringBuilder(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String warning = null;
        int warningLine = 0;
        int line = 1;
        int from = start;
        while (from <= bytes.length) {
            int end = from;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean comment = ini && isComment(bytes, from, end);
            String decoded;
            try {
                decoded = decoder.reset().decode(ByteBuffer.wrap(bytes, from, end - from)).toString();
            } catch (CharacterCodingException e) {
                if (!comment) {
                    int bad = firstMalformed(bytes, from, end);
                    return problem(line, String.format(Locale.ROOT, "line %d is not valid UTF-8 (byte 0x%02X at byte"
                            + " %d of the line): vassal files must be UTF-8", line, bytes[bad] & 0xff, bad - from + 1));
                }
                decoded = new String(bytes, from, end - from, StandardCharsets.ISO_8859_1);
                if (warning == null) {
                    warning = "comment on line " + line + " is not valid UTF-8; read as ISO-8859-1";
                    warningLine = line;
                }
            }
            if (decoded.length() > MAX_LINE) {
                return problem(line, "line " + line + " is longer than " + MAX_LINE + " characters");
            }
            if (!comment) {
                for (int i = 0; i < decoded.length(); i++) {
                    char c = decoded.charAt(i);
                    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                        return problem(line, (c == 0 ? "line " + line + " holds a NUL byte"
                                : String.format(Locale.ROOT, "line %d holds the control character U+%04X", line,
                                        (int) c)) + " (column " + (i + 1) + ")" + (c == 0x1b
                                ? ": write %[ for ESC" : ": a vassal file is text"));
                    }
                }
            }
            text.append(decoded);
            if (end < bytes.length) {
                text.append('\n');
            }
            from = end + 1;
            line++;
        }
        return new Decoded(text.toString(), null, warningLine, warning);
    }

    private static Decoded problem(int line, String message) {
        return new Decoded(null, message, line, null);
    }

    private static boolean isComment(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r')) {
            i++;
        }
        return i < end && (bytes[i] == ';' || bytes[i] == '#');
    }

    /** The index of the first byte of [from, end) where UTF-8 decoding fails. */
    private static int firstMalformed(byte[] bytes, int from, int end) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, end - from);
        CharBuffer out = CharBuffer.allocate(end - from + 1);
        decoder.decode(in, out, true);
        return Math.min(in.position(), end - 1);
    }
}
