package dev.imperium.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Drives the pure parsers over test input, whole or in pieces. */
final class ParserHarness {
    static final int MAX_HEAD = 4096;

    private ParserHarness() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Parses a complete head given in one buffer; fails if it is incomplete. */
    static Http1RequestHead head(String request) throws HttpProtocolException {
        return head(bytes(request), MAX_HEAD, MAX_HEAD);
    }

    static Http1RequestHead head(byte[] request, int maxHead, int maxLine) throws HttpProtocolException {
        RequestHeadParser parser = new RequestHeadParser(maxHead, maxLine);
        ByteBuffer src = ByteBuffer.wrap(request);
        if (!parser.parse(src)) {
            throw new AssertionError("head incomplete");
        }
        return parser.head();
    }

    /** Returns the status the parser rejects {@code request} with, or 0 if it parses (or needs more bytes). */
    static int headStatus(byte[] request, int maxHead, int maxLine, int pieceSize) {
        RequestHeadParser parser = new RequestHeadParser(maxHead, maxLine);
        try {
            for (int i = 0; i < request.length; i += pieceSize) {
                ByteBuffer src = ByteBuffer.wrap(request, i, Math.min(pieceSize, request.length - i));
                if (parser.parse(src)) {
                    return 0;
                }
            }
            return 0;
        } catch (HttpProtocolException e) {
            return e.status();
        }
    }

    /** Returns {@link #headStatus} with the default limits, fed in one piece. */
    static int headStatus(String request) {
        byte[] b = bytes(request);
        return headStatus(b, MAX_HEAD, MAX_HEAD, Math.max(1, b.length));
    }

    /** Decodes a whole chunked body fed in pieces of {@code pieceSize}, reading into a small array. */
    static Decoded chunked(byte[] body, int pieceSize, int readSize) throws HttpProtocolException {
        ChunkedDecoder decoder = new ChunkedDecoder(0, 1024, 4096);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] dst = new byte[readSize];
        int i = 0;
        ByteBuffer src = ByteBuffer.allocate(0);
        while (true) {
            int n = decoder.decode(src, dst, 0, dst.length);
            if (n < 0) {
                return new Decoded(out.toByteArray(), decoder.trailers(), decoder.bodyLength(), src.remaining());
            }
            out.write(dst, 0, n);
            if (n == 0) {
                if (i >= body.length) {
                    throw new AssertionError("chunked body incomplete");
                }
                int take = Math.min(pieceSize, body.length - i);
                src = ByteBuffer.wrap(body, i, take);
                i += take;
            }
        }
    }

    /** What a chunked body decoded to; {@code leftover} counts bytes of the last piece after the body. */
    record Decoded(byte[] data, HttpFields trailers, long length, int leftover) {
        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    /** Returns the status the chunked decoder rejects {@code body} with, or 0 if it decodes, -1 if incomplete. */
    static int chunkedStatus(String body) {
        return chunkedStatus(bytes(body), 0);
    }

    static int chunkedStatus(byte[] body, long maxBodySize) {
        ChunkedDecoder decoder = new ChunkedDecoder(maxBodySize, 64, 256);
        ByteBuffer src = ByteBuffer.wrap(body);
        byte[] dst = new byte[64];
        try {
            while (true) {
                int n = decoder.decode(src, dst, 0, dst.length);
                if (n < 0) {
                    return 0;
                }
                if (n == 0) {
                    return -1;
                }
            }
        } catch (HttpProtocolException e) {
            return e.status();
        }
    }
}
