package dev.imperium.server.uwsgi;

import dev.imperium.http.BodyFraming;
import dev.imperium.http.HttpDate;
import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.HttpStatus;
import dev.imperium.server.CgiVarsMapping;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.ConnectionFactory;
import dev.imperium.server.net.ConnectionIo;
import dev.imperium.server.net.OutputBuffer;
import dev.imperium.server.net.RequestBodyStream;
import dev.imperium.server.net.ServerConnection;
import dev.imperium.server.net.StreamResponseBody;
import dev.imperium.uwsgi.UwsgiHeader;
import dev.imperium.uwsgi.UwsgiProtocolException;
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Serves one connection of a {@code socket} / {@code uwsgi-socket} with the uwsgi protocol, as nginx's
 * {@code uwsgi_pass} and uWSGI's own routers speak it (uwsgi-docs "The uwsgi protocol"): a 4-byte header
 * (modifier1, little-endian vars size, modifier2), the vars block, then {@code CONTENT_LENGTH} body bytes; the answer
 * is a raw HTTP response (status-line in the request's {@code SERVER_PROTOCOL}, fields, body) and the connection
 * closes after it, as in uWSGI 2.0.
 *
 * <p>Rules, as uWSGI applies them: modifier1 0 (the default app, what nginx sends unless told otherwise) and 8 (the
 * JVM) are served, any other is logged {@code -- unavailable modifier requested: N --} and the connection closed; a
 * vars block over {@code buffer-size} is logged with uWSGI's {@code invalid request block size} line and closed; a
 * broken block is logged and closed; more than 128 vars (uWSGI's {@code max-vars} 64 counts keys and values)
 * refuse the request. A body over {@code limit-post} is logged as uWSGI does ({@code Invalid (too big)
 * CONTENT_LENGTH. skip.}) and, better than uWSGI's silent close, answered 413 so the front server can tell the
 * client.
 *
 * <p>The response carries {@code Content-Length} when the handler gives a length; otherwise the body ends with the
 * connection. No {@code Date} is added (the front server adds its own). A HEAD, 204 or 304 response has no body.
 * Unread request-body bytes are read and discarded (up to the drain limit) before closing, so the front server is
 * not reset before it read the response.
 *
 * <p>Threading and timeouts as {@link dev.imperium.server.http.Http1Connection}: {@link #run()} on the connection's
 * thread; deadlines enforced by the listener's watchdog through {@link #checkTimeout}.
 */
public final class UwsgiConnection implements ServerConnection {
    /** uWSGI's default {@code max-vars} is 64; its vector holds 4 entries per var and counts keys and values. */
    static final int MAX_VARS = 2 * UwsgiVarsParser.DEFAULT_MAX_VARS;

    private final Handler handler;
    private final Http1Config config;
    private final Http1Log log;
    private final ConnectionIo io;
    private final String peerAddress;
    private final String localAddress;
    private final int localPort;
    private final long readTimeout;
    private final OutputBuffer output = new OutputBuffer();
    private boolean draining;
    private boolean waiting;

    /**
     * Prepares to serve {@code channel}, which must be in blocking mode.
     *
     * @param channel the accepted connection
     * @param handler serves the request
     * @param config {@code maxHeadSize} is the largest vars block ({@code buffer-size}), {@code maxBodySize} is
     *     {@code limit-post}, the read timeout is {@code socket-timeout}
     * @param log receives the layer's reports
     * @throws IOException if the channel's addresses cannot be read (it is already closed)
     */
    public UwsgiConnection(SocketChannel channel, Handler handler, Http1Config config, Http1Log log)
            throws IOException {
        if (!channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in blocking mode");
        }
        this.handler = handler;
        this.config = config;
        this.log = log;
        this.readTimeout = config.readTimeout().toNanos();
        this.io = new ConnectionIo(channel, Math.max(8192, UwsgiHeader.SIZE + config.maxHeadSize()),
                config.writeTimeout().toNanos());
        SocketAddress remote = channel.getRemoteAddress();
        SocketAddress local = channel.getLocalAddress();
        this.peerAddress = remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "";
        if (local instanceof InetSocketAddress inet) {
            this.localAddress = inet.getAddress().getHostAddress();
            this.localPort = inet.getPort();
        } else if (local instanceof UnixDomainSocketAddress unix) {
            this.localAddress = unix.getPath().toString();
            this.localPort = 0;
        } else {
            this.localAddress = "";
            this.localPort = 0;
        }
    }

    /**
     * Returns the factory a {@link dev.imperium.server.net.Listener} uses to serve each accepted channel with the
     * uwsgi protocol.
     *
     * @param handler serves every request
     * @param config limits and timeouts (see the constructor)
     * @param log receives the layer's reports
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log) {
        return channel -> new UwsgiConnection(channel, handler, config, log);
    }

    /** Serves one request, then closes the channel. Never throws. */
    @Override
    public void run() {
        boolean quiet = false;
        try {
            quiet = serve();
        } catch (RuntimeException | Error e) {
            safeLog(() -> log.handlerFailed(null, e));
        } finally {
            if (io.expired() && ("read".equals(io.phase()) || "write".equals(io.phase()))) {
                safeLog(() -> log.timedOut(peerAddress, io.phase()));
            }
            if (quiet) {
                io.close();
            } else {
                io.lingerAndClose(config.lingerTimeout().toNanos(), config.drainLimit());
            }
        }
    }

    /** Serves the request; returns true if the channel can be closed without lingering (nothing left unread). */
    private boolean serve() {
        UwsgiHeader header;
        UwsgiVars vars;
        try {
            if (!awaitBytes(UwsgiHeader.SIZE, true)) {
                return io.eofSeen() && !io.in().hasRemaining();
            }
            header = UwsgiHeader.decode(io.in());
            if (header.modifier1() != 0 && header.modifier1() != UwsgiHeader.MODIFIER1_JVM) {
                protocolError("-- unavailable modifier requested: " + header.modifier1() + " --");
                return false;
            }
            header.checkBlockSize(config.maxHeadSize());
            if (!awaitBytes(header.dataSize(), false)) {
                return false;
            }
            ByteBuffer in = io.in();
            int blockEnd = in.position() + header.dataSize();
            ByteBuffer block = in.duplicate().limit(blockEnd);
            vars = UwsgiVarsParser.parse(block, MAX_VARS);
            in.position(blockEnd);
        } catch (UwsgiProtocolException e) {
            protocolError(e.getMessage());
            return false;
        } catch (IOException e) {
            return false;
        }
        RequestHead request;
        try {
            request = CgiVarsMapping.toHead(vars, peerAddress, localAddress, localPort);
        } catch (HttpProtocolException e) {
            reject(vars.get("SERVER_PROTOCOL"), e);
            return false;
        }
        long length = Math.max(0, request.contentLength());
        if (config.maxBodySize() > 0 && length > config.maxBodySize()) {
            protocolError("Invalid (too big) CONTENT_LENGTH. skip.");
            reject(request.protocol(), new HttpProtocolException(413, "request body larger than limit-post"));
            return false;
        }
        return exchange(request, length);
    }

    /**
     * Waits until {@code count} unread bytes are buffered; false if the client closed first (or, for the first
     * bytes, the wait timed out). The first wait is shortened to the shutdown grace once draining.
     */
    private boolean awaitBytes(int count, boolean first) throws IOException {
        if (first) {
            synchronized (this) {
                io.arm(draining ? Math.min(readTimeout, config.shutdownGrace().toNanos()) : readTimeout, "read");
                waiting = true;
            }
        } else {
            io.arm(readTimeout, "read");
        }
        try {
            while (io.in().remaining() < count) {
                if (io.fill() < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            if (io.expired()) {
                return false;
            }
            throw e;
        } finally {
            if (first) {
                synchronized (this) {
                    waiting = false;
                }
            }
            io.disarm();
        }
    }

    private boolean exchange(RequestHead request, long length) {
        long start = System.nanoTime();
        BodyFraming framing = length > 0 ? new BodyFraming(BodyFraming.Kind.LENGTH, length) : BodyFraming.NONE;
        RequestBodyStream body = new RequestBodyStream(() -> false, io, framing, null, false, readTimeout);
        UwsgiExchange exchange = new UwsgiExchange(request, io, output, body);
        Throwable failure = null;
        boolean handled = false;
        try {
            handled = handler.handle(exchange);
        } catch (Throwable t) {
            failure = t;
        }
        Thread.interrupted();
        complete(exchange, handled, failure);
        safeLog(() -> log.exchangeCompleted(exchange, System.nanoTime() - start));
        return body.isComplete() && body.failure() == null && !io.in().hasRemaining();
    }

    private void complete(UwsgiExchange exchange, boolean handled, Throwable failure) {
        RequestBodyStream body = exchange.requestBody();
        if (failure != null) {
            safeLog(() -> log.handlerFailed(exchange.request(), failure));
        } else if (!exchange.committed()) {
            safeLog(() -> log.handlerFailed(exchange.request(), new IllegalStateException(
                    handled ? "the handler returned true without responding" : "no handler answered")));
        }
        try {
            StreamResponseBody response = exchange.response();
            if (response != null && failure != null && !response.sentAnything() && !response.isClosed()) {
                exchange.discardResponse();
                response = null;
            }
            if (response == null) {
                if (body.failure() != null || !io.isOpen()) {
                    return;
                }
                sendInternalError(exchange);
            } else if (!response.isClosed() && failure == null) {
                try {
                    response.close();
                } catch (IOException e) {
                    // a write failed or the body was short: reported below
                }
                if (response.shortBody()) {
                    safeLog(() -> log.handlerFailed(exchange.request(),
                            new IOException("response body shorter than its Content-Length; connection closed")));
                }
            }
        } catch (IOException e) {
            // the front server went away
        }
    }

    private static void sendInternalError(UwsgiExchange exchange) throws IOException {
        byte[] text = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);
        HttpFields fields = new HttpFields(1).add("Content-Type", "text/plain; charset=utf-8");
        try (OutputStream out = exchange.respond(500, fields, text.length)) {
            out.write(text);
        }
    }

    /** Answers a request that cannot be served with its status as raw HTTP; the connection then closes. */
    private void reject(String protocol, HttpProtocolException e) {
        safeLog(() -> log.requestRejected(peerAddress, e.status(), e.reason()));
        byte[] text = (HttpStatus.reasonPhrase(e.status()) + ": " + e.reason() + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        var encoder = new dev.imperium.http.ResponseHeadEncoder();
        encoder.statusLine(UwsgiExchange.statusProtocol(protocol), e.status())
                .field("Content-Type", "text/plain; charset=utf-8")
                .field("Content-Length", text.length)
                .field("Date", HttpDate.now())
                .end();
        try {
            io.write(ByteBuffer.wrap(encoder.array(), 0, encoder.length()), ByteBuffer.wrap(text));
        } catch (IOException ignored) {
            // the front server is gone; the connection closes either way
        }
    }

    private void protocolError(String line) {
        safeLog(() -> log.protocolError(line));
    }

    @Override
    public void beginDrain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
            if (waiting) {
                io.shortenDeadline(System.nanoTime() + config.shutdownGrace().toNanos());
            }
        }
    }

    @Override
    public void abort() {
        io.close();
    }

    @Override
    public void checkTimeout(long nowNanos) {
        io.expireIfDue(nowNanos);
    }

    private static void safeLog(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // a broken log callback must not break the connection
        }
    }
}
