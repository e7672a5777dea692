package dev.imperium.emperor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Copies a vassal's stdout or stderr to a {@link LineSink} line by line, bytes unchanged (no re-encoding, no
 * prefix). A line longer than {@link #MAX_LINE} bytes is passed on in pieces; a last line without terminator is
 * passed on at end of stream. Runs until end of stream or error.
 */
final class LinePump implements Runnable {
    /** The longest piece handed to the sink at once, in bytes. */
    static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final Consumer<byte[]> sink;

    LinePump(InputStream in, Consumer<byte[]> sink) {
        this.in = in;
        this.sink = sink;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        byte[] line = new byte[256];
        int len = 0;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        sink.accept(Arrays.copyOf(line, len));
                        len = 0;
                        continue;
                    }
                    if (len == line.length) {
                        if (len == MAX_LINE) {
                            sink.accept(Arrays.copyOf(line, len));
                            len = 0;
                        } else {
                            line = Arrays.copyOf(line, Math.min(MAX_LINE, len * 2));
                        }
                    }
                    line[len++] = b;
                }
            }
        } catch (IOException e) {
            // stream closed under us: the vassal is gone
        }
        if (len > 0) {
            sink.accept(Arrays.copyOf(line, len));
        }
    }
}
