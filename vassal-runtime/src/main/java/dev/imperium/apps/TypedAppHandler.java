package dev.imperium.apps;

import dev.imperium.app.HttpApp;
import dev.imperium.app.Request;
import dev.imperium.app.Response;
import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.ByteText;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.statics.MimeTypes;
import dev.imperium.stats.AppExceptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Serves requests with a typed-API app ({@link HttpApp}): builds the {@link Request}, calls the app with its class
 * loader as the thread context class loader, and sends the {@link Response}. Never declines.
 *
 * <p>An exception from the app, or a null response, is logged with its stack trace and answered {@code 500}; the
 * worker lives on. A file response whose file is missing is answered {@code 404}. If a stream body fails after the
 * response started, the failure is logged and an {@link IOException} is thrown so the connection is dropped rather
 * than a truncated body passed off as complete. Thread-safe.
 */
final class TypedAppHandler implements Handler {
    private static final int CHUNK = 8192;

    private final HttpApp app;
    private final String name;
    private final ClassLoader appLoader;
    private final MimeTypes mimeTypes;
    private final Failures failures;

    TypedAppHandler(HttpApp app, String name, ClassLoader appLoader, MimeTypes mimeTypes, Failures failures) {
        this.app = app;
        this.name = name;
        this.appLoader = appLoader;
        this.mimeTypes = mimeTypes;
        this.failures = failures;
    }

    @Override
    public boolean handle(Exchange exchange) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(appLoader);
        try {
            serve(exchange);
            return true;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void serve(Exchange exchange) throws IOException {
        Response response;
        try {
            response = app.handle(request(exchange));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
                throw fatal;
            }
            AppExceptions.record();
            failures.internalError(exchange, "exception in app " + name, t);
            return;
        }
        if (response == null) {
            AppExceptions.record();
            failures.internalError(exchange, "app " + name + " returned no response (null)", null);
            return;
        }
        send(exchange, response);
    }

    /** Builds the app's view of the request; header text as {@link ByteText#fromWire} gives it, like JWSGI. */
    static Request request(Exchange exchange) {
        RequestHead head = exchange.request();
        Request.Builder builder = Request.builder(head.method(), ByteText.fromWire(head.target()))
                .path(head.path())
                .protocol(head.protocol())
                .remote(head.remoteAddress() == null ? "" : head.remoteAddress(), head.remotePort())
                .body(exchange.body());
        HttpFields fields = head.fields();
        for (int i = 0; i < fields.size(); i++) {
            builder.header(fields.name(i), ByteText.fromWire(fields.value(i)));
        }
        return builder.build();
    }

    private void send(Exchange exchange, Response response) throws IOException {
        HttpFields fields = new HttpFields(response.headers().size() + 1);
        response.headers().forEach(h -> fields.add(h.name(), ByteText.toWire(h.value())));
        boolean head = "HEAD".equals(exchange.request().method());
        switch (response.body()) {
            case Response.Body.Empty() -> exchange.respond(response.statusCode(), fields, 0).close();
            case Response.Body.Bytes(byte[] bytes) -> {
                try (ResponseBody out = exchange.respond(response.statusCode(), fields, bytes.length)) {
                    out.write(bytes);
                }
            }
            case Response.Body.OfFile(Path path) -> sendFile(exchange, response.statusCode(), fields, path, head);
            case Response.Body.OfStream(InputStream in, long length) ->
                    sendStream(exchange, response.statusCode(), fields, in, length, head);
        }
    }

    private void sendFile(Exchange exchange, int status, HttpFields fields, Path path, boolean head)
            throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            Failures.answer(exchange, 404, "Not Found\n");
            return;
        } catch (IOException | SecurityException e) {
            failures.internalError(exchange, "app " + name + " answered with file " + path + " that cannot be read",
                    e);
            return;
        }
        try (channel) {
            if (!fields.contains("Content-Type")) {
                mimeTypes.forFileName(path.getFileName().toString()).ifPresent(t -> fields.add("Content-Type", t));
            }
            long size = channel.size();
            try (ResponseBody out = exchange.respond(status, fields, size)) {
                if (!head) {
                    out.transferFrom(channel, 0, size);
                }
            }
        }
    }

    private void sendStream(Exchange exchange, int status, HttpFields fields, InputStream in, long length,
            boolean head) throws IOException {
        try (in) {
            ResponseBody out = exchange.respond(status, fields, length);
            if (!head) {
                copy(exchange, in, out, length);
            }
            out.close();
        }
    }

    private void copy(Exchange exchange, InputStream in, ResponseBody out, long length) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long written = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                throw aborted(exchange, "the response stream of app " + name + " failed", e);
            }
            if (n < 0) {
                break;
            }
            if (length >= 0 && written + n > length) {
                throw aborted(exchange, "the response stream of app " + name + " is longer than its length "
                        + length, null);
            }
            out.write(buffer, 0, n);
            written += n;
        }
        if (length >= 0 && written < length) {
            throw aborted(exchange, "the response stream of app " + name + " ended after " + written + " of "
                    + length + " bytes", null);
        }
    }

    private IOException aborted(Exchange exchange, String what, Throwable cause) {
        failures.log(exchange.request(), what + "; response aborted", cause);
        return new IOException("response aborted: " + what, cause);
    }
}
