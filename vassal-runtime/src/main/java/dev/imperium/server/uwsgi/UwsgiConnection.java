package dev.imperium.server.uwsgi;

import dev.imperium.server.Handler;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.CgiConnection;
import dev.imperium.server.net.CgiExchange;
import dev.imperium.server.net.ConnectionFactory;
import dev.imperium.uwsgi.UwsgiHeader;
import dev.imperium.uwsgi.UwsgiProtocolException;
import dev.imperium.uwsgi.UwsgiVars;
import dev.imperium.uwsgi.UwsgiVarsParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.IntPredicate;

/**
 * Serves one connection of a {@code socket} / {@code uwsgi-socket} with the uwsgi protocol, as nginx's
 * {@code uwsgi_pass} and uWSGI's own routers speak it (uwsgi-docs "The uwsgi protocol"): a 4-byte header
 * (modifier1, little-endian vars size, modifier2), the vars block, then {@code CONTENT_LENGTH} body bytes; the answer
 * is a raw HTTP response (status-line in the request's {@code SERVER_PROTOCOL}, fields, body) and the connection
 * closes after it, as in uWSGI 2.0.
 *
 * <p>Rules, as uWSGI applies them: modifier1 0 (the default app, what nginx sends unless told otherwise) and 8 (the
 * JVM) are served, and 9 (CGI) when the vassal has {@code cgi}; the request head carries it
 * ({@link dev.imperium.server.RequestHead#modifier1()}). Any other is logged
 * {@code -- unavailable modifier requested: N --} and the connection closed; a vars block over
 * {@code buffer-size} is logged with uWSGI's {@code invalid request block size} line and closed; a broken block is
 * logged and closed; more than {@link CgiConnection#MAX_VARS} vars refuse the request. The
 * refusals every CGI-vars protocol shares (400, 413 for {@code limit-post}, 500) are {@link CgiConnection}'s.
 *
 * <p>The response carries {@code Content-Length} when the handler gives a length; otherwise the body ends with the
 * connection ({@link CgiExchange}). Unread request-body bytes are read and discarded (up to the drain limit) before
 * closing, so the front server is not reset before it read the response.
 */
public final class UwsgiConnection extends CgiConnection {
    /** The modifier1 values served when nothing else is said: 0 and 8 (the JVM). */
    public static final IntPredicate APP_MODIFIERS = m -> m == 0 || m == UwsgiHeader.MODIFIER1_JVM;

    private final IntPredicate served;

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
        this(channel, handler, config, log, APP_MODIFIERS);
    }

    /**
     * Prepares to serve {@code channel}, which must be in blocking mode, accepting the packets whose modifier1
     * {@code served} accepts.
     *
     * @throws IOException if the channel's addresses cannot be read (it is already closed)
     */
    public UwsgiConnection(SocketChannel channel, Handler handler, Http1Config config, Http1Log log,
            IntPredicate served) throws IOException {
        super(channel, handler, config, log, Math.max(8192, UwsgiHeader.SIZE + config.maxHeadSize()));
        this.served = served;
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
        return factory(handler, config, log, APP_MODIFIERS);
    }

    /**
     * Returns the factory of connections that serve the packets whose modifier1 {@code served} accepts (e.g.
     * {@link #APP_MODIFIERS} and 9 for a vassal with {@code cgi}); any other is refused as uWSGI refuses it.
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log, IntPredicate served) {
        return channel -> new UwsgiConnection(channel, handler, config, log, served);
    }

    /**
     * One request per connection: ready once the 4-byte header and the whole vars block it announces are buffered
     * (a block over {@code buffer-size} is not ready: the normal path refuses it).
     */
    @Override
    public boolean readyToServeInline() {
        try {
            if (io.fillNow() <= 0) {
                return false;
            }
            ByteBuffer in = io.in();
            if (in.remaining() < UwsgiHeader.SIZE) {
                return false;
            }
            int size = (in.get(in.position() + 1) & 0xff) | (in.get(in.position() + 2) & 0xff) << 8;
            return size <= config.maxHeadSize() && in.remaining() >= UwsgiHeader.SIZE + size;
        } catch (IOException e) {
            return false; // the normal path meets the same error and answers it
        }
    }

    /** Reads the packet's header and vars block, serves the request, and closes. */
    @Override
    protected Next serveNext(boolean first) {
        UwsgiVars vars;
        int modifier1;
        try {
            if (!awaitFirstBytes(UwsgiHeader.SIZE, readTimeout, "read")) {
                return noRequest();
            }
            UwsgiHeader header = UwsgiHeader.decode(io.in());
            modifier1 = header.modifier1();
            if (!served.test(modifier1)) {
                protocolError("-- unavailable modifier requested: " + header.modifier1() + " --");
                return Next.LINGER_AND_CLOSE;
            }
            header.checkBlockSize(config.maxHeadSize());
            if (!awaitBytes(header.dataSize())) {
                return Next.LINGER_AND_CLOSE;
            }
            ByteBuffer in = io.in();
            int blockEnd = in.position() + header.dataSize();
            vars = UwsgiVarsParser.parse(in.duplicate().limit(blockEnd), MAX_VARS);
            in.position(blockEnd);
        } catch (UwsgiProtocolException e) {
            protocolError(e.getMessage());
            return Next.LINGER_AND_CLOSE;
        } catch (IOException e) {
            return Next.LINGER_AND_CLOSE;
        }
        return serveAndClose(vars, CgiExchange.HeadStyle.STATUS_LINE, modifier1);
    }
}
