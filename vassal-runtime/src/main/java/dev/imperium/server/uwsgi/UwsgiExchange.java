package dev.imperium.server.uwsgi;

import dev.imperium.http.HttpFields;
import dev.imperium.http.ResponseHeadEncoder;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.server.net.ConnectionIo;
import dev.imperium.server.net.OutputBuffer;
import dev.imperium.server.net.RequestBodyStream;
import dev.imperium.server.net.StreamResponseBody;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one request and response of a uwsgi connection (also used for SCGI, whose answer is the same raw HTTP).
 *
 * <p>{@link #respond} writes the status-line in the request's {@code SERVER_PROTOCOL} ({@code HTTP/1.0} when it is
 * missing or not a plain token, as uWSGI's {@code proto/base.c}), the handler's fields without
 * {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection}, then {@code Content-Length} when the
 * length is known. Without a length the body ends when the connection closes. HEAD, 204 and 304 responses carry no
 * body. Used by one thread at a time.
 */
final class UwsgiExchange implements Exchange {
    private final RequestHead request;
    private final ConnectionIo io;
    private final OutputBuffer output;
    private final RequestBodyStream body;
    private final boolean headRequest;
    private StreamResponseBody response;
    private int status;
    private int headerCount;
    private long headerBytes;

    UwsgiExchange(RequestHead request, ConnectionIo io, OutputBuffer output, RequestBodyStream body) {
        this.request = request;
        this.io = io;
        this.output = output;
        this.body = body;
        this.headRequest = "HEAD".equals(request.method());
    }

    /** Returns {@code protocol} if it is a plain token such as {@code HTTP/1.1}, else {@code HTTP/1.0}. */
    static String statusProtocol(String protocol) {
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
        return body;
    }

    @Override
    public ResponseBody respond(int status, HttpFields fields, long contentLength) throws IOException {
        if (response != null) {
            throw new IllegalStateException("a response was already started");
        }
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + status);
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 or more: " + contentLength);
        }
        boolean noBody = headRequest || status == 204 || status == 304;
        StreamResponseBody.Mode mode = noBody ? StreamResponseBody.Mode.DISCARD
                : contentLength >= 0 ? StreamResponseBody.Mode.LENGTH : StreamResponseBody.Mode.UNTIL_CLOSE;
        ResponseHeadEncoder head = new ResponseHeadEncoder().statusLine(statusProtocol(request.protocol()), status);
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
        output.setRaw(head.array(), head.length());
        this.status = status;
        this.headerCount = head.fieldCount();
        this.headerBytes = head.length();
        response = new StreamResponseBody(io, output, mode, contentLength);
        return response;
    }

    @Override
    public boolean committed() {
        return response != null;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public int headerCount() {
        return headerCount;
    }

    @Override
    public long headerBytes() {
        return headerBytes;
    }

    @Override
    public long bodyBytes() {
        return response == null ? 0 : response.written();
    }

    /** Returns the response body, or null before {@link #respond}. */
    StreamResponseBody response() {
        return response;
    }

    /** Returns the request body stream. */
    RequestBodyStream requestBody() {
        return body;
    }

    /** Forgets a response whose bytes were never sent, so another can be sent instead. */
    void discardResponse() {
        response = null;
        status = 0;
        headerCount = 0;
        headerBytes = 0;
        output.clear();
    }
}
