package dev.imperium.server.http;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler with one behaviour per path, for the socket tests. */
final class TestHandler implements Handler {
    final CountDownLatch blockEntered = new CountDownLatch(1);
    final CountDownLatch blockRelease = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    volatile Path file;

    @Override
    public boolean handle(Exchange exchange) throws Exception {
        calls.incrementAndGet();
        RequestHead req = exchange.request();
        switch (req.path()) {
            case "/hello" -> text(exchange, 200, "hello");
            case "/echo" -> {
                byte[] body = exchange.body().readAllBytes();
                HttpFields fields = new HttpFields().add("X-Chunked", String.valueOf(req.chunked()))
                        .add("X-Content-Length", String.valueOf(req.contentLength()));
                try (ResponseBody out = exchange.respond(200, fields, body.length)) {
                    out.write(body);
                }
            }
            case "/ignore" -> text(exchange, 200, "ignored");
            case "/stream" -> {
                try (ResponseBody out = exchange.respond(200, new HttpFields(), -1)) {
                    out.write("part1,".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    out.write("part2".getBytes(StandardCharsets.US_ASCII));
                }
            }
            case "/big-stream" -> {
                try (ResponseBody out = exchange.respond(200, new HttpFields(), -1)) {
                    byte[] block = new byte[10_000];
                    java.util.Arrays.fill(block, (byte) 'x');
                    for (int i = 0; i < 10; i++) {
                        out.write(block);
                    }
                    for (int i = 0; i < 1000; i++) {
                        out.write('y');
                    }
                }
            }
            case "/throw" -> throw new IllegalStateException("boom");
            case "/throw-after" -> {
                ResponseBody out = exchange.respond(200, new HttpFields(), -1);
                out.write("partial".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                throw new IllegalStateException("boom after commit");
            }
            case "/throw-buffered" -> {
                exchange.respond(200, new HttpFields(), 5).write('a');
                throw new IllegalStateException("boom while buffered");
            }
            case "/short" -> {
                ResponseBody out = exchange.respond(200, new HttpFields(), 10);
                out.write("abc".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            case "/decline" -> {
                return false;
            }
            case "/no-content" -> exchange.respond(204, new HttpFields(), -1).close();
            case "/close" -> text(exchange, 200, "bye", new HttpFields().add("Connection", "close"));
            case "/bad-field" -> exchange.respond(200, new HttpFields().add("X", "a\r\nInjected: 1"), 0);
            case "/file" -> {
                long size;
                try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                    size = f.size();
                    long length = req.query().equals("unknown") ? -1 : size + 2;
                    try (ResponseBody out = exchange.respond(200, new HttpFields(), length)) {
                        out.write('[');
                        out.transferFrom(f, 0, size);
                        out.write(']');
                    }
                }
            }
            case "/info" -> text(exchange, 200, String.join("|", req.method(), req.target(), req.path(),
                    req.query(), req.protocol(), req.remoteAddress(), String.valueOf(req.remotePort()),
                    req.localAddress(), String.valueOf(req.localPort()), req.scheme(),
                    String.valueOf(req.fields().get("Host"))));
            case "/block" -> {
                blockEntered.countDown();
                if (!blockRelease.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                text(exchange, 200, "released");
            }
            default -> text(exchange, 404, "not found");
        }
        return true;
    }

    static void text(Exchange exchange, int status, String text) throws IOException {
        text(exchange, status, text, new HttpFields());
    }

    static void text(Exchange exchange, int status, String text, HttpFields fields) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        fields.add("Content-Type", "text/plain");
        try (ResponseBody out = exchange.respond(status, fields, b.length)) {
            out.write(b);
        }
    }
}
