package dev.imperium.router;

import dev.imperium.http.ChunkedDecoder;
import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.ResponseHeadParser;
import dev.imperium.jwsgi.ByteText;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.uwsgi.UwsgiHeader;
import dev.imperium.uwsgi.UwsgiVarsEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The {@code http} router's request handler: forwards each HTTP request to a node over the uwsgi protocol and relays
 * the node's raw HTTP answer to the client, as uWSGI's HTTP router does ({@code plugins/http/http.c}).
 *
 * <p>The vars sent are uWSGI's router's: {@code REQUEST_METHOD}, {@code REQUEST_URI}, {@code PATH_INFO} (decoded),
 * {@code QUERY_STRING}, {@code SERVER_PROTOCOL}, {@code SCRIPT_NAME} (empty), {@code SERVER_NAME} (the host name),
 * {@code SERVER_PORT} (the router's port), {@code UWSGI_ROUTER=http}, {@code HTTPS=on} on TLS, {@code REMOTE_ADDR},
 * {@code REMOTE_PORT}, then one var per header line ({@code HTTP_*}, {@code CONTENT_TYPE}), then {@code CONTENT_LENGTH}:
 * the body's length as framed, never a field's text (no {@code Content_Length} or {@code Transfer_Encoding} field is
 * passed on, so the node never expects a body the router does not send).
 * Nodes are used in turn; a refused connection tries the next, and when all refuse the client gets 502.
 *
 * <p>Better than uWSGI's router: a chunked request body is de-chunked and sent with its {@code CONTENT_LENGTH}
 * (uWSGI's router passes it on raw, and the app sees no body), up to {@code maxBufferedBody} bytes (else 413); and an
 * answer without a length is re-framed with the chunked coding, so the client's connection can stay open.
 *
 * <p>Thread-safe: one instance serves every connection; each request uses its own node connection (the uwsgi
 * protocol has one request per connection). Reads from a node wait at most {@code timeoutMillis} each.
 */
public final class UwsgiForwarder implements Handler {
    private static final int COPY_BUFFER = 64 * 1024;
    /** The largest response head accepted from a node. */
    static final int MAX_RESPONSE_HEAD = 64 * 1024;

    private final List<Upstream> upstreams;
    private final int modifier1;
    private final int modifier2;
    private final String serverName;
    private final boolean keepAlive;
    private final long maxBufferedBody;
    private final long timeoutNanos;
    private final Consumer<String> log;
    private final AtomicInteger next = new AtomicInteger();
    private final ConcurrentHashMap<SocketChannel, Long> deadlines = new ConcurrentHashMap<>();

    /**
     * Creates the forwarder and starts its timeout watchdog (a daemon thread).
     *
     * @param upstreams the nodes, used in turn
     * @param modifier1 the packet's modifier1 ({@code http-modifier1}, default 0)
     * @param modifier2 the packet's modifier2 ({@code http-modifier2}, default 0)
     * @param serverName the {@code SERVER_NAME} sent
     * @param keepAlive false to close every client connection after its response ({@code http-keepalive} unset)
     * @param maxBufferedBody the largest chunked request body buffered, in bytes
     * @param timeoutMillis how long one read from or write to a node may wait ({@code http-timeout}), in ms
     * @param log receives the router's log lines
     */
    public UwsgiForwarder(List<Upstream> upstreams, int modifier1, int modifier2, String serverName,
            boolean keepAlive, long maxBufferedBody, long timeoutMillis, Consumer<String> log) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no node to forward to");
        }
        this.upstreams = List.copyOf(upstreams);
        this.modifier1 = modifier1;
        this.modifier2 = modifier2;
        this.serverName = serverName;
        this.keepAlive = keepAlive;
        this.maxBufferedBody = maxBufferedBody;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.log = log;
        Thread.ofPlatform().daemon(true).name("imperium-router-watchdog").start(this::watchdog);
    }

    @Override
    public boolean handle(Exchange exchange) throws IOException {
        RequestHead head = exchange.request();
        byte[] bufferedBody = null;
        if (head.chunked()) {
            bufferedBody = readChunkedBody(exchange);
            if (bufferedBody == null) {
                return true;
            }
        }
        byte[] packet = packet(head, bufferedBody == null ? -1 : bufferedBody.length);
        SocketChannel node = connect();
        if (node == null) {
            answer(exchange, 502, "Bad Gateway\n");
            return true;
        }
        try (node) {
            write(node, ByteBuffer.wrap(packet));
            if (bufferedBody != null) {
                write(node, ByteBuffer.wrap(bufferedBody));
            } else if (head.contentLength() > 0) {
                sendBody(exchange.body(), node);
            }
            relay(exchange, node);
        } finally {
            deadlines.remove(node);
        }
        return true;
    }

    /** Builds the uwsgi packet: header and vars. */
    byte[] packet(RequestHead head, long bufferedLength) {
        UwsgiVarsEncoder vars = new UwsgiVarsEncoder();
        vars.add("REQUEST_METHOD", head.method());
        vars.add("REQUEST_URI", head.target());
        vars.add("PATH_INFO", ByteText.toWire(head.path()));
        vars.add("QUERY_STRING", head.query() == null ? "" : head.query());
        vars.add("SERVER_PROTOCOL", head.protocol());
        vars.add("SCRIPT_NAME", "");
        vars.add("SERVER_NAME", serverName);
        vars.add("SERVER_PORT", Integer.toString(head.localPort()));
        vars.add("UWSGI_ROUTER", "http");
        if ("https".equals(head.scheme())) {
            vars.add("HTTPS", "on");
        }
        vars.add("REMOTE_ADDR", head.remoteAddress());
        vars.add("REMOTE_PORT", Integer.toString(head.remotePort()));
        HttpFields fields = head.fields();
        for (int i = 0; i < fields.size(); i++) {
            String var = cgiName(fields.name(i));
            // the framing travels as one CONTENT_LENGTH below, never as a field's text: a Content_Length or
            // Transfer_Encoding field would otherwise become a length or coding the body sent does not have
            if (var.equals("CONTENT_LENGTH") || var.equals("HTTP_TRANSFER_ENCODING")) {
                continue;
            }
            vars.add(var, fields.value(i));
        }
        long length = bufferedLength >= 0 ? bufferedLength : head.contentLength();
        if (length >= 0) {
            vars.add("CONTENT_LENGTH", Long.toString(length));
        }
        return vars.packet(modifier1, modifier2);
    }

    /** {@code X-Forwarded-For} to {@code HTTP_X_FORWARDED_FOR}; Content-Type and -Length without the prefix. */
    static String cgiName(String field) {
        String upper = field.toUpperCase(Locale.ROOT).replace('-', '_');
        return upper.equals("CONTENT_TYPE") || upper.equals("CONTENT_LENGTH") ? upper : "HTTP_" + upper;
    }

    private byte[] readChunkedBody(Exchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream in = exchange.body();
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (body.size() + (long) n > maxBufferedBody) {
                answer(exchange, 413, "Content Too Large\n");
                return null;
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    /** Connects to the next node in turn, trying each once; null if all refuse. */
    private SocketChannel connect() {
        int start = Math.floorMod(next.getAndIncrement(), upstreams.size());
        IOException last = null;
        for (int i = 0; i < upstreams.size(); i++) {
            Upstream node = upstreams.get((start + i) % upstreams.size());
            try {
                return node.connect();
            } catch (IOException e) {
                last = e;
                log.accept("[uwsgi-http] unable to connect() to node \"" + node.spec() + "\": " + e.getMessage());
            }
        }
        log.accept("[uwsgi-http] no node answered (" + (last == null ? "" : last.getMessage()) + ")");
        return null;
    }

    private void sendBody(InputStream body, SocketChannel node) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = body.read(buffer)) > 0) {
            write(node, ByteBuffer.wrap(buffer, 0, n));
        }
    }

    /** Reads the node's answer and sends it to the client, re-framed. */
    private void relay(Exchange exchange, SocketChannel node) throws IOException {
        byte[] buffer = new byte[8 * 1024];
        int filled = 0;
        ResponseHeadParser.ResponseHead response;
        while (true) {
            if (filled == buffer.length) {
                if (buffer.length >= MAX_RESPONSE_HEAD) {
                    throw new HttpProtocolException(502, "response head too large");
                }
                buffer = java.util.Arrays.copyOf(buffer, Math.min(MAX_RESPONSE_HEAD, buffer.length * 2));
            }
            int n = read(node, ByteBuffer.wrap(buffer, filled, buffer.length - filled));
            if (n < 0) {
                if (!exchange.committed()) {
                    log.accept("[uwsgi-http] the node closed the connection before answering "
                            + exchange.request().method() + " " + exchange.request().target());
                    answer(exchange, 502, "Bad Gateway\n");
                }
                return;
            }
            filled += n;
            try {
                response = ResponseHeadParser.parse(buffer, 0, filled, MAX_RESPONSE_HEAD);
            } catch (HttpProtocolException e) {
                log.accept("[uwsgi-http] invalid response from the node: " + e.reason());
                answer(exchange, 502, "Bad Gateway\n");
                return;
            }
            if (response != null) {
                break;
            }
        }
        int status = response.status();
        HttpFields fields = new HttpFields(response.fields().size());
        long length = -1;
        boolean chunked = false;
        for (int i = 0; i < response.fields().size(); i++) {
            String name = response.fields().name(i);
            String value = response.fields().value(i);
            if (name.equalsIgnoreCase("Content-Length")) {
                length = parseLength(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (!name.equalsIgnoreCase("Connection") && !name.equalsIgnoreCase("Keep-Alive")) {
                fields.add(name, value);
            }
        }
        if (!keepAlive) {
            fields.add("Connection", "close");
        }
        if (status < 200) {
            status = 502; // an interim response from a uwsgi node is not relayed
        }
        boolean noBody = "HEAD".equals(exchange.request().method()) || status == 204 || status == 304;
        if (chunked) {
            length = -1;
        }
        try (ResponseBody out = exchange.respond(status, fields, length)) {
            if (noBody) {
                return;
            }
            ByteBuffer rest = ByteBuffer.wrap(buffer, response.length(), filled - response.length());
            if (chunked) {
                relayChunked(rest, node, out);
            } else {
                relayRaw(rest, node, out, length);
            }
        }
    }

    private void relayRaw(ByteBuffer rest, SocketChannel node, OutputStream out, long length) throws IOException {
        long left = length < 0 ? Long.MAX_VALUE : length;
        int first = (int) Math.min(rest.remaining(), left);
        out.write(rest.array(), rest.position(), first);
        left -= first;
        byte[] buffer = left > 0 ? new byte[(int) Math.min(COPY_BUFFER, left)] : null;
        while (left > 0) {
            int n = read(node, ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, left)));
            if (n < 0) {
                if (length >= 0) {
                    throw new IOException("the node closed the connection " + left + " bytes before the end");
                }
                return;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private void relayChunked(ByteBuffer rest, SocketChannel node, OutputStream out) throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder(0, 4096, 16 * 1024);
        byte[] decoded = new byte[COPY_BUFFER];
        ByteBuffer in = ByteBuffer.allocate(COPY_BUFFER);
        in.put(rest).flip();
        while (true) {
            int n = decoder.decode(in, decoded, 0, decoded.length);
            if (n > 0) {
                out.write(decoded, 0, n);
                continue;
            }
            if (n < 0) {
                return;
            }
            in.compact();
            int r = read(node, in);
            in.flip();
            if (r < 0) {
                throw new IOException("the node closed the connection inside a chunked body");
            }
        }
    }

    private static long parseLength(String value) throws HttpProtocolException {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new HttpProtocolException(502, "invalid Content-Length from the node");
        }
    }

    private static void answer(Exchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.respond(status, new HttpFields(1).add("Content-Type", "text/plain"),
                body.length)) {
            out.write(body);
        }
    }

    private int read(SocketChannel node, ByteBuffer into) throws IOException {
        deadlines.put(node, System.nanoTime() + timeoutNanos);
        try {
            return node.read(into);
        } catch (IOException e) {
            throw timedOut(node, e);
        } finally {
            deadlines.put(node, 0L);
        }
    }

    private void write(SocketChannel node, ByteBuffer from) throws IOException {
        while (from.hasRemaining()) {
            deadlines.put(node, System.nanoTime() + timeoutNanos);
            try {
                node.write(from);
            } catch (IOException e) {
                throw timedOut(node, e);
            } finally {
                deadlines.put(node, 0L);
            }
        }
    }

    private IOException timedOut(SocketChannel node, IOException e) {
        if (!node.isOpen() && deadlines.get(node) != null && deadlines.get(node) == -1L) {
            return new IOException("node timed out (http-timeout)", e);
        }
        return e;
    }

    private void watchdog() {
        long tick = Math.clamp(timeoutNanos / 10 / 1_000_000, 10, 500);
        while (true) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            deadlines.forEach((node, deadline) -> {
                if (deadline > 0 && now - deadline > 0 && deadlines.replace(node, deadline, -1L)) {
                    log.accept("[uwsgi-http] node timeout after " + timeoutNanos / 1_000_000_000L + " s");
                    try {
                        node.close();
                    } catch (IOException ignored) {
                        // closed
                    }
                }
            });
        }
    }
}
