package dev.imperium.server.scgi;

import dev.imperium.scgi.ScgiProtocolException;
import dev.imperium.scgi.ScgiRequest;
import dev.imperium.scgi.ScgiRequestParser;
import dev.imperium.server.Handler;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.CgiConnection;
import dev.imperium.server.net.CgiExchange;
import dev.imperium.server.net.ConnectionFactory;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Serves one connection of an {@code scgi-socket} with SCGI, as nginx's {@code scgi_pass} speaks it (SCGI
 * specification; uWSGI 2.0 {@code proto/scgi.c}): a netstring of headers ({@code CONTENT_LENGTH} first,
 * {@code SCGI: 1}), then {@code CONTENT_LENGTH} body bytes; one request per connection, which closes after the
 * response.
 *
 * <p>The answer is CGI-style, as uWSGI's {@code scgi-socket} sends it ({@code uwsgi_proto_base_cgi_prepare_headers}):
 * {@code Status: 200 OK}, the fields, a blank line, the body; {@code Content-Length} when the handler gives a length,
 * otherwise the body ends with the connection ({@link CgiExchange}). nginx, Apache's {@code mod_proxy_scgi} and
 * lighttpd all read this form.
 *
 * <p>Rules: a netstring over {@code buffer-size} is refused from its length digits alone and logged with uWSGI's
 * {@code invalid SCGI request size ... skip} line; any other broken netstring or header list is logged and the
 * connection closed without an answer (the front server answers 502); more than {@link CgiConnection#MAX_VARS}
 * headers refuse the request. The refusals every CGI-vars protocol shares (400, 413 for {@code limit-post}, 500) are
 * {@link CgiConnection}'s. Unread body bytes are drained before closing, as for uwsgi.
 */
public final class ScgiConnection extends CgiConnection {
    private CgiExchange.HeadStyle style = CgiExchange.HeadStyle.CGI_STATUS;
    /**
     * Prepares to serve {@code channel}, which must be in blocking mode.
     *
     * @param channel the accepted connection
     * @param handler serves the request
     * @param config {@code maxHeadSize} is the largest netstring ({@code buffer-size}), {@code maxBodySize} is
     *     {@code limit-post}, the read timeout is {@code socket-timeout}
     * @param log receives the layer's reports
     * @throws IOException if the channel's addresses cannot be read (it is already closed)
     */
    public ScgiConnection(SocketChannel channel, Handler handler, Http1Config config, Http1Log log)
            throws IOException {
        super(channel, handler, config, log, Math.max(8192, config.maxHeadSize()));
    }

    /**
     * Returns the factory a {@link dev.imperium.server.net.Listener} uses to serve each accepted channel with SCGI.
     *
     * @param handler serves every request
     * @param config limits and timeouts (see the constructor)
     * @param log receives the layer's reports
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log) {
        return factory(handler, config, log, false);
    }

    /**
     * Returns the factory for a SCGI socket, or for its {@code -nph} variant, which answers with a raw HTTP
     * status-line in the request's {@code SERVER_PROTOCOL} instead of a CGI {@code Status:} field (uWSGI's
     * {@code scgi-nph-socket}, {@code proto/scgi.c}).
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log, boolean nph) {
        CgiExchange.HeadStyle style = nph ? CgiExchange.HeadStyle.STATUS_LINE : CgiExchange.HeadStyle.CGI_STATUS;
        return channel -> {
            ScgiConnection connection = new ScgiConnection(channel, handler, config, log);
            connection.style = style;
            return connection;
        };
    }

    /** Reads the netstring, serves the request, and closes. */
    @Override
    protected Next serveNext(boolean first) {
        ScgiRequest request;
        try {
            if (!awaitFirstBytes(1, readTimeout, "read")) {
                return noRequest();
            }
            // the buffer holds buffer-size bytes or more, and a longer netstring is refused from its digits
            io.arm(readTimeout, "read");
            try {
                while ((request = ScgiRequestParser.parse(io.in(), MAX_VARS, config.maxHeadSize())) == null) {
                    if (io.fill() < 0) {
                        return Next.LINGER_AND_CLOSE;
                    }
                }
            } finally {
                io.disarm();
            }
        } catch (ScgiProtocolException e) {
            protocolError(e.getMessage());
            return Next.LINGER_AND_CLOSE;
        } catch (IOException e) {
            return Next.LINGER_AND_CLOSE;
        }
        return serveAndClose(request.vars(), style);
    }
}
