package dev.imperium.jwsgi;

import dev.imperium.server.ResponseBody;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The body of a JWSGI response, recognised in uWSGI's order ({@code plugins/jvm/jvm_plugin.c}): {@code String}
 * (sent as UTF-8), {@code String[]}, {@code byte[]}, anything with {@code iterator()} (items {@code String},
 * {@code byte[]}, or anything else by {@code toString()}), {@code java.io.File} (a readable regular file, sent
 * zero-copy), {@code InputStream} (read in 8 KiB chunks, then closed). Owns the file or stream until closed. Not
 * thread-safe.
 */
sealed interface JwsgiBody extends AutoCloseable {
    /** The chunk size for stream bodies, as uWSGI's. */
    int CHUNK = 8192;

    /**
     * Recognises a body object.
     *
     * @throws InvalidResponseException for any other type, a null item in a {@code String[]}, or a file that is not
     *     a readable regular file
     * @throws InvocationTargetException if the object's {@code iterator()} threw
     */
    static JwsgiBody of(Object value) throws InvalidResponseException, InvocationTargetException {
        if (value instanceof String s) {
            return new Known(List.of(s.getBytes(StandardCharsets.UTF_8)));
        }
        if (value instanceof String[] strings) {
            List<byte[]> parts = new ArrayList<>(strings.length);
            for (String s : strings) {
                if (s == null) {
                    throw new InvalidResponseException("invalid JWSGI response: a String[] body holds null");
                }
                parts.add(s.getBytes(StandardCharsets.UTF_8));
            }
            return new Known(parts);
        }
        if (value instanceof byte[] bytes) {
            return new Known(List.of(bytes));
        }
        Iterator<?> iterator = value == null ? null : Reflect.iterator(value);
        if (iterator != null) {
            return new Items(iterator);
        }
        if (value instanceof File file) {
            return FileBody.open(file);
        }
        if (value instanceof InputStream in) {
            return new Stream(in);
        }
        throw new InvalidResponseException("unsupported JWSGI response body type "
                + (value == null ? "null" : value.getClass().getName())
                + " (use String, String[], byte[], an Iterable, java.io.File or an InputStream)");
    }

    /** Returns the length in bytes when known before sending, else -1. */
    long length();

    /**
     * Writes the body.
     *
     * @param out where to
     * @param declared the Content-Length the app declared for a body of unknown length, or -1
     * @throws IOException if the client went away
     * @throws AppBodyException if the app's iterator, {@code toString()} or stream failed, or the body ran longer or
     *     shorter than {@code declared}
     */
    void write(ResponseBody out, long declared) throws IOException, AppBodyException;

    /** Releases the file or stream, if any; never throws. */
    @Override
    default void close() {
    }

    /** Bytes in memory. */
    record Known(List<byte[]> parts) implements JwsgiBody {
        @Override
        public long length() {
            return parts.stream().mapToLong(p -> p.length).sum();
        }

        @Override
        public void write(ResponseBody out, long declared) throws IOException {
            for (byte[] part : parts) {
                out.write(part);
            }
        }
    }

    /** Items from an iterator, of unknown total length. */
    record Items(Iterator<?> iterator) implements JwsgiBody {
        @Override
        public long length() {
            return -1;
        }

        @Override
        public void write(ResponseBody out, long declared) throws IOException, AppBodyException {
            Sink sink = new Sink(out, declared);
            while (true) {
                byte[] chunk;
                try {
                    if (!iterator.hasNext()) {
                        break;
                    }
                    chunk = switch (iterator.next()) {
                        case null -> throw new AppBodyException("JWSGI body iterator returned null", null);
                        case String s -> s.getBytes(StandardCharsets.UTF_8);
                        case byte[] bytes -> bytes;
                        case Object item -> String.valueOf(item).getBytes(StandardCharsets.UTF_8);
                    };
                } catch (RuntimeException e) {
                    throw new AppBodyException("JWSGI body iterator failed", e);
                }
                sink.write(chunk, chunk.length);
            }
            sink.finish();
        }
    }

    /** A regular file, opened while the response was checked. */
    record FileBody(FileChannel channel, long length) implements JwsgiBody {
        static FileBody open(File file) throws InvalidResponseException {
            if (!Files.isRegularFile(file.toPath())) {
                throw new InvalidResponseException("invalid JWSGI response: body file " + file
                        + " is not a regular file");
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
                return new FileBody(channel, channel.size());
            } catch (IOException | SecurityException e) {
                closeQuietly(channel);
                throw new InvalidResponseException("invalid JWSGI response: body file " + file
                        + " cannot be read: " + e);
            }
        }

        @Override
        public void write(ResponseBody out, long declared) throws IOException {
            out.transferFrom(channel, 0, length);
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }

    /** A stream of unknown length. */
    record Stream(InputStream in) implements JwsgiBody {
        @Override
        public long length() {
            return -1;
        }

        @Override
        public void write(ResponseBody out, long declared) throws IOException, AppBodyException {
            Sink sink = new Sink(out, declared);
            byte[] buffer = new byte[CHUNK];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException | RuntimeException e) {
                    throw new AppBodyException("JWSGI body InputStream failed", e);
                }
                if (n < 0) {
                    break;
                }
                sink.write(buffer, n);
            }
            sink.finish();
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing left to do with it
        }
    }

    /** Writes body bytes, holding the app to its Content-Length when it declared one. */
    final class Sink {
        private final ResponseBody out;
        private final long limit;
        private long written;

        Sink(ResponseBody out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        void write(byte[] bytes, int length) throws IOException, AppBodyException {
            if (limit >= 0 && written + length > limit) {
                throw new AppBodyException("JWSGI body is longer than its Content-Length " + limit, null);
            }
            out.write(bytes, 0, length);
            written += length;
        }

        void finish() throws AppBodyException {
            if (limit >= 0 && written < limit) {
                throw new AppBodyException("JWSGI body ended after " + written + " of its Content-Length " + limit
                        + " bytes", null);
            }
        }
    }
}
