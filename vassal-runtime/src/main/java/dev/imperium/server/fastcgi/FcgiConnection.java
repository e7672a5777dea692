package dev.imperium.server.fastcgi;

import dev.imperium.fastcgi.FcgiBeginRequest;
import dev.imperium.fastcgi.FcgiParamsAccumulator;
import dev.imperium.fastcgi.FcgiParamsParser;
import dev.imperium.fastcgi.FcgiProtocolException;
import dev.imperium.fastcgi.FcgiRecordEncoder;
import dev.imperium.fastcgi.FcgiRecordHeader;
import dev.imperium.fastcgi.FcgiRecordType;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.BodyInputStream;
import dev.imperium.server.net.CgiConnection;
import dev.imperium.server.net.CgiExchange;
import dev.imperium.server.net.ConnectionFactory;
import dev.imperium.uwsgi.UwsgiVars;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * Serves one connection of a {@code fastcgi-socket} as a FastCGI 1.0 Responder (FastCGI Specification 1.0), as
 * nginx's {@code fastcgi_pass} speaks it: a BEGIN_REQUEST record, the PARAMS stream up to its empty record (the CGI
 * variables), the STDIN stream up to its empty record (the body); the answer is a CGI-style head
 * ({@code Status: 200 OK}, the fields, a blank line) and the body as STDOUT records, then an empty STDOUT record and
 * END_REQUEST ({@code FCGI_REQUEST_COMPLETE}), as uWSGI's {@code proto/fastcgi.c} sends them. {@code Content-Length}
 * is passed on when the handler gives a length; HEAD, 204 and 304 answers carry no body.
 *
 * <p>Rules (section numbers of the spec):
 * <ul>
 *   <li>A role other than Responder is answered END_REQUEST {@code FCGI_UNKNOWN_ROLE} (5.1, 5.5).</li>
 *   <li>One request at a time: a BEGIN_REQUEST for another id while a request is active is answered END_REQUEST
 *       {@code FCGI_CANT_MPX_CONN} (5.5); records of ids that are not active are ignored (3.3).</li>
 *   <li>{@code FCGI_KEEP_CONN} (5.1): with the flag the connection waits for the next request (up to
 *       {@code socket-timeout}, or the shutdown grace once draining); without it, the connection closes after
 *       END_REQUEST.</li>
 *   <li>Management records (4): GET_VALUES is answered with {@code FCGI_MPXS_CONNS} 0 (a worker does not know the
 *       vassal's totals, so {@code FCGI_MAX_CONNS} and {@code FCGI_MAX_REQS} are left out, as 4.1 allows); any
 *       other is answered UNKNOWN_TYPE.</li>
 *   <li>ABORT_REQUEST (5.4) ends the request: its body reads fail, and END_REQUEST follows.</li>
 *   <li>The body the handler reads is bounded by {@code CONTENT_LENGTH} when given; an unread rest of STDIN is read
 *       and discarded (up to the drain limit) before END_REQUEST, as uWSGI does.</li>
 *   <li>A params stream over {@code buffer-size}, a broken record or params stream, a version other than 1: logged,
 *       and the connection closed without an answer (the web server answers 502). If the response is cut short (the
 *       handler failed after it started), the connection closes without END_REQUEST, so the web server sees the
 *       failure. The refusals every CGI-vars protocol shares (400, 413 for {@code limit-post}, 500) are
 *       {@link CgiConnection}'s.</li>
 * </ul>
 *
 * <p>uWSGI 2.0 differs: it ignores BEGIN_REQUEST (any role, no multiplexing check), closes after every request
 * whatever {@code FCGI_KEEP_CONN} says, and answers no management record.
 */
public final class FcgiConnection extends CgiConnection {
    private CgiExchange.HeadStyle style = CgiExchange.HeadStyle.CGI_STATUS;
    private static final int READ_BUFFER = 16384;
    private static final String MPXS_CONNS = "FCGI_MPXS_CONNS";
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final FcgiParamsAccumulator params;
    private final byte[] control = new byte[Math.max(FcgiRecordEncoder.GET_VALUES_RESULT_MAX_LENGTH,
            FcgiRecordHeader.SIZE + FcgiRecordEncoder.END_REQUEST_LENGTH)];
    /** The id of the request being served, 0 between requests. */
    private int activeId;
    /** Whether the web server aborted the active request. */
    private boolean aborted;

    /**
     * Prepares to serve {@code channel}, which must be in blocking mode.
     *
     * @param channel the accepted connection
     * @param handler serves the requests
     * @param config {@code maxHeadSize} is the largest params stream ({@code buffer-size}), {@code maxBodySize} is
     *     {@code limit-post}, the read and idle timeouts are {@code socket-timeout}
     * @param log receives the layer's reports
     * @throws IOException if the channel's addresses cannot be read (it is already closed)
     */
    public FcgiConnection(SocketChannel channel, Handler handler, Http1Config config, Http1Log log)
            throws IOException {
        super(channel, handler, config, log, READ_BUFFER);
        this.params = new FcgiParamsAccumulator(config.maxHeadSize());
    }

    /**
     * Returns the factory a {@link dev.imperium.server.net.Listener} uses to serve each accepted channel with
     * FastCGI.
     *
     * @param handler serves every request
     * @param config limits and timeouts (see the constructor)
     * @param log receives the layer's reports
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log) {
        return factory(handler, config, log, false);
    }

    /**
     * Returns the factory for a FastCGI socket, or for its {@code -nph} variant, which answers with a raw HTTP
     * status-line in the request's {@code SERVER_PROTOCOL} instead of a CGI {@code Status:} field (uWSGI's
     * {@code fastcgi-nph-socket}, {@code proto/fastcgi.c}).
     */
    public static ConnectionFactory factory(Handler handler, Http1Config config, Http1Log log, boolean nph) {
        CgiExchange.HeadStyle style = nph ? CgiExchange.HeadStyle.STATUS_LINE : CgiExchange.HeadStyle.CGI_STATUS;
        return channel -> {
            FcgiConnection connection = new FcgiConnection(channel, handler, config, log);
            connection.style = style;
            return connection;
        };
    }

    @Override
    protected Next serveNext(boolean first) {
        activeId = 0;
        aborted = false;
        params.reset();
        try {
            return serveRequest(first);
        } catch (FcgiProtocolException e) {
            protocolError(e.getMessage());
            return Next.LINGER_AND_CLOSE;
        } catch (IOException e) {
            return Next.LINGER_AND_CLOSE;
        }
    }

    private Next serveRequest(boolean first) throws IOException {
        FcgiRecordHeader header;
        FcgiBeginRequest begin;
        while (true) {
            long wait = first ? readTimeout : config.idleTimeout().toNanos();
            if (!awaitFirstBytes(FcgiRecordHeader.SIZE, wait, first ? "read" : "idle")) {
                return noRequest();
            }
            header = FcgiRecordHeader.decode(io.in());
            if (header.type() != FcgiRecordType.BEGIN_REQUEST || header.isManagement()) {
                otherRecord(header);
                continue;
            }
            begin = FcgiBeginRequest.decode(content(header));
            if (begin.isResponder()) {
                break;
            }
            endRequest(header.requestId(), FcgiRecordEncoder.UNKNOWN_ROLE, false);
            if (!begin.keepConn()) {
                return Next.LINGER_AND_CLOSE;
            }
        }
        int id = header.requestId();
        activeId = id;
        while (!params.isComplete()) {
            header = nextHeader();
            if (header.requestId() == id && header.type() == FcgiRecordType.PARAMS) {
                appendParams(header);
            } else {
                otherRecord(header);
                if (aborted) {
                    endRequest(id, FcgiRecordEncoder.REQUEST_COMPLETE, true);
                    return afterAbort(begin);
                }
            }
        }
        UwsgiVars vars = params.vars(MAX_VARS);
        FcgiStdoutSink stdout = new FcgiStdoutSink(io, id);
        RequestHead request = mapOrRefuse(vars, stdout, style);
        if (request == null) {
            endRequest(id, FcgiRecordEncoder.REQUEST_COMPLETE, true);
            return Next.LINGER_AND_CLOSE;
        }
        StdinStream body = new StdinStream(id, request.contentLength());
        boolean intact = exchange(request, body, stdout, style);
        if (aborted) {
            endRequest(id, FcgiRecordEncoder.REQUEST_COMPLETE, true);
            return afterAbort(begin);
        }
        if (!intact || !io.isOpen()) {
            return Next.LINGER_AND_CLOSE;
        }
        boolean drained = body.isComplete() || body.drain(config.drainLimit());
        if (aborted) {
            endRequest(id, FcgiRecordEncoder.REQUEST_COMPLETE, true);
            return afterAbort(begin);
        }
        endRequest(id, FcgiRecordEncoder.REQUEST_COMPLETE, true);
        if (!drained) {
            return Next.LINGER_AND_CLOSE;
        }
        if (begin.keepConn() && !draining()) {
            return Next.SERVE_ANOTHER;
        }
        return io.in().hasRemaining() ? Next.LINGER_AND_CLOSE : Next.CLOSE_QUIETLY;
    }

    private Next afterAbort(FcgiBeginRequest begin) {
        return begin.keepConn() && !draining() ? Next.SERVE_ANOTHER : Next.LINGER_AND_CLOSE;
    }

    /**
     * Handles a record that is not the next part of the stream being read: answers management records, refuses a
     * second request, notes an abort of the active one, skips records of ids that are not active.
     *
     * @throws FcgiProtocolException for a record of the active request that has no place here
     */
    private void otherRecord(FcgiRecordHeader header) throws IOException {
        if (header.isManagement()) {
            managementRecord(header);
            return;
        }
        if (activeId == 0 || header.requestId() != activeId) {
            discard(header.contentLength() + header.paddingLength());
            if (header.type() == FcgiRecordType.BEGIN_REQUEST) {
                endRequest(header.requestId(), FcgiRecordEncoder.CANT_MPX_CONN, false);
            }
            return;
        }
        if (header.type() == FcgiRecordType.ABORT_REQUEST) {
            discard(header.contentLength() + header.paddingLength());
            aborted = true;
            return;
        }
        throw new FcgiProtocolException("FastCGI " + FcgiRecordType.name(header.type())
                + " record out of place in request " + activeId);
    }

    private void managementRecord(FcgiRecordHeader header) throws IOException {
        int end;
        if (header.type() == FcgiRecordType.GET_VALUES) {
            ByteBuffer content = content(header);
            UwsgiVars query = FcgiParamsParser.parse(content, MAX_VARS, content.remaining());
            String[] names = new String[1];
            String[] values = new String[1];
            int count = 0;
            for (int i = 0; i < query.size() && count == 0; i++) {
                if (query.name(i).equals(MPXS_CONNS)) {
                    names[count] = MPXS_CONNS;
                    values[count++] = "";
                }
            }
            end = FcgiRecordEncoder.writeGetValuesResult(control, 0, UwsgiVars.of(names, values, count), 1, 1);
        } else {
            discard(header.contentLength() + header.paddingLength());
            end = FcgiRecordEncoder.writeUnknownType(control, 0, header.type());
        }
        io.write(ByteBuffer.wrap(control, 0, end));
    }

    /** Sends END_REQUEST, after an empty STDOUT record that ends the response if {@code endStdout}. */
    private void endRequest(int id, int protocolStatus, boolean endStdout) throws IOException {
        int at = endStdout ? FcgiRecordEncoder.writeStdoutEnd(control, 0, id) : 0;
        at = FcgiRecordEncoder.writeEndRequest(control, at, id, 0, protocolStatus);
        io.write(ByteBuffer.wrap(control, 0, at));
    }

    /** Adds a PARAMS record's content to the params stream, part by part as it arrives. */
    private void appendParams(FcgiRecordHeader header) throws IOException {
        int left = header.contentLength();
        if (left == 0) {
            params.append(EMPTY.duplicate());
        }
        ByteBuffer in = io.in();
        while (left > 0) {
            if (!in.hasRemaining() && !awaitBytes(1)) {
                throw cutShort();
            }
            int n = Math.min(left, in.remaining());
            params.append(in.duplicate().limit(in.position() + n));
            in.position(in.position() + n);
            left -= n;
        }
        discard(header.paddingLength());
    }

    /** Reads a small record's content (BEGIN_REQUEST, GET_VALUES) and its padding; returns a copy. */
    private ByteBuffer content(FcgiRecordHeader header) throws IOException {
        int length = header.contentLength();
        if (length > io.in().capacity()) {
            throw new FcgiProtocolException("FastCGI " + FcgiRecordType.name(header.type()) + " record of " + length
                    + " bytes is too large");
        }
        if (!awaitBytes(length)) {
            throw cutShort();
        }
        byte[] copy = new byte[length];
        io.in().get(copy);
        discard(header.paddingLength());
        return ByteBuffer.wrap(copy);
    }

    private FcgiRecordHeader nextHeader() throws IOException {
        if (!awaitBytes(FcgiRecordHeader.SIZE)) {
            throw cutShort();
        }
        return FcgiRecordHeader.decode(io.in());
    }

    /** Reads and discards {@code count} bytes. */
    private void discard(long count) throws IOException {
        ByteBuffer in = io.in();
        long left = count;
        while (left > 0) {
            if (!in.hasRemaining() && !awaitBytes(1)) {
                throw cutShort();
            }
            int n = (int) Math.min(left, in.remaining());
            in.position(in.position() + n);
            left -= n;
        }
    }

    private static EOFException cutShort() {
        return new EOFException("the web server closed the connection inside a FastCGI request");
    }

    /**
     * The active request's STDIN stream as its body: the contents of its STDIN records, up to the empty one, and no
     * further than {@code CONTENT_LENGTH} when that is given. Records of other kinds that arrive in between are
     * handled as {@link #otherRecord} says; an ABORT_REQUEST fails the stream.
     */
    private final class StdinStream extends BodyInputStream {
        private final int id;
        private final boolean bounded;
        /** Bytes the handler may still read: what is left of CONTENT_LENGTH, or no limit. */
        private long limitLeft;
        private int recordLeft;
        private int paddingLeft;
        /** The empty STDIN record was read. */
        private boolean ended;
        private IOException failure;

        StdinStream(int id, long contentLength) {
            this.id = id;
            this.bounded = contentLength >= 0;
            this.limitLeft = bounded ? contentLength : Long.MAX_VALUE;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (failure != null) {
                throw failure;
            }
            if (len == 0) {
                return 0;
            }
            if (limitLeft == 0) {
                return -1;
            }
            int n = readStream(b, off, (int) Math.min(len, limitLeft));
            if (n < 0) {
                if (bounded) {
                    throw fail(new EOFException("the FastCGI STDIN stream ended " + limitLeft
                            + " bytes before CONTENT_LENGTH"));
                }
                return -1;
            }
            limitLeft -= n;
            return n;
        }

        /** Reads stream bytes whatever CONTENT_LENGTH says; -1 at the empty STDIN record. */
        private int readStream(byte[] b, int off, int len) throws IOException {
            try {
                while (recordLeft == 0) {
                    if (ended) {
                        return -1;
                    }
                    nextStdinRecord();
                }
                int n = io.read(b, off, Math.min(len, recordLeft), readTimeout);
                if (n < 0) {
                    throw cutShort();
                }
                recordLeft -= n;
                return n;
            } catch (IOException e) {
                throw fail(e);
            }
        }

        private void nextStdinRecord() throws IOException {
            discard(paddingLeft);
            paddingLeft = 0;
            while (true) {
                FcgiRecordHeader header = nextHeader();
                if (header.requestId() == id && header.type() == FcgiRecordType.STDIN) {
                    recordLeft = header.contentLength();
                    paddingLeft = header.paddingLength();
                    if (recordLeft == 0) {
                        ended = true;
                        discard(paddingLeft);
                        paddingLeft = 0;
                    }
                    return;
                }
                otherRecord(header);
                if (aborted) {
                    throw new IOException("the web server aborted the request (FCGI_ABORT_REQUEST)");
                }
            }
        }

        private IOException fail(IOException e) {
            if (failure == null) {
                failure = e;
                if (e instanceof FcgiProtocolException) {
                    protocolError(e.getMessage());
                }
            }
            return failure;
        }

        @Override
        public int available() {
            if (failure != null || ended) {
                return 0;
            }
            return (int) Math.min(Math.min(recordLeft, io.in().remaining()), limitLeft);
        }

        @Override
        public boolean drain(long limit) {
            if (ended) {
                return true;
            }
            if (failure != null) {
                return false;
            }
            return discardRest(this::readStream, limit);
        }

        @Override
        public boolean isComplete() {
            return ended;
        }

        @Override
        public IOException failure() {
            return failure;
        }

        @Override
        public void close() {
            // the connection owns the socket; an unread rest is drained after the handler returns
        }
    }
}
