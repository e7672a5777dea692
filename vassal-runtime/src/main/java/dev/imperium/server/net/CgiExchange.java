package dev.imperium.server.net;

import dev.imperium.http.HttpFields;
import dev.imperium.http.ResponseHeadEncoder;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request and response of a connection whose requests arrive as CGI variables: uwsgi, SCGI, FastCGI.
 *
 * <p>{@link #respond} writes the head in the connection's {@link HeadStyle}, the handler's fields without
 * {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection}, then {@code Content-Length} when the
 * length is known (and the status is not 204). The front server frames the response for its client, so no
 * {@code Date} is added. Without a length the body ends with the stream: the connection's close, or FastCGI's empty
 * STDOUT record. HEAD, 204 and 304 responses carry no body. Used by one thread at a time.
 */
public final class CgiExchange extends StreamExchange {
    /** How the response head starts (uWSGI 2.0 {@code proto/base.c}). */
    public enum HeadStyle {
        /**
         * A status-line in the request's {@code SERVER_PROTOCOL}, {@code HTTP/1.1 200 OK}: uWSGI's
         * {@code uwsgi_proto_base_prepare_headers}, used by the uwsgi protocol (and the {@code -nph} sockets).
         */
        STATUS_LINE,
        /**
         * A CGI {@code Status} field, {@code Status: 200 OK} (RFC 3875 §6.3.3): uWSGI's
         * {@code uwsgi_proto_base_cgi_prepare_headers}, used by its {@code fastcgi-socket} and {@code scgi-socket}.
         */
        CGI_STATUS
    }

    private final RequestHead request;
    private final String protocol;
    private final boolean headRequest;
    private final ByteSink sink;
    private final BodyInputStream body;
    private final HeadStyle style;

    /**
     * Creates the exchange of one request.
     *
     * @param request the request
     * @param sink where the response goes: the connection, or FastCGI's STDOUT records
     * @param output the connection's output buffer
     * @param body the request body
     * @param style how the response head starts
     */
    public CgiExchange(RequestHead request, ByteSink sink, OutputBuffer output, BodyInputStream body,
            HeadStyle style) {
        this(request, request.protocol(), "HEAD".equals(request.method()), sink, output, body, style);
    }

    private CgiExchange(RequestHead request, String protocol, boolean headRequest, ByteSink sink,
            OutputBuffer output, BodyInputStream body, HeadStyle style) {
        super(output);
        this.request = request;
        this.protocol = protocol;
        this.headRequest = headRequest;
        this.sink = sink;
        this.body = body;
        this.style = style;
    }

    /**
     * Creates an exchange only to answer a request that cannot be mapped to a {@link RequestHead} (its
     * {@link #request()} is null, its body empty).
     *
     * @param protocol the request's {@code SERVER_PROTOCOL}, or null
     * @param method the request's {@code REQUEST_METHOD}, or null
     * @param sink where the response goes
     * @param output the connection's output buffer
     * @param style how the response head starts
     * @return the exchange
     */
    public static CgiExchange forRefusal(String protocol, String method, ByteSink sink, OutputBuffer output,
            HeadStyle style) {
        return new CgiExchange(null, protocol, "HEAD".equals(method), sink, output, null, style);
    }

    /**
     * Returns {@code protocol} if it is a plain token such as {@code HTTP/1.1}, else {@code HTTP/1.0}, as uWSGI's
     * {@code proto/base.c} answers a request without a usable {@code SERVER_PROTOCOL}.
     */
    public static String statusProtocol(String protocol) {
        if (protocol == null || protocol.isEmpty() || protocol.length() > 32) {
            return "HTTP/1.0";
        }
        for (int i = 0; i < protocol.length(); i++) {
            char c = protocol.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "HTTP/1.0";
            }
        }
        return protocol;
    }

    @Override
    public RequestHead request() {
        return request;
    }

    @Override
    public InputStream body() {
        return body == null ? InputStream.nullInputStream() : body;
    }

    @Override
    public ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException {
        checkNotStarted();
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + status);
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 or more: " + contentLength);
        }
        boolean noBody = headRequest || status == 204 || status == 304;
        StreamResponseBody.Mode mode = noBody ? StreamResponseBody.Mode.DISCARD
                : contentLength >= 0 ? StreamResponseBody.Mode.LENGTH : StreamResponseBody.Mode.UNTIL_CLOSE;
        // "Status:" is a token to the encoder, so the CGI head comes out as "Status: 200 OK\r\n"
        ResponseHeadEncoder head = new ResponseHeadEncoder()
                .statusLine(style == HeadStyle.CGI_STATUS ? "Status:" : statusProtocol(protocol), status);
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.name(i);
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue;
            }
            head.field(name, fields.value(i));
        }
        if (contentLength >= 0 && status != 204) {
            head.field("Content-Length", contentLength);
        }
        head.end();
        return started(status, head, sink, mode, contentLength);
    }

    /** Returns the request body stream, or null for an exchange {@link #forRefusal}. */
    public BodyInputStream requestBody() {
        return body;
    }

}
