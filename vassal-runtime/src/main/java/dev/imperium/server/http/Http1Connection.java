package dev.imperium.server.http;

import dev.imperium.http.BodyFraming;
import dev.imperium.http.ChunkedDecoder;
import dev.imperium.http.HttpDate;
import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.HttpStatus;
import dev.imperium.http.HttpVersion;
import dev.imperium.http.Http1RequestHead;
import dev.imperium.http.RequestHeadParser;
import dev.imperium.http.ResponseHeadEncoder;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.net.BodyReadException;
import dev.imperium.server.net.ConnectionFactory;
import dev.imperium.server.net.ConnectionIo;
import dev.imperium.server.net.Listener;
import dev.imperium.server.net.OutputBuffer;
import dev.imperium.server.net.RequestBodyStream;
import dev.imperium.server.net.ServerConnection;
import dev.imperium.server.net.StreamExchange;
import dev.imperium.server.net.StreamResponseBody;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Serves one accepted connection (TCP or UNIX) with HTTP/1.1 until it closes: reads a request head, calls the
 * {@link Handler}, completes the response, drains an unread request body, and goes on with the next request
 * (persistent connections and pipelining, RFC 9112 §9.3).
 *
 * <p>Threading: {@link #run()} runs on the connection's own (virtual) thread, which does all the I/O.
 * {@link #beginDrain()}, {@link #abort()} and {@link #checkTimeout} may be called from any thread. Timeouts are
 * deadlines checked by {@link #checkTimeout}, which the owning {@link Listener} calls a few times a second;
 * without it the connection has no timeouts.
 *
 * <p>Errors: a malformed or oversized request gets its 4xx/5xx with {@code Connection: close}; a handler that throws
 * before a response started gets 500 (the connection stays usable); after a response started, a failure closes the
 * connection, since its framing cannot be completed. Nothing thrown here escapes {@link #run()}.
 */
public final class Http1Connection implements ServerConnection {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_BUFFER = 8192;

    private final Handler handler;
    private final Http1Config config;
    private final Http1Log log;
    private final ConnectionIo io;
    private final RequestHeadParser parser;
    private final ChunkedDecoder decoder;
    private final ResponseHeadEncoder encoder = new ResponseHeadEncoder();
    private final OutputBuffer output = new OutputBuffer();
    private final String remoteAddress;
    private final int remotePort;
    private final String localAddress;
    private final int localPort;
    private final long readTimeout;
    private final long headTimeout;
    private final long idleTimeout;
    private final long graceNanos;

    private boolean draining;
    private boolean idle;
    private Http1Exchange current;
    /** True when the client itself asked to close and sent nothing more, so closing cannot reset it. */
    private boolean quietClose;
    /** True once a body read failure was logged: the timeout that caused it is not logged again. */
    private boolean bodyFailureReported;

    /**
     * Prepares to serve {@code channel}, which must be in blocking mode. Sets {@code TCP_NODELAY} on TCP sockets.
     *
     * @throws IOException if the channel's addresses cannot be read (it is already closed)
     */
    public Http1Connection(SocketChannel channel, Handler handler, Http1Config config, Http1Log log)
            throws IOException {
        if (!channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in blocking mode");
        }
        this.handler = handler;
        this.config = config;
        this.log = log;
        this.readTimeout = config.readTimeout().toNanos();
        this.headTimeout = config.headTimeout().toNanos();
        this.idleTimeout = config.idleTimeout().toNanos();
        this.graceNanos = config.shutdownGrace().toNanos();
        this.io = new ConnectionIo(channel, READ_BUFFER, config.writeTimeout().toNanos());
        this.parser = new RequestHeadParser(config.maxHeadSize(), config.maxRequestLineLength());
        this.decoder = new ChunkedDecoder(config.maxBodySize(), config.maxChunkLineLength(), config.maxTrailerSize());
        SocketAddress remote = channel.getRemoteAddress();
        SocketAddress local = channel.getLocalAddress();
        if (remote instanceof InetSocketAddress inet) {
            this.remoteAddress = inet.getAddress().getHostAddress();
            this.remotePort = inet.getPort();
        } else {
            this.remoteAddress = "";
            this.remotePort = 0;
        }
        if (local instanceof InetSocketAddress inet) {
            this.localAddress = inet.getAddress().getHostAddress();
            this.localPort = inet.getPort();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } else if (local instanceof UnixDomainSocketAddress unix) {
            this.localAddress = unix.getPath().toString();
            this.localPort = 0;
        } else {
            this.localAddress = "";
            this.localPort = 0;
        }
    }

    /**
     * Returns the factory a {@link Listener} uses to serve each accepted channel with HTTP/1.1.
     *
     * @param handler serves every request (the vassal's dispatcher)
     * @param config limits and timeouts
     * @param log receives the layer's reports
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log) {
        return channel -> new Http1Connection(channel, handler, config, log);
    }

    /**
     * Returns the listener timing for connections with {@code config}: its shortest timeout, and its linger timeout
     * as the wait on close.
     */
    public static Listener.Timing timing(Http1Config config) {
        return new Listener.Timing(config.shortestTimeout(), config.lingerTimeout());
    }

    /**
     * Returns a listener that serves HTTP/1.1 on {@code server}, which it owns and closes (see {@link Listener}).
     *
     * @param server a bound, blocking listening channel
     * @param handler serves every request
     * @param config limits and timeouts
     * @param log receives the layer's reports
     */
    public static Listener listener(ServerSocketChannel server, Handler handler, Http1Config config, Http1Log log) {
        return new Listener(server, factory(handler, config, log), timing(config), log::acceptLog);
    }

    /** Serves requests until the connection closes, then closes the channel. Never throws. */
    @Override
    public void run() {
        try {
            boolean first = true;
            while (serveNext(first)) {
                first = false;
            }
        } catch (RuntimeException | Error e) {
            safeLog(() -> log.handlerFailed(null, e));
        } finally {
            if (io.expired() && ("read".equals(io.phase()) || "write".equals(io.phase())) && !bodyFailureReported) {
                safeLog(() -> log.timedOut(remoteAddress, io.phase()));
            }
            if (quietClose) {
                io.close();
            } else {
                io.lingerAndClose(config.lingerTimeout().toNanos(), config.drainLimit());
            }
        }
    }

    /**
     * Starts a graceful close: from now on each response says {@code Connection: close} (unless more pipelined
     * requests are already buffered), and a connection that waits for its next request waits at most the shutdown
     * grace. Thread-safe; idempotent.
     */
    @Override
    public void beginDrain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
            if (idle) {
                io.shortenDeadline(System.nanoTime() + graceNanos);
            }
        }
    }

    /** Closes the channel at once; the connection's thread then ends. Thread-safe. */
    @Override
    public void abort() {
        io.close();
    }

    /**
     * Closes the connection if its current deadline (read, write, idle or linger) has passed. Thread-safe; the
     * listener's watchdog calls it.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     */
    @Override
    public void checkTimeout(long nowNanos) {
        io.expireIfDue(nowNanos);
    }

    /** Returns the client's IP address, "" on a UNIX socket. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Returns true while the channel is open. */
    public boolean isOpen() {
        return io.isOpen();
    }

    /** Serves one request; returns true if the connection stays open for another. */
    private boolean serveNext(boolean first) {
        Http1RequestHead head;
        try {
            head = readHead(first);
        } catch (HttpProtocolException e) {
            reject(parser.versionOrDefault(), false, e);
            return false;
        } catch (IOException e) {
            return false;
        }
        return head != null && exchange(head);
    }

    /** Reads the next request head; returns null if the client closed, or the connection timed out, before one. */
    private Http1RequestHead readHead(boolean first) throws IOException {
        parser.reset();
        if (!io.in().hasRemaining() && !awaitRequest(first)) {
            return null;
        }
        io.arm(headTimeout, "read");
        try {
            while (!parser.parse(io.in())) {
                if (io.fill() < 0) {
                    return null;
                }
            }
            return parser.head();
        } finally {
            io.disarm();
        }
    }

    /** Waits for the first bytes of the next request; false if the client closed or the wait timed out. */
    private boolean awaitRequest(boolean first) throws IOException {
        synchronized (this) {
            long wait = first ? headTimeout : idleTimeout;
            io.arm(draining ? Math.min(wait, graceNanos) : wait, "idle");
            idle = true;
        }
        try {
            return io.fill() > 0;
        } catch (IOException e) {
            if (io.expired()) {
                return false;
            }
            throw e;
        } finally {
            synchronized (this) {
                idle = false;
            }
            io.disarm();
        }
    }

    private boolean exchange(Http1RequestHead head) {
        long start = System.nanoTime();
        BodyFraming framing;
        try {
            framing = BodyFraming.forRequest(head, config.maxBodySize());
            if ("CONNECT".equals(head.method())) {
                throw new HttpProtocolException(501, "CONNECT is not supported");
            }
            if (head.hasUnsupportedExpectation()) {
                throw new HttpProtocolException(417, "unsupported expectation");
            }
        } catch (HttpProtocolException e) {
            reject(head.version(), "HEAD".equals(head.method()), e);
            return false;
        }
        RequestHead request = new RequestHead(head.method(), head.target().raw(), head.target().path(),
                head.target().query(), head.version().text(), head.fields(), framing.contentLengthOrMinusOne(),
                framing.kind() == BodyFraming.Kind.CHUNKED, remoteAddress, remotePort, localAddress, localPort,
                "http");
        RequestBodyStream body = new RequestBodyStream(this::sendContinue, io, framing, decoder, head.expectsContinue(),
                readTimeout);
        Http1Exchange exchange = new Http1Exchange(this, request, head.version(), body);
        current = exchange;
        Throwable failure = null;
        boolean handled = false;
        try {
            handled = handler.handle(exchange);
        } catch (Throwable t) {
            failure = t;
        }
        // a stray interrupt would make the next channel operation close the connection
        Thread.interrupted();
        boolean keepOpen = complete(exchange, handled, failure);
        if (body.failure() instanceof BodyReadException slow) {
            bodyFailureReported = true;
            safeLog(() -> log.bodyReadFailed(remoteAddress, slow));
        }
        quietClose = !keepOpen && !head.persistent() && body.isComplete() && body.failure() == null
                && !io.in().hasRemaining();
        safeLog(() -> log.exchangeCompleted(exchange, System.nanoTime() - start));
        return keepOpen;
    }

    /** Completes the exchange after the handler returned or threw; returns true if the connection stays open. */
    private boolean complete(Http1Exchange exchange, boolean handled, Throwable failure) {
        if (failure == null && exchange.aborted()) {
            return false;
        }
        RequestBodyStream body = exchange.requestBody();
        boolean bodyRejected = body.failure() instanceof HttpProtocolException;
        boolean clientFailed = BodyReadException.in(failure) != null; // logged as the body read failure
        if (failure != null && !(bodyRejected && failure == body.failure()) && !clientFailed) {
            safeLog(() -> log.handlerFailed(exchange.request(), failure));
        } else if (failure == null && !exchange.committed()
                && !(body.failure() instanceof BodyReadException)) { // the client's failure, logged as such
            safeLog(() -> log.handlerFailed(exchange.request(), StreamExchange.unanswered(handled)));
        }
        try {
            StreamResponseBody response = exchange.responseAfter(failure);
            if (response == null) {
                if (bodyRejected) {
                    reject(exchange.request().isHttp11() ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                            exchange.headRequest(), (HttpProtocolException) body.failure());
                    return false;
                }
                if (body.failure() != null || !io.isOpen()) {
                    return false;
                }
                sendInternalError(exchange);
                response = exchange.response();
            } else if (!response.isClosed()) {
                if (failure != null) {
                    return false;
                }
                try {
                    response.close();
                } catch (IOException e) {
                    // a write failed or the body was short: reported below if the handler did not see it
                }
            }
            if (response.shortBody() && failure == null) {
                safeLog(() -> log.handlerFailed(exchange.request(),
                        new IOException("response body shorter than its Content-Length; connection closed")));
            }
            if (response.broken() || exchange.closeAfter() || body.failure() != null) {
                return false;
            }
            return body.isComplete() || body.drain(config.drainLimit());
        } catch (IOException e) {
            return false;
        }
    }

    private void sendInternalError(Http1Exchange exchange) throws IOException {
        byte[] text = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);
        HttpFields fields = new HttpFields(1).add("Content-Type", "text/plain; charset=utf-8");
        try (OutputStream out = exchange.respond(500, fields, text.length)) {
            out.write(text);
        }
    }

    /** Answers a protocol error with its status and {@code Connection: close}; the caller then closes. */
    private void reject(HttpVersion version, boolean headRequest, HttpProtocolException e) {
        safeLog(() -> log.requestRejected(remoteAddress, e.status(), e.reason()));
        byte[] text = (HttpStatus.reasonPhrase(e.status()) + ": " + e.reason() + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        encoder.statusLine(version, e.status())
                .field("Content-Type", "text/plain; charset=utf-8")
                .field("Content-Length", text.length)
                .field("Date", HttpDate.now())
                .field("Connection", "close")
                .end();
        try {
            io.write(ByteBuffer.wrap(encoder.array(), 0, encoder.length()),
                    ByteBuffer.wrap(headRequest ? new byte[0] : text));
        } catch (IOException ignored) {
            // the client is gone; the connection closes either way
        }
    }

    /**
     * Decides, when a response starts, whether the connection must close after it: the client asked (RFC 9112 §9.3);
     * the request body failed; a {@code 100-continue} client was answered without being told to send its body (we
     * cannot know whether it will, RFC 9110 §10.1.1); the unread body is longer than the drain limit; or a graceful
     * shutdown is under way and no further request is already buffered.
     */
    boolean mustCloseAfter(RequestBodyStream body) {
        Http1RequestHead head = parser.head();
        if (!head.persistent() || body.failure() != null || body.continuePending()) {
            return true;
        }
        if (body.remainingLength() > config.drainLimit()) {
            return true;
        }
        synchronized (this) {
            return draining && !(body.isComplete() && io.in().hasRemaining());
        }
    }

    /**
     * Sends {@code 100 Continue} unless a response already started; called by the body stream on its first read.
     *
     * @return true if it was sent
     */
    boolean sendContinue() throws IOException {
        if (current != null && current.committed()) {
            return false;
        }
        io.write(ByteBuffer.wrap(CONTINUE));
        return true;
    }

    ResponseHeadEncoder encoder() {
        return encoder;
    }

    OutputBuffer output() {
        return output;
    }

    ConnectionIo io() {
        return io;
    }

    private static void safeLog(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // a broken log callback must not break the connection
        }
    }
}
