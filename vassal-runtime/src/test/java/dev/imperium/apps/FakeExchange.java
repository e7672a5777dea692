package dev.imperium.apps;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * An in-memory {@link Exchange} for unit tests: a request built here, and a response captured whole. Like the real
 * protocol layer it refuses a second {@code respond}; unlike it, it keeps every body byte written (even for HEAD), so
 * tests can check that handlers skip the body themselves.
 */
public final class FakeExchange implements Exchange {
    private final RequestHead head;
    private final InputStream body;
    private int status;
    private HttpFields responseFields;
    private long contentLength = Long.MIN_VALUE;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private boolean closed;
    private long transferred;
    private boolean aborted;

    private FakeExchange(RequestHead head, byte[] body) {
        this.head = head;
        this.body = new ByteArrayInputStream(body);
    }

    /** Starts a request; the path is decoded from the target unless {@link Builder#path} sets it. */
    public static Builder request(String method, String target) {
        return new Builder(method, target);
    }

    /** Returns a GET request for {@code target}. */
    public static FakeExchange get(String target) {
        return request("GET", target).build();
    }

    @Override
    public RequestHead request() {
        return head;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public ResponseBody respond(int status, HttpFields fields, long contentLength) {
        if (this.status != 0) {
            throw new IllegalStateException("a response was already started");
        }
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        this.status = status;
        this.responseFields = fields;
        this.contentLength = contentLength;
        return new ResponseBody() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written.write(b, off, len);
            }

            @Override
            public void transferFrom(FileChannel file, long position, long count) throws IOException {
                ByteBuffer buffer = ByteBuffer.allocate((int) count);
                file.read(buffer, position);
                written.write(buffer.array(), 0, buffer.position());
                transferred += buffer.position();
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public void abort() {
        if (status == 0) {
            aborted = true;
        }
    }

    /** Returns true if the handler ended the exchange without an answer. */
    public boolean aborted() {
        return aborted;
    }

    @Override
    public boolean committed() {
        return status != 0;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public int headerCount() {
        return responseFields == null ? 0 : responseFields.size();
    }

    @Override
    public long headerBytes() {
        return responseFields == null ? 0 : responseFields.toString().length();
    }

    @Override
    public long bodyBytes() {
        return written.size();
    }

    /** Returns the response fields sent, or null. */
    public HttpFields responseFields() {
        return responseFields;
    }

    /** Returns the first value of a response field, or null. */
    public String responseField(String name) {
        return responseFields == null ? null : responseFields.get(name);
    }

    /** Returns the content length passed to {@code respond} ({@code Long.MIN_VALUE} if none). */
    public long contentLength() {
        return contentLength;
    }

    /** Returns the body bytes written. */
    public byte[] responseBytes() {
        return written.toByteArray();
    }

    /** Returns the body written, as UTF-8. */
    public String responseText() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** Returns true once the handler closed the response body (ended the response normally). */
    public boolean responseClosed() {
        return closed;
    }

    /** Returns how many bytes went through {@code transferFrom}. */
    public long transferredBytes() {
        return transferred;
    }

    /** Builds a {@link FakeExchange}. */
    public static final class Builder {
        private final String method;
        private final String target;
        private String path;
        private String protocol = "HTTP/1.1";
        private final HttpFields fields = new HttpFields();
        private byte[] body = new byte[0];
        private boolean chunked;
        private String remoteAddress = "127.0.0.1";
        private int remotePort = 50000;
        private int localPort = 8090;
        private String scheme = "http";

        private Builder(String method, String target) {
            this.method = method;
            this.target = target;
        }

        public Builder path(String decodedPath) {
            this.path = decodedPath;
            return this;
        }

        public Builder protocol(String protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder header(String name, String value) {
            fields.add(name, value);
            return this;
        }

        public Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        public Builder body(byte[] bytes) {
            this.body = bytes.clone();
            return this;
        }

        public Builder chunked() {
            this.chunked = true;
            return this;
        }

        public Builder remote(String address, int port) {
            this.remoteAddress = address;
            this.remotePort = port;
            return this;
        }

        public Builder localPort(int port) {
            this.localPort = port;
            return this;
        }

        public Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        public FakeExchange build() {
            int question = target.indexOf('?');
            String query = question < 0 ? "" : target.substring(question + 1);
            String decoded = path != null ? path
                    : URI.create(question < 0 ? target : target.substring(0, question)).getPath();
            long length = chunked ? -1 : fields.contains("Content-Length")
                    ? Long.parseLong(fields.get("Content-Length")) : -1;
            RequestHead head = new RequestHead(method, target, decoded, query, protocol, fields, length, chunked,
                    remoteAddress, remotePort, "127.0.0.1", localPort, scheme);
            return new FakeExchange(head, body);
        }
    }
}
