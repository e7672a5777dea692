package dev.imperium.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 response with a {@code Content-Length} body, as the load loops read it: the status and whether the
 * server closes the connection after it. The body is skipped.
 *
 * @param status the status code
 * @param close whether the response carries {@code Connection: close}
 */
public record SizedResponse(int status, boolean close) {

    /**
     * Reads one response from {@code in}, skipping its body.
     *
     * @return the response, or null if the connection closed before its first byte
     * @throws EOFException if the connection closed inside the response, or it has no {@code Content-Length}
     * @throws IOException if reading fails
     */
    public static SizedResponse read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a response head");
            }
            head.write(b);
            lastFour = lastFour << 8 | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        long length = -1;
        boolean close = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (length < 0) {
            throw new EOFException("response without Content-Length");
        }
        for (long left = length; left > 0; ) {
            if (in.read() < 0) {
                throw new EOFException("connection closed inside a response body");
            }
            left--;
            left -= in.skip(Math.min(left, in.available()));
        }
        return new SizedResponse(status, close);
    }
}
