package dev.imperium.server.net;

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
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * What the connections of the protocols that carry a request as CGI variables share (uwsgi, SCGI, FastCGI): the
 * connection's addresses, the waits for request bytes under the socket timeout (shortened to the shutdown grace once
 * draining), the mapping of the variables to a {@link RequestHead} with uWSGI's refusals, the handler call with its
 * error handling, and the close (lingering unless nothing is left unread).
 *
 * <p>Rules, as uWSGI 2.0 applies them to every protocol ({@code core/protocol.c}): a bad {@code CONTENT_LENGTH} is
 * answered 400; a body over {@code limit-post} is logged {@code Invalid (too big) CONTENT_LENGTH. skip.} and, better
 * than uWSGI's silent close, answered 413 so the front server can tell the client; a handler that fails before
 * responding gets a 500; after a response started, a failure leaves the response cut short. A subclass reads its
 * protocol's framing in {@link #serveNext} and calls {@link #mapOrRefuse} and {@link #exchange}, or
 * {@link #serveAndClose} for the protocols that serve one request per connection.
 *
 * <p>Threading and timeouts as {@link dev.imperium.server.http.Http1Connection}: {@link #run()} on the connection's
 * thread; deadlines enforced by the listener's watchdog through {@link #checkTimeout}.
 */
public abstract class CgiConnection implements ServerConnection {
    /**
     * The most variables a request may carry: 128. uWSGI's default {@code max-vars} is 64, but its vector holds 4
     * entries per var and counts keys and values, so 128 pairs fit.
     */
    public static final int MAX_VARS = 2 * UwsgiVarsParser.DEFAULT_MAX_VARS;

    /** What {@link #run()} does after {@link #serveNext}. */
    protected enum Next {
        /** Wait for another request on the connection. */
        SERVE_ANOTHER,
        /** Close at once: the peer sent nothing that is left unread, so closing cannot reset it. */
        CLOSE_QUIETLY,
        /** Shut down output, read and discard what the peer still sends for a while, then close. */
        LINGER_AND_CLOSE
    }

    /** Serves the requests. */
    protected final Handler handler;
    /** {@code maxHeadSize} is {@code buffer-size}, {@code maxBodySize} is {@code limit-post}. */
    protected final Http1Config config;
    /** Receives the layer's reports. */
    protected final Http1Log log;
    /** The connection's buffered, deadline-bounded I/O. */
    protected final ConnectionIo io;
    /** The read timeout ({@code socket-timeout}), in nanoseconds. */
    protected final long readTimeout;
    private final String peerAddress;
    private final String localAddress;
    private final int localPort;
    private final OutputBuffer output = new OutputBuffer();
    private boolean draining;
    private boolean waiting;
    /** True once a body read failure was logged: the timeout that caused it is not logged again. */
    private boolean bodyFailureReported;

    /**
     * Prepares to serve {@code channel}, which must be in blocking mode.
     *
     * @param channel the accepted connection
     * @param handler serves the requests
     * @param config {@code maxHeadSize} is the largest vars block ({@code buffer-size}), {@code maxBodySize} is
     *     {@code limit-post}, the read timeout is {@code socket-timeout}
     * @param log receives the layer's reports
     * @param bufferSize the size of the connection's read buffer, in bytes
     * @throws IOException if the channel's addresses cannot be read (it is already closed)
     */
    protected CgiConnection(SocketChannel channel, Handler handler, Http1Config config, Http1Log log, int bufferSize)
            throws IOException {
        if (!channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in blocking mode");
        }
        this.handler = handler;
        this.config = config;
        this.log = log;
        this.readTimeout = config.readTimeout().toNanos();
        this.io = new ConnectionIo(channel, bufferSize, config.writeTimeout().toNanos());
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

    /** Serves requests until {@link #serveNext} says to close, then closes the channel. Never throws. */
    @Override
    public final void run() {
        Next next = Next.LINGER_AND_CLOSE;
        try {
            boolean first = true;
            do {
                next = serveNext(first);
                first = false;
            } while (next == Next.SERVE_ANOTHER && io.isOpen());
        } catch (RuntimeException | Error e) {
            next = Next.LINGER_AND_CLOSE;
            safeLog(() -> log.handlerFailed(null, e));
        } finally {
            if (io.expired() && ("read".equals(io.phase()) || "write".equals(io.phase())) && !bodyFailureReported) {
                safeLog(() -> log.timedOut(peerAddress, io.phase()));
            }
            if (next == Next.CLOSE_QUIETLY) {
                io.close();
            } else {
                io.lingerAndClose(config.lingerTimeout().toNanos(), config.drainLimit());
            }
        }
    }

    /**
     * Reads the next request with the protocol's framing and serves it. Must not throw.
     *
     * @param first true for the connection's first request
     * @return what to do next; {@link Next#SERVE_ANOTHER} only where the protocol keeps connections
     */
    protected abstract Next serveNext(boolean first);

    /**
     * Waits for the first bytes of a request (the wait a graceful shutdown shortens to the shutdown grace) until
     * {@code count} unread bytes are buffered.
     *
     * @param count how many bytes must be buffered
     * @param timeoutNanos the longest wait
     * @param phase what a timeout is reported as: {@code read} is logged, {@code idle} is not
     * @return false if the peer closed, or the wait timed out, first
     * @throws IOException if reading failed otherwise
     */
    protected final boolean awaitFirstBytes(int count, long timeoutNanos, String phase) throws IOException {
        synchronized (this) {
            io.arm(draining ? Math.min(timeoutNanos, config.shutdownGrace().toNanos()) : timeoutNanos, phase);
            waiting = true;
        }
        try {
            return fillTo(count);
        } finally {
            synchronized (this) {
                waiting = false;
            }
            io.disarm();
        }
    }

    /**
     * Waits until {@code count} unread bytes are buffered, at most the read timeout in all.
     *
     * @return false if the peer closed, or the wait timed out, first
     * @throws IOException if reading failed otherwise
     */
    protected final boolean awaitBytes(int count) throws IOException {
        io.arm(readTimeout, "read");
        try {
            return fillTo(count);
        } finally {
            io.disarm();
        }
    }

    private boolean fillTo(int count) throws IOException {
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
        }
    }

    /**
     * Returns how to close after a wait for a request ended without one: quietly if the peer closed cleanly, else
     * lingering (it may have sent part of a request, or the wait timed out).
     */
    protected final Next noRequest() {
        return io.eofSeen() && !io.in().hasRemaining() ? Next.CLOSE_QUIETLY : Next.LINGER_AND_CLOSE;
    }

    /** Returns true once a graceful close began: no further request should be waited for. */
    protected final synchronized boolean draining() {
        return draining;
    }

    /**
     * Serves one request that arrived as {@code vars}, with a body of {@code CONTENT_LENGTH} bytes following on the
     * connection, the answer written straight to it; the connection then closes (uwsgi and SCGI, as uWSGI 2.0).
     *
     * @param vars the request's variables
     * @param style how the response head starts
     * @return how to close: quietly if the whole request was read and nothing more came
     */
    protected final Next serveAndClose(UwsgiVars vars, CgiExchange.HeadStyle style) {
        return serveAndClose(vars, style, 0);
    }

    /**
     * Serves one request as {@link #serveAndClose(UwsgiVars, CgiExchange.HeadStyle)} does, with the given
     * modifier1 in its head (a uwsgi packet's).
     *
     * @param vars the request's variables
     * @param style how the response head starts
     * @param modifier1 the request's modifier1
     * @return how to close: quietly if the whole request was read and nothing more came
     */
    protected final Next serveAndClose(UwsgiVars vars, CgiExchange.HeadStyle style, int modifier1) {
        RequestHead request = mapOrRefuse(vars, io, style);
        if (request == null) {
            return Next.LINGER_AND_CLOSE;
        }
        if (modifier1 != 0) {
            request = request.withModifier1(modifier1);
        }
        long length = Math.max(0, request.contentLength());
        BodyFraming framing = length > 0 ? new BodyFraming(BodyFraming.Kind.LENGTH, length) : BodyFraming.NONE;
        RequestBodyStream body = new RequestBodyStream(() -> false, io, framing, null, false, readTimeout);
        exchange(request, body, io, style);
        return body.isComplete() && body.failure() == null && !io.in().hasRemaining() ? Next.CLOSE_QUIETLY
                : Next.LINGER_AND_CLOSE;
    }

    /**
     * Maps a request's variables to its head ({@link CgiVarsMapping}), or answers a request that cannot be served:
     * 400 for a bad {@code CONTENT_LENGTH} or target, 413 (logged as uWSGI logs it) for a body over
     * {@code limit-post}. After a refusal the connection must close.
     *
     * @param vars the request's variables
     * @param sink where a refusal goes
     * @param style how a refusal's head starts
     * @return the head, or null if the request was refused
     */
    protected final RequestHead mapOrRefuse(UwsgiVars vars, ByteSink sink, CgiExchange.HeadStyle style) {
        RequestHead request;
        try {
            request = CgiVarsMapping.toHead(vars, peerAddress, localAddress, localPort);
        } catch (HttpProtocolException e) {
            refuse(CgiExchange.forRefusal(vars.get("SERVER_PROTOCOL"), vars.get("REQUEST_METHOD"), sink, output,
                    style), e);
            return null;
        }
        if (config.maxBodySize() > 0 && request.contentLength() > config.maxBodySize()) {
            protocolError("Invalid (too big) CONTENT_LENGTH. skip.");
            refuse(CgiExchange.forRefusal(request.protocol(), request.method(), sink, output, style),
                    new HttpProtocolException(413, "request body larger than limit-post"));
            return null;
        }
        return request;
    }

    /**
     * Runs the handler on one request and completes its response: closes a response the handler left open, answers
     * 500 if it answered nothing (unless the request body failed: the peer is gone), and reports the exchange.
     *
     * @param request the request's head
     * @param body the request's body
     * @param sink where the response goes
     * @param style how the response head starts
     * @return true if a whole response was sent; false if it was cut short or none could be sent
     */
    protected final boolean exchange(RequestHead request, BodyInputStream body, ByteSink sink,
            CgiExchange.HeadStyle style) {
        long start = System.nanoTime();
        CgiExchange exchange = new CgiExchange(request, sink, output, body, style);
        Throwable failure = null;
        boolean handled = false;
        try {
            handled = handler.handle(exchange);
        } catch (Throwable t) {
            failure = t;
        }
        Thread.interrupted();
        complete(exchange, handled, failure);
        if (body.failure() instanceof BodyReadException slow) {
            bodyFailureReported = true;
            safeLog(() -> log.bodyReadFailed(peerAddress, slow));
        }
        safeLog(() -> log.exchangeCompleted(exchange, System.nanoTime() - start));
        StreamResponseBody response = exchange.response();
        return response != null && response.isClosed() && !response.broken();
    }

    private void complete(CgiExchange exchange, boolean handled, Throwable failure) {
        if (failure == null && exchange.aborted()) {
            return;
        }
        BodyInputStream body = exchange.requestBody();
        if (failure != null && BodyReadException.in(failure) == null) {
            safeLog(() -> log.handlerFailed(exchange.request(), failure));
        } else if (failure == null && !exchange.committed()
                && !(body.failure() instanceof BodyReadException)) { // the client's failure, logged as such
            safeLog(() -> log.handlerFailed(exchange.request(), StreamExchange.unanswered(handled)));
        }
        try {
            StreamResponseBody response = exchange.responseAfter(failure);
            if (response == null) {
                if (body.failure() != null || !io.isOpen()) {
                    return;
                }
                sendText(exchange, 500, "Internal Server Error\n", null);
            } else if (!response.isClosed() && failure == null) {
                try {
                    response.close();
                } catch (IOException e) {
                    // a write failed or the body was short: reported below
                }
                if (response.shortBody()) {
                    safeLog(() -> log.handlerFailed(exchange.request(),
                            new IOException("response body shorter than its Content-Length; response cut short")));
                }
            }
        } catch (IOException e) {
            // the front server went away
        }
    }

    /** Answers a request that cannot be served with its status; the connection then closes. */
    private void refuse(CgiExchange exchange, HttpProtocolException e) {
        safeLog(() -> log.requestRejected(peerAddress, e.status(), e.reason()));
        try {
            sendText(exchange, e.status(), HttpStatus.reasonPhrase(e.status()) + ": " + e.reason() + "\n",
                    HttpDate.now());
        } catch (IOException ignored) {
            // the front server is gone; the connection closes either way
        }
    }

    private static void sendText(CgiExchange exchange, int status, String text, String date) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        HttpFields fields = new HttpFields(2).add("Content-Type", "text/plain; charset=utf-8");
        if (date != null) {
            fields.add("Date", date);
        }
        try (OutputStream out = exchange.respond(status, fields, bytes.length)) {
            out.write(bytes);
        }
    }

    /** Logs a line about a request refused in a way the protocol cannot answer. */
    protected final void protocolError(String line) {
        safeLog(() -> log.protocolError(line));
    }

    /**
     * Starts a graceful close: the request in flight completes; a wait for a request's first bytes is shortened to
     * the shutdown grace. Thread-safe; idempotent.
     */
    @Override
    public final void beginDrain() {
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

    /** Closes the channel at once; the connection's thread then ends. Thread-safe. */
    @Override
    public final void abort() {
        io.close();
    }

    /** Closes the connection if its current deadline has passed; the listener's watchdog calls it. Thread-safe. */
    @Override
    public final void checkTimeout(long nowNanos) {
        io.expireIfDue(nowNanos);
    }

    /** Runs a log callback; a broken one must not break the connection. */
    protected static void safeLog(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // ignored
        }
    }
}
