package dev.imperium.server.http;

import dev.imperium.http.FieldTokens;
import dev.imperium.http.HttpDate;
import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpVersion;
import dev.imperium.http.ResponseHeadEncoder;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.server.net.StreamExchange;
import dev.imperium.server.net.RequestBodyStream;
import dev.imperium.server.net.StreamResponseBody;
import java.io.IOException;
import java.io.InputStream;

/**
 * One request and response on an HTTP/1.1 connection.
 *
 * <p>{@link #respond} decides the response framing and persistence (RFC 9112 §6.3, §9.3): Content-Length when the
 * length is known; chunked when unknown on HTTP/1.1; close-delimited on HTTP/1.0; no body for HEAD, 204 and 304.
 * It answers in the request's HTTP-version, adds {@code Date} if the handler did not, and adds
 * {@code Connection: close} (HTTP/1.1) or {@code Connection: keep-alive} (HTTP/1.0) as needed. The head is held in
 * the connection's buffer and sent with the first body bytes. Used by one thread at a time.
 */
final class Http1Exchange extends StreamExchange {
    private final Http1Connection connection;
    private final RequestHead request;
    private final HttpVersion version;
    private final boolean headRequest;
    private final RequestBodyStream body;
    private boolean closeAfter;

    Http1Exchange(Http1Connection connection, RequestHead request, HttpVersion version, RequestBodyStream body) {
        super(connection.output());
        this.connection = connection;
        this.request = request;
        this.version = version;
        this.headRequest = "HEAD".equals(request.method());
        this.body = body;
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
        checkNotStarted();
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + status);
        }
        if (contentLength < -1) {
            throw new IllegalArgumentException("contentLength must be -1 or more: " + contentLength);
        }
        boolean close = connection.mustCloseAfter(body) || FieldTokens.contains(fields, "Connection", "close");
        StreamResponseBody.Mode mode;
        if (headRequest || status == 204 || status == 304) {
            mode = StreamResponseBody.Mode.DISCARD;
        } else if (contentLength >= 0) {
            mode = StreamResponseBody.Mode.LENGTH;
        } else if (version == HttpVersion.HTTP_1_1) {
            mode = StreamResponseBody.Mode.CHUNKED;
        } else {
            mode = StreamResponseBody.Mode.UNTIL_CLOSE;
            close = true;
        }
        ResponseHeadEncoder head = connection.encoder().statusLine(version, status);
        boolean hasDate = false;
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.name(i);
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue;
            }
            hasDate |= name.equalsIgnoreCase("Date");
            head.field(name, fields.value(i));
        }
        if (!hasDate) {
            head.field("Date", HttpDate.now());
        }
        if (contentLength >= 0 && status != 204) {
            head.field("Content-Length", contentLength);
        } else if (mode == StreamResponseBody.Mode.CHUNKED) {
            head.field("Transfer-Encoding", "chunked");
        }
        if (close && version == HttpVersion.HTTP_1_1) {
            head.field("Connection", "close");
        } else if (!close && version == HttpVersion.HTTP_1_0) {
            head.field("Connection", "keep-alive");
        }
        head.end();
        this.closeAfter = close;
        return started(status, head, connection.io(), mode, contentLength);
    }

    /** Returns the request body stream. */
    RequestBodyStream requestBody() {
        return body;
    }

    /** Returns true if the response said the connection closes after it. */
    boolean closeAfter() {
        return closeAfter;
    }

    /** Returns true for a HEAD request. */
    boolean headRequest() {
        return headRequest;
    }

    @Override
    public void discardResponse() {
        super.discardResponse();
        closeAfter = false;
    }
}
