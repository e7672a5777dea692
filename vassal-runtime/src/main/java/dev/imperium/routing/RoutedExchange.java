package dev.imperium.routing;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.ForwardingExchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.statics.HttpDate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The exchange the rest of the worker (static files, the app) sees once the request chain has run: its request is
 * the routed one ({@code rewrite}, {@code setpathinfo}, {@code addvar}, ... applied), and its response passes
 * through the error chain (when the status is set), then the response chain (just before the head goes out, after
 * {@code collect-header}), then the header edits of {@code addheader}/{@code delheader}. A route that answers in
 * one of those chains replaces the response: the app's body is then dropped, as uWSGI ignores it. Used by one
 * thread.
 */
final class RoutedExchange extends ForwardingExchange {
    private final RouteState state;
    private final RoutingRules rules;
    private RequestHead request;
    private boolean errorDone;
    private boolean responseDone;
    private boolean replaced;

    RoutedExchange(Exchange delegate, RouteState state, RoutingRules rules) {
        super(delegate);
        this.state = state;
        this.rules = rules;
        this.request = delegate.request();
    }

    /** Sets the request as the request chain left it. */
    void route(RequestHead routed) {
        this.request = routed;
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException {
        if (replaced) {
            return new DiscardingBody();
        }
        return emit(status, fields, contentLength, true);
    }

    /**
     * Sends the reply the request chain decided on, through the error and response chains.
     *
     * @param reply the reply
     * @throws IOException if the client went away
     */
    void reply(Reply reply) throws IOException {
        send(reply, true);
    }

    private ResponseBody emit(int status, HttpFields fields, long contentLength, boolean errorChain)
            throws IOException {
        state.status = status;
        RouteTable error = rules.table(Chain.ERROR);
        if (errorChain && !errorDone && !error.isEmpty()) {
            errorDone = true;
            state.reply = null;
            if (RouteEngine.run(error, state) == RouteEngine.Outcome.BREAK) {
                return replaceWith(state.reply);
            }
        }
        RouteTable response = rules.table(Chain.RESPONSE);
        if (!responseDone && (!response.isEmpty() || !rules.collectHeaders().isEmpty())) {
            responseDone = true;
            fields = collect(fields);
            state.reply = null;
            if (!response.isEmpty() && RouteEngine.run(response, state) == RouteEngine.Outcome.BREAK) {
                return replaceWith(state.reply);
            }
        }
        return delegate.respond(status, edit(fields), contentLength);
    }

    private ResponseBody replaceWith(Reply reply) throws IOException {
        replaced = true;
        send(reply, false);
        return new DiscardingBody();
    }

    private void send(Reply reply, boolean errorChain) throws IOException {
        switch (reply) {
            case Reply.Close c -> abort();
            case Reply.Fixed(int status, HttpFields fields, byte[] body) -> {
                try (ResponseBody out = emit(status, fields, body.length, errorChain)) {
                    out.write(body);
                }
            }
            case Reply.File(java.nio.file.Path path) -> sendFile(path, errorChain);
        }
    }

    /** {@code static:}: the file with its type and {@code Last-Modified}; 304 when unchanged; 404 when gone. */
    private void sendFile(java.nio.file.Path path, boolean errorChain) throws IOException {
        FileChannel channel;
        BasicFileAttributes attrs;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException | AccessDeniedException e) {
            send(notFound(), errorChain);
            return;
        }
        try (channel) {
            attrs = java.nio.file.Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                send(notFound(), errorChain);
                return;
            }
            Instant modified = attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
            String lastModified = HttpDate.format(modified);
            HttpFields requestFields = delegate.request().fields();
            if (!requestFields.contains("If-None-Match") && HttpDate.parse(requestFields.get("If-Modified-Since"))
                    .map(since -> !modified.isAfter(since)).orElse(false)) {
                emit(304, new HttpFields(1).add("Last-Modified", lastModified), 0, errorChain).close();
                return;
            }
            HttpFields fields = new HttpFields(2);
            state.env.mimeTypes().forFileName(path.getFileName().toString())
                    .ifPresent(type -> fields.add("Content-Type", type));
            fields.add("Last-Modified", lastModified);
            long size = channel.size();
            try (ResponseBody out = emit(200, fields, size, errorChain)) {
                out.transferFrom(channel, 0, size);
            }
        }
    }

    private static Reply notFound() {
        return Reply.Fixed.text(404, new HttpFields(1).add("Content-Type", "text/plain"), "Not Found");
    }

    /** {@code collect-header} / {@code pull-header}: copies (and for pull, removes) response fields. */
    private HttpFields collect(HttpFields fields) {
        if (rules.collectHeaders().isEmpty()) {
            return fields;
        }
        HttpFields out = fields;
        for (RoutingRules.CollectHeader c : rules.collectHeaders()) {
            String value = fields.get(c.header());
            if (value == null) {
                continue;
            }
            state.vars.set(c.variable(), dev.imperium.jwsgi.ByteText.fromWire(value));
            if (c.remove()) {
                if (out == fields) {
                    out = copy(fields);
                }
                out.remove(c.header());
            }
        }
        return out;
    }

    /** Applies {@code delheader} (to the handler's fields) and then {@code addheader}. */
    private HttpFields edit(HttpFields fields) {
        if (state.addHeaders.isEmpty() && state.delHeaders.isEmpty()) {
            return fields;
        }
        HttpFields out = new HttpFields(fields.size() + state.addHeaders.size());
        for (int i = 0; i < fields.size(); i++) {
            if (!deleted(fields.name(i))) {
                out.add(fields.name(i), fields.value(i));
            }
        }
        for (String line : state.addHeaders) {
            String[] field = HeaderText.field(line);
            if (field == null) {
                state.log("[uwsgi-route] addheader: invalid header line '" + line + "' skipped");
            } else {
                out.add(field[0], field[1]);
            }
        }
        return out;
    }

    private boolean deleted(String name) {
        for (String d : state.delHeaders) {
            if (d.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static HttpFields copy(HttpFields fields) {
        HttpFields out = new HttpFields(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            out.add(fields.name(i), fields.value(i));
        }
        return out;
    }

    @Override
    public boolean committed() {
        return replaced || delegate.committed();
    }
}
