package dev.imperium.vassal;

import dev.imperium.config.VassalConfig;
import dev.imperium.server.Exchange;
import dev.imperium.server.RewrittenExchange;
import dev.imperium.server.RequestHead;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * uWSGI's {@code post-buffering} (uwsgi-docs "Options"; {@code core/reader.c}): the whole request body is read before
 * the app is called, so a slow upload holds a connection but not one of the worker's {@code threads}. A body of at
 * most {@code post-buffering} bytes is kept in memory; a larger one (or a chunked one that grows past it) goes to an
 * unlinked temporary file, as uWSGI's {@code uwsgi_tmpfile}.
 *
 * <p>Unlike uWSGI, which buffers inside the request slot (with harakiri running), Imperium buffers before the request
 * takes a slot: the slot's time is the app's.
 *
 * <p>{@code body-read-warning} (MB, default 8): a body held in memory over this size is logged once per request
 * ({@code [uwsgi-warning] post-buffering holds N MB of request body in memory...}). Imperium allocates nothing when
 * an app reads the body (the app's buffer is filled), so uWSGI's {@code read()}/{@code readline()} warnings have no
 * counterpart.
 */
final class PostBuffering {
    private final long threshold;
    private final long warnBytes;
    private final Path tmpDir;

    /**
     * @param threshold {@code post-buffering} in bytes (greater than 0)
     * @param warnMegabytes {@code body-read-warning} in MB
     * @param tmpDir where bodies over the threshold go (the JVM's {@code java.io.tmpdir})
     */
    PostBuffering(long threshold, long warnMegabytes, Path tmpDir) {
        this.threshold = threshold;
        this.warnBytes = warnMegabytes * 1024 * 1024;
        this.tmpDir = tmpDir;
    }

    /**
     * Reads {@code post-buffering} (bytes, 0 = off) and {@code body-read-warning} (MB, default 8, as uWSGI's
     * {@code core/init.c}).
     *
     * @param tmpDir where bodies over the threshold go
     * @return the buffering, or null when {@code post-buffering} is unset or 0
     * @throws IllegalArgumentException naming the option when a value is negative or no number
     */
    static PostBuffering from(VassalConfig config, Path tmpDir) {
        long threshold = size(config, "post-buffering", 0);
        long warn = size(config, "body-read-warning", 8);
        return threshold == 0 ? null : new PostBuffering(threshold, warn, tmpDir);
    }

    private static long size(VassalConfig config, String name, long fallback) {
        String text = config.string(name, Long.toString(fallback)).trim();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + name + "' needs a number, got '" + text + "'", e);
        }
        if (value < 0) {
            throw new IllegalArgumentException("option '" + name + "' must not be negative, got " + value);
        }
        return value;
    }

    /**
     * Reads the request's body and returns an exchange serving it from memory or the temporary file; a request
     * without a body is returned as is.
     *
     * @throws IOException if the client fails or goes away before the body is complete (as uWSGI, the request is
     *     then not served), or the temporary file cannot be written
     */
    Exchange buffer(Exchange exchange) throws IOException {
        RequestHead head = exchange.request();
        if (!head.hasBody()) {
            return exchange;
        }
        InputStream in = exchange.body();
        long known = head.contentLength();
        if (known >= 0 && known <= threshold) {
            byte[] body = in.readNBytes((int) known);
            warnIfBig(body.length);
            return new RewrittenExchange(exchange, head, new ByteArrayInputStream(body));
        }
        byte[] first = in.readNBytes((int) Math.min(threshold, Integer.MAX_VALUE - 8));
        if (first.length < threshold) {
            warnIfBig(first.length);
            return new RewrittenExchange(exchange, head, new ByteArrayInputStream(first));
        }
        Path file = Files.createTempFile(tmpDir, "imperium-body-", ".tmp");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Files.delete(file); // the open channel keeps the data; nothing is left behind whatever happens next
        try {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(first);
            Arrays.fill(first, (byte) 0);
            in.transferTo(out);
            channel.position(0);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new RewrittenExchange(exchange, head, new FileBody(channel));
    }

    private void warnIfBig(long bytes) {
        if (bytes > warnBytes) {
            Log.line("[uwsgi-warning] post-buffering holds " + bytes / (1024 * 1024) + " MB of request body in"
                    + " memory (body-read-warning is " + warnBytes / (1024 * 1024) + " MB)");
        }
    }

    /** Reads the temporary file; closing it (or the request's end) releases the file. */
    private static final class FileBody extends InputStream {
        private final FileChannel channel;
        private final InputStream in;

        FileBody(FileChannel channel) {
            this.channel = channel;
            this.in = Channels.newInputStream(channel);
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(Integer.MAX_VALUE, channel.size() - channel.position());
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Closes the buffered body of an exchange {@link #buffer} returned, if it is a file. */
    static void release(Exchange exchange) {
        if (exchange instanceof RewrittenExchange buffered && buffered.body() instanceof FileBody f) {
            try {
                f.close();
            } catch (IOException e) {
                // nothing to lose: the file is unlinked already
            }
        }
    }
}
