package dev.imperium.server.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imperium.fastcgi.FcgiBeginRequest;
import dev.imperium.fastcgi.FcgiParamsEncoder;
import dev.imperium.fastcgi.FcgiParamsParser;
import dev.imperium.fastcgi.FcgiRecordEncoder;
import dev.imperium.fastcgi.FcgiRecordHeader;
import dev.imperium.fastcgi.FcgiRecordType;
import dev.imperium.http.HttpFields;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.net.LoopbackServer;
import dev.imperium.uwsgi.UwsgiVars;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The FastCGI connection over real loopback sockets, with a byte-exact web-server side: the Responder exchange,
 * kept connections, multiplexing refused, management records, aborts, refusals, timeouts and draining.
 */
@Timeout(30)
class FcgiConnectionTest {
    @RegisterExtension
    final LoopbackServer server = new LoopbackServer();
    private final List<String> logged = server.logged;
    private final AtomicReference<RequestHead> seen = server.seen;
    private final Handler echo = server.echo;

    private void start(Handler handler, Http1Config config) throws IOException {
        server.start(FcgiConnection::factory, handler, config);
    }

    private static Map<String, String> params(String method, String uri, int contentLength) {
        Map<String, String> params = LoopbackServer.requestVars(method, uri);
        params.put("CONTENT_LENGTH", contentLength < 0 ? "" : Integer.toString(contentLength));
        return params;
    }

    /** One record as received. */
    private record Record(int type, int id, byte[] content) {
        int endRequestStatus() {
            return content[4] & 0xFF;
        }

        int appStatus() {
            return ByteBuffer.wrap(content).getInt(0);
        }
    }

    /** What a web server writes and reads on one connection. */
    private final class Client implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Client() throws IOException {
            socket = server.connect();
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
        }

        Client record(int type, int id, byte[] content, int padding) {
            ByteBuffer header = ByteBuffer.allocate(FcgiRecordHeader.SIZE);
            new FcgiRecordHeader(1, type, id, content.length, padding).encode(header);
            pending.writeBytes(header.array());
            pending.writeBytes(content);
            pending.writeBytes(new byte[padding]);
            return this;
        }

        Client begin(int id, int role, boolean keep) {
            ByteBuffer body = ByteBuffer.allocate(FcgiBeginRequest.SIZE);
            new FcgiBeginRequest(role, keep).encode(body);
            return record(FcgiRecordType.BEGIN_REQUEST, id, body.array(), 0);
        }

        /** The params stream, cut into records of {@code piece} bytes (so pairs straddle records), then the end. */
        Client params(int id, Map<String, String> params, int piece) {
            FcgiParamsEncoder encoder = new FcgiParamsEncoder();
            params.forEach(encoder::add);
            byte[] stream = encoder.toByteArray();
            for (int at = 0; at < stream.length; at += piece) {
                record(FcgiRecordType.PARAMS, id, java.util.Arrays.copyOfRange(stream, at,
                        Math.min(stream.length, at + piece)), 3);
            }
            return record(FcgiRecordType.PARAMS, id, new byte[0], 0);
        }

        /** The body in STDIN records of at most {@code piece} bytes, padded to 8, then the empty STDIN record. */
        Client stdin(int id, byte[] body, int piece) {
            stdinPart(id, body, piece);
            return record(FcgiRecordType.STDIN, id, new byte[0], 0);
        }

        Client stdinPart(int id, byte[] body, int piece) {
            for (int at = 0; at < body.length; at += piece) {
                byte[] part = java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + piece));
                record(FcgiRecordType.STDIN, id, part, (8 - part.length % 8) % 8);
            }
            return this;
        }

        Client request(int id, boolean keep, Map<String, String> params, byte[] body) {
            return begin(id, FcgiBeginRequest.RESPONDER, keep).params(id, params, 50).stdin(id, body, 65535);
        }

        Client send() throws IOException {
            socket.getOutputStream().write(pending.toByteArray());
            socket.getOutputStream().flush();
            pending.reset();
            return this;
        }

        Record read() throws IOException {
            byte[] header = new byte[FcgiRecordHeader.SIZE];
            in.readFully(header);
            FcgiRecordHeader h = FcgiRecordHeader.decode(ByteBuffer.wrap(header));
            byte[] content = new byte[h.contentLength()];
            in.readFully(content);
            in.readFully(new byte[h.paddingLength()]);
            return new Record(h.type(), h.requestId(), content);
        }

        /** Reads one response: the STDOUT stream's bytes up to END_REQUEST, checking the stream's framing. */
        String response(int id) throws IOException {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            boolean stdoutEnded = false;
            while (true) {
                Record r = read();
                assertThat(r.id()).isEqualTo(id);
                if (r.type() == FcgiRecordType.END_REQUEST) {
                    assertThat(stdoutEnded).as("an empty STDOUT record before END_REQUEST").isTrue();
                    assertThat(r.appStatus()).isZero();
                    assertThat(r.endRequestStatus()).isEqualTo(FcgiRecordEncoder.REQUEST_COMPLETE);
                    return stdout.toString(StandardCharsets.ISO_8859_1);
                }
                assertThat(r.type()).isEqualTo(FcgiRecordType.STDOUT);
                assertThat(stdoutEnded).as("no STDOUT after its end").isFalse();
                assertThat(r.content().length).isLessThanOrEqualTo(FcgiRecordHeader.MAX_CONTENT_LENGTH);
                if (r.content().length == 0) {
                    stdoutEnded = true;
                }
                stdout.writeBytes(r.content());
            }
        }

        boolean closedByServer() throws IOException {
            return in.read() == -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void servesAResponderRequestWithCgiHeadAndClosesWithoutKeepConn() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> params = params("POST", "/a%20b?x=1", 5);
        params.put("PATH_INFO", "/a b");
        params.put("CONTENT_TYPE", "text/plain");
        try (Client c = new Client()) {
            c.begin(1, FcgiBeginRequest.RESPONDER, false).params(1, params, 7)
                    .stdinPart(1, "hel".getBytes(StandardCharsets.US_ASCII), 3)
                    .stdin(1, "lo".getBytes(StandardCharsets.US_ASCII), 3).send();
            assertThat(c.response(1)).isEqualTo("Status: 200 OK\r\nContent-Type: text/x-echo\r\nX-Path: /a b\r\n"
                    + "Content-Length: 5\r\n\r\nhello");
            assertThat(c.closedByServer()).isTrue();
        }
        RequestHead head = seen.get();
        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.target()).isEqualTo("/a%20b?x=1");
        assertThat(head.remoteAddress()).isEqualTo("192.0.2.7");
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.fields().get("Content-Type")).isEqualTo("text/plain");
        assertThat(head.cgiVars().get("HTTP_HOST")).isEqualTo("example.test");
    }

    @Test
    void keepsTheConnectionForSeveralRequestsWithKeepConn() throws Exception {
        start(echo, Http1Config.defaults());
        try (Client c = new Client()) {
            for (int i = 1; i <= 5; i++) {
                byte[] body = ("request " + i).getBytes(StandardCharsets.US_ASCII);
                c.request(i % 2 + 1, true, params("POST", "/r" + i, body.length), body).send();
                assertThat(c.response(i % 2 + 1)).endsWith("X-Path: /r" + i + "\r\nContent-Length: " + body.length
                        + "\r\n\r\nrequest " + i);
            }
            c.request(7, false, params("GET", "/last", 0), new byte[0]).send();
            assertThat(c.response(7)).contains("X-Path: /last");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.accepted).hasValue(1);
    }

    @Test
    void servesAPipelinedSecondRequestAndABodyWithoutContentLength() throws Exception {
        start(echo, Http1Config.defaults());
        try (Client c = new Client()) {
            c.request(1, true, params("POST", "/one", 3), "abc".getBytes(StandardCharsets.US_ASCII))
                    .request(1, true, params("POST", "/two", -1), "until the end".getBytes(StandardCharsets.US_ASCII))
                    .send();
            assertThat(c.response(1)).endsWith("\r\n\r\nabc");
            assertThat(c.response(1)).endsWith("Content-Length: 13\r\n\r\nuntil the end");
        }
    }

    @Test
    void echoesALargeBodyInFullRecordsAndBoundsTheBodyByContentLength() throws Exception {
        start(echo, Http1Config.defaults());
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        try (Client c = new Client()) {
            c.request(1, true, params("POST", "/big", body.length), body).send();
            String response = c.response(1);
            assertThat(response).startsWith("Status: 200 OK\r\n")
                    .endsWith("Content-Length: 300000\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1));
            // STDIN beyond CONTENT_LENGTH is not the app's: it is drained
            c.request(1, true, params("POST", "/short", 4), "abcdefgh".getBytes(StandardCharsets.US_ASCII)).send();
            assertThat(c.response(1)).endsWith("Content-Length: 4\r\n\r\nabcd");
            c.request(1, false, params("GET", "/after", 0), new byte[0]).send();
            assertThat(c.response(1)).contains("X-Path: /after");
        }
    }

    @Test
    void endsAnUnknownLengthBodyWithTheStreamAndHeadHasNoBody() throws Exception {
        start(echo, Http1Config.defaults());
        try (Client c = new Client()) {
            c.request(1, true, params("POST", "/unknown", 3), "xyz".getBytes(StandardCharsets.US_ASCII)).send();
            assertThat(c.response(1)).isEqualTo("Status: 200 OK\r\nContent-Type: text/x-echo\r\n"
                    + "X-Path: /unknown\r\n\r\nxyz");
            c.request(1, true, params("HEAD", "/h", 3), "xyz".getBytes(StandardCharsets.US_ASCII)).send();
            assertThat(c.response(1)).isEqualTo("Status: 200 OK\r\nContent-Type: text/x-echo\r\nX-Path: /h\r\n"
                    + "Content-Length: 3\r\n\r\n");
        }
    }

    @Test
    void answersAnotherRoleWithUnknownRoleAndGoesOn() throws Exception {
        start(echo, Http1Config.defaults());
        try (Client c = new Client()) {
            c.begin(3, FcgiBeginRequest.AUTHORIZER, true).send();
            Record end = c.read();
            assertThat(end.type()).isEqualTo(FcgiRecordType.END_REQUEST);
            assertThat(end.id()).isEqualTo(3);
            assertThat(end.endRequestStatus()).isEqualTo(FcgiRecordEncoder.UNKNOWN_ROLE);
            c.request(4, false, params("GET", "/", 0), new byte[0]).send();
            assertThat(c.response(4)).startsWith("Status: 200 OK\r\n");
        }
    }

    @Test
    void refusesASecondConcurrentRequestWithCantMpxConn() throws Exception {
        start(echo, Http1Config.defaults());
        try (Client c = new Client()) {
            c.begin(1, FcgiBeginRequest.RESPONDER, true).params(1, params("POST", "/first", 2), 20)
                    .stdinPart(1, "a".getBytes(StandardCharsets.US_ASCII), 1)
                    .begin(2, FcgiBeginRequest.RESPONDER, true)
                    .params(2, params("GET", "/second", 0), 20)
                    .stdin(1, "b".getBytes(StandardCharsets.US_ASCII), 1).send();
            Record refused = c.read();
            assertThat(refused.type()).isEqualTo(FcgiRecordType.END_REQUEST);
            assertThat(refused.id()).isEqualTo(2);
            assertThat(refused.endRequestStatus()).isEqualTo(FcgiRecordEncoder.CANT_MPX_CONN);
            assertThat(c.response(1)).endsWith("X-Path: /first\r\nContent-Length: 2\r\n\r\nab");
        }
    }

    @Test
    void answersGetValuesAndUnknownManagementTypes() throws Exception {
        start(echo, Http1Config.defaults());
        byte[] query = new FcgiParamsEncoder().add("FCGI_MAX_CONNS", "").add("FCGI_MPXS_CONNS", "")
                .add("FCGI_OTHER", "").toByteArray();
        try (Client c = new Client()) {
            c.record(FcgiRecordType.GET_VALUES, 0, query, 5).record(42, 0, new byte[] {1, 2, 3}, 0).send();
            Record values = c.read();
            assertThat(values.type()).isEqualTo(FcgiRecordType.GET_VALUES_RESULT);
            assertThat(values.id()).isZero();
            UwsgiVars result = FcgiParamsParser.parse(ByteBuffer.wrap(values.content()), 10, 1000);
            assertThat(result.toMap()).containsExactly(Map.entry("FCGI_MPXS_CONNS", "0"));
            Record unknown = c.read();
            assertThat(unknown.type()).isEqualTo(FcgiRecordType.UNKNOWN_TYPE);
            assertThat(unknown.content()).hasSize(8).startsWith(42);
            c.request(1, false, params("GET", "/", 0), new byte[0]).send();
            assertThat(c.response(1)).startsWith("Status: 200 OK\r\n");
        }
    }

    @Test
    void abortRequestEndsTheRequestAndTheConnectionGoesOn() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        start(exchange -> {
            if (exchange.request().path().equals("/slow")) {
                InputStream body = exchange.body();
                assertThat(body.read()).isEqualTo('x');
                reading.countDown();
                try {
                    body.readAllBytes();
                } catch (IOException e) {
                    readFailure.set(e);
                    throw e;
                }
            }
            return echo.handle(exchange);
        }, Http1Config.defaults());
        try (Client c = new Client()) {
            c.begin(1, FcgiBeginRequest.RESPONDER, true).params(1, params("POST", "/slow", 10), 40)
                    .stdinPart(1, "x".getBytes(StandardCharsets.US_ASCII), 1).send();
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
            c.record(FcgiRecordType.ABORT_REQUEST, 1, new byte[0], 0).send();
            assertThat(c.response(1)).isEmpty();
            assertThat(readFailure.get()).hasMessageContaining("ABORT_REQUEST");
            c.request(2, false, params("GET", "/", 0), new byte[0]).send();
            assertThat(c.response(2)).startsWith("Status: 200 OK\r\n");
        }
    }

    @Test
    void closesWithoutAnswerOnParamsOverBufferSizeOrABrokenRecord() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> params = params("GET", "/", 0);
        params.put("HTTP_X_BIG", "x".repeat(5000));
        try (Client c = new Client()) {
            c.request(1, true, params, new byte[0]).send();
            assertThat(c.closedByServer()).isTrue();
        }
        try (Client c = new Client()) {
            c.socket.getOutputStream().write(new byte[] {2, 1, 0, 1, 0, 8, 0, 0});
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.size() == 2);
        assertThat(logged.get(0)).startsWith("FastCGI params stream over buffer-size");
        assertThat(logged.get(1)).isEqualTo("unsupported FastCGI version 2 (only 1 is known)");
        assertThat(seen.get()).isNull();
    }

    @Test
    void refusesARecordOutOfPlace() throws Exception {
        start(echo, Http1Config.defaults());
        try (Client c = new Client()) {
            c.begin(1, FcgiBeginRequest.RESPONDER, true).stdin(1, new byte[0], 1).send();
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.contains(
                "FastCGI STDIN record out of place in request 1"));
    }

    @Test
    void answersABodyOverLimitPostWith413AndCloses() throws Exception {
        start(echo, Http1Config.defaults().withMaxBodySize(10));
        try (Client c = new Client()) {
            c.request(1, true, params("POST", "/", 11), "hello world".getBytes(StandardCharsets.US_ASCII)).send();
            assertThat(c.response(1)).startsWith("Status: 413 Content Too Large\r\n")
                    .endsWith("\r\n\r\nContent Too Large: request body larger than limit-post\n");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(logged).contains("Invalid (too big) CONTENT_LENGTH. skip.");
        assertThat(seen.get()).isNull();
    }

    @Test
    void answers500BeforeAResponseAndCutsTheStreamAfterOne() throws Exception {
        start(exchange -> {
            if (exchange.request().path().equals("/late")) {
                OutputStream out = exchange.respond(200, new HttpFields(), 100);
                out.write("partial".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            throw new IllegalStateException("boom");
        }, Http1Config.defaults());
        try (Client c = new Client()) {
            c.request(1, true, params("GET", "/", 0), new byte[0]).send();
            assertThat(c.response(1)).startsWith("Status: 500 Internal Server Error\r\n")
                    .endsWith("\r\n\r\nInternal Server Error\n");
            c.request(1, true, params("GET", "/late", 0), new byte[0]).send();
            List<Record> records = new ArrayList<>();
            try {
                while (true) {
                    records.add(c.read());
                }
            } catch (EOFException closed) {
                // no END_REQUEST: the web server sees the response cut short
            }
            assertThat(records).extracting(Record::type).containsOnly(FcgiRecordType.STDOUT);
            assertThat(new String(records.getLast().content(), StandardCharsets.US_ASCII)).endsWith("partial");
        }
    }

    @Test
    void closesAnIdleKeptConnectionAfterTheSocketTimeoutWithoutLoggingIt() throws Exception {
        start(echo, Http1Config.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(4),
                Duration.ofMillis(300)));
        try (Client c = new Client()) {
            c.request(1, true, params("GET", "/", 0), new byte[0]).send();
            assertThat(c.response(1)).startsWith("Status: 200 OK\r\n");
            long start = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        try (Client c = new Client()) {
            c.socket.getOutputStream().write(new byte[] {1, 1, 0});
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.contains("timeout read"));
        assertThat(logged).containsExactly("timeout read");
    }

    @Test
    void drainingClosesAnIdleKeptConnectionWithinTheGraceAndEndsTheRequestInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(exchange -> {
            if (exchange.request().path().equals("/wait")) {
                entered.countDown();
                release.await();
            }
            return echo.handle(exchange);
        }, Http1Config.defaults().withShutdownGrace(Duration.ofMillis(300)));
        try (Client idle = new Client(); Client busy = new Client()) {
            idle.request(1, true, params("GET", "/", 0), new byte[0]).send();
            assertThat(idle.response(1)).startsWith("Status: 200 OK\r\n");
            busy.request(1, true, params("GET", "/wait", 0), new byte[0]).send();
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            server.listener().stopAccepting();
            assertThat(idle.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            release.countDown();
            assertThat(busy.response(1)).contains("X-Path: /wait");
            assertThat(busy.closedByServer()).isTrue();
        }
        assertThat(server.listener().awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
}
