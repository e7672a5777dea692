package dev.imperium.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests over real 127.0.0.1 sockets against one listener per test. */
@Timeout(30)
class Http1ConnectionTest {
    private final TestHandler handler = new TestHandler();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.tcp(handler, Http1Config.defaults().withMaxBodySize(100_000).withMaxHeadSize(1024)
                .withMaxRequestLineLength(512));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawClient c = server.client()) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read();
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(r.text()).isEqualTo("hello");
                assertThat(r.field("Content-Length")).isEqualTo("5");
                assertThat(r.field("Connection")).isNull();
                assertThat(r.field("Date")).endsWith(" GMT");
            }
        }
        assertThat(handler.calls.get()).isEqualTo(3);
    }

    @Test
    void anAbortedExchangeClosesTheConnectionWithoutAnAnswer() throws Exception {
        try (TestServer aborting = TestServer.tcp(exchange -> {
            exchange.abort();
            return true;
        }); RawClient c = aborting.client()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.readToEnd()).isEmpty();
            assertThat(aborting.log.handlerFailures).isEmpty();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET /info?1 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /info?3 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.read().text()).contains("|1|");
            assertThat(c.read().text()).isEqualTo("abc");
            assertThat(c.read().text()).contains("|3|");
        }
    }

    @Test
    void chunkedRequestBodyIsDecodedForTheHandler() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n").read();
            assertThat(r.text()).isEqualTo("hello, world");
            assertThat(r.field("X-Chunked")).isEqualTo("true");
            assertThat(r.field("X-Content-Length")).isEqualTo("-1");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void largeBodiesInBothFramingsArriveIntact() throws Exception {
        byte[] data = new byte[90_000];
        new Random(7).nextBytes(data);
        try (RawClient c = server.client()) {
            c.send("PUT /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + data.length + "\r\n\r\n").send(data);
            assertThat(c.read().body()).isEqualTo(data);
            StringBuilder chunked = new StringBuilder();
            c.send("PUT /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int off = 0; off < data.length; off += 30_000) {
                c.send(Integer.toHexString(30_000) + "\r\n").send(java.util.Arrays.copyOfRange(data, off, off + 30_000))
                        .send("\r\n");
            }
            c.send("0\r\n\r\n");
            assertThat(c.read().body()).isEqualTo(data);
            assertThat(chunked).isEmpty();
        }
    }

    @Test
    void unreadBodyIsDrainedAndTheNextRequestServed() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("POST /ignore HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
                    + "POST /ignore HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.text()).isEqualTo("ignored");
            assertThat(r.field("Connection")).isNull();
            assertThat(c.read().text()).isEqualTo("ignored");
            assertThat(c.read().text()).isEqualTo("hello");
        }
    }

    @Test
    void bodyLongerThanTheDrainLimitClosesTheConnection() throws Exception {
        server.close();
        server = TestServer.tcp(handler, Http1Config.defaults().withDrainLimit(100));
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("POST /ignore HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n").read();
            assertThat(r.text()).isEqualTo("ignored");
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headGetsTheHeadOnly() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("HEAD /hello HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.field("Content-Length")).isEqualTo("5");
            RawClient.Response unknown = c.send("HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
            assertThat(unknown.field("Transfer-Encoding")).isNull();
            assertThat(unknown.field("Content-Length")).isNull();
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void noContentHasNoBodyAndNoLength() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /no-content HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
            assertThat(r.field("Content-Length")).isNull();
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void continueIsSentOnTheFirstBodyRead() throws Exception {
        try (RawClient c = server.client()) {
            c.send("PUT /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.line()).isEmpty();
            RawClient.Response r = c.send("data").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("data");
            assertThat(r.field("Connection")).isNull();
        }
    }

    @Test
    void continueIsNeverSentWhenTheHandlerAnswersWithoutReading() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send(
                    "PUT /ignore HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void bodyOverTheLimitGets413BeforeAnyBodyIsRead() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send(
                    "PUT /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100001\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(handler.calls.get()).isZero();
        assertServerStillServes();
    }

    @Test
    void chunkedBodyOverTheLimitGets413() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("PUT /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "186a1\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.log.rejected).containsExactly("413 request body larger than the limit");
        assertThat(server.log.handlerFailures).isEmpty();
    }

    @Test
    void badChunkedBodyGets400() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("PUT /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nBad Field: v\\r\\n\\r\\n; 400",
        "GET / HTTP/1.1\\r\\n\\r\\n; 400",
        "GARBAGE\\r\\n\\r\\n; 400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\r\\n  fold\\r\\n\\r\\n; 400",
        "POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n; 400",
        "POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\n; 400",
        "POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n; 501",
        "CONNECT h:443 HTTP/1.1\\r\\nHost: h:443\\r\\n\\r\\n; 501",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nExpect: magic\\r\\n\\r\\n; 417",
        "GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n; 505",
        "GET /LONG HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n; 414",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: LONG\\r\\n\\r\\n; 431",
    })
    void protocolErrorsAnswerAndCloseWhileTheListenerLivesOn(String request, int status) throws Exception {
        String raw = request.replace("\\r\\n", "\r\n").replace("LONG", "a".repeat(1000));
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send(raw).read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.statusLine()).startsWith("HTTP/1.1 " + status + " ");
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(r.text()).isNotEmpty();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.log.rejected).hasSize(1).allMatch(s -> s.startsWith(status + " "));
        assertServerStillServes();
    }

    @Test
    void errorsOnHttp10AreAnsweredInHttp10() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET / HTTP/1.0\r\nX: " + "a".repeat(2000) + "\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 431 Request Header Fields Too Large");
        }
    }

    @Test
    void http10IsAnsweredInHttp10AndClosed() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(r.field("Connection")).isNull();
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.field("Connection")).isEqualTo("keep-alive");
            RawClient.Response unknown = c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(unknown.field("Connection")).isNull();
            assertThat(unknown.field("Transfer-Encoding")).isNull();
            assertThat(unknown.text()).as("close-delimited").isEqualTo("part1,part2");
        }
    }

    @Test
    void connectionCloseFromEitherSideIsHonoured() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /hello HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").read();
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /close HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.field("Connection")).isEqualTo("close");
            assertThat(r.text()).isEqualTo("bye");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void handlerExceptionGives500AndTheConnectionLivesOn() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.field("Connection")).isNull();
            RawClient.Response buffered = c.send("GET /throw-buffered HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(buffered.status()).as("a response never sent is replaced").isEqualTo(500);
            RawClient.Response declined = c.send("GET /decline HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(declined.status()).isEqualTo(500);
            RawClient.Response badField = c.send("GET /bad-field HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(badField.status()).isEqualTo(500);
            assertThat(badField.field("Injected")).isNull();
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("hello");
        }
        assertThat(server.log.handlerFailures).hasSize(4);
        assertThat(server.log.handlerFailures.get(0)).hasMessage("boom");
    }

    @Test
    void failureAfterTheResponseStartedClosesTheConnection() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET /throw-after HTTP/1.1\r\nHost: h\r\n\r\n");
            String all = c.readToEnd();
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked")
                    .contains("7\r\npartial\r\n").doesNotContain("\r\n0\r\n\r\n");
        }
        try (RawClient c = server.client()) {
            c.send("GET /short HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.readToEnd()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nabc");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log.handlerFailures.size() == 2);
        assertThat(server.log.handlerFailures.get(1)).hasMessageContaining("shorter than its Content-Length");
    }

    @Test
    void unknownLengthIsChunkedOnHttp11() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean chunked = false;
            while (!(line = c.line()).isEmpty()) {
                chunked |= line.equals("Transfer-Encoding: chunked");
            }
            assertThat(chunked).isTrue();
            assertThat(c.line()).isEqualTo("6");
            assertThat(c.line()).isEqualTo("part1,");
            assertThat(c.line()).isEqualTo("5");
            assertThat(c.line()).isEqualTo("part2");
            assertThat(c.line()).isEqualTo("0");
            assertThat(c.line()).isEmpty();
            RawClient.Response big = c.send("GET /big-stream HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(big.text()).isEqualTo("x".repeat(100_000) + "y".repeat(1000));
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void transferFromSendsFilesInBothFramings(@TempDir Path dir) throws Exception {
        for (int size : new int[] {10, 3 * 1024 * 1024 + 17}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            Path file = Files.write(dir.resolve("f" + size), data);
            handler.file = file;
            byte[] expected = new byte[size + 2];
            expected[0] = '[';
            System.arraycopy(data, 0, expected, 1, size);
            expected[size + 1] = ']';
            try (RawClient c = size > 100 ? RawClient.connectSlow(server.port(), 4096) : server.client()) {
                RawClient.Response known = c.send("GET /file HTTP/1.1\r\nHost: h\r\n\r\n").read();
                assertThat(known.field("Content-Length")).isEqualTo(String.valueOf(size + 2));
                assertThat(known.body()).isEqualTo(expected);
                RawClient.Response unknown = c.send("GET /file?unknown HTTP/1.1\r\nHost: h\r\n\r\n").read();
                assertThat(unknown.field("Transfer-Encoding")).isEqualTo("chunked");
                assertThat(unknown.body()).isEqualTo(expected);
            }
        }
    }

    @Test
    void requestHeadCarriesTargetAndAddresses() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /in%66o?a=%20b HTTP/1.1\r\nHost: example.com\r\n\r\n").read();
            int clientPort = c.socket().getLocalPort();
            assertThat(r.text()).isEqualTo("GET|/in%66o?a=%20b|/info|a=%20b|HTTP/1.1|127.0.0.1|" + clientPort
                    + "|127.0.0.1|" + server.port() + "|http|example.com");
        }
    }

    @Test
    void readTimeoutClosesAConnectionWithAnIncompleteHead() throws Exception {
        server.close();
        Duration t = Duration.ofMillis(300);
        server = TestServer.tcp(handler, Http1Config.defaults().withTimeouts(t, t, Duration.ofSeconds(10)));
        try (RawClient c = server.client()) {
            c.send("GET / HTTP/1.1\r\nHost:");
            long start = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log.timeouts.contains("read"));
    }

    @Test
    void aSlowlorisHeadIsClosedAtTheHeadTimeoutHoweverItIsPaced() throws Exception {
        server.close();
        Duration long_ = Duration.ofSeconds(10);
        server = TestServer.tcp(handler, Http1Config.defaults().withTimeouts(long_, long_, long_)
                .withHeadTimeout(Duration.ofMillis(500)));
        try (RawClient c = server.client()) {
            c.send("GET / HTTP/1.1\r\n");
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) { // a header byte every 50 ms: each read is quick
                Thread.sleep(50);
                try {
                    c.send("X");
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed || c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.log.timeouts.contains("read"));
        assertThat(server.log.completedStatuses).as("no request reached the handler").isEmpty();
    }

    @Test
    void aBodyThatStopsComingIsReportedOnceInUwsgisWordsNotAsAHandlerFailure() throws Exception {
        server.close();
        Duration t = Duration.ofMillis(300);
        server = TestServer.tcp(handler, Http1Config.defaults().withTimeouts(t, t, Duration.ofSeconds(10)));
        try (RawClient c = server.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabcde");
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.log.bodyReadFailures.isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.listener.openConnections() == 0);
        assertThat(server.log.bodyReadFailures).containsExactly(
                "[uwsgi-body-read] Timeout reading 95 bytes. Content-Length: 100 consumed: 5 left: 95");
        assertThat(server.log.handlerFailures).isEmpty();
        assertThat(server.log.timeouts).as("not reported twice").isEmpty();
    }

    @Test
    void atTheConnectionLimitFurtherClientsWaitInTheQueueAndAreServedWhenOneCloses() throws Exception {
        server.close();
        java.util.List<Integer> reached = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = TestServer.tcp(handler, Http1Config.defaults().withTimeouts(Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10)),
                new dev.imperium.server.net.ConnectionLimit(2, reached::add));
        try (RawClient a = server.client(); RawClient b = server.client()) {
            a.send("GET");
            b.send("GET");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.listener.openConnections() == 2);
            assertThat(reached).containsExactly(2);
            try (RawClient waiting = server.client()) { // connected: the kernel queues it
                waiting.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n");
                Thread.sleep(300); // nothing happens while the limit holds: give the server the chance to err
                assertThat(server.listener.openConnections()).isEqualTo(2);
                a.close();
                assertThat(waiting.read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void idleTimeoutClosesAPersistentConnection() throws Exception {
        server.close();
        server = TestServer.tcp(handler,
                Http1Config.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofMillis(300)));
        try (RawClient c = server.client()) {
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.listener.openConnections() == 0);
        assertThat(server.log.timeouts).as("idle closes are not reported").isEmpty();
    }

    @Test
    void leadingEmptyLinesAndBareLfAreAccepted() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("\r\nGET /hello HTTP/1.1\nHost: h\n\n").read();
            assertThat(r.text()).isEqualTo("hello");
        }
    }

    @Test
    void clientThatClosesMidRequestDoesNotHurtTheListener() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc");
        }
        try (RawClient c = server.client()) {
            c.send("GET /hel");
        }
        assertServerStillServes();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.listener.openConnections() == 0);
    }

    @Test
    void notModifiedKeepsItsLengthButSendsNoBody() throws Exception {
        server.close();
        server = TestServer.tcp(exchange -> {
            exchange.respond(304, new dev.imperium.http.HttpFields().add("ETag", "\"x\""), 1234).close();
            return true;
        });
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(r.field("Content-Length")).isEqualTo("1234");
            assertThat(r.field("ETag")).isEqualTo("\"x\"");
            assertThat(c.send("HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read(true).statusLine())
                    .isEqualTo("HTTP/1.0 304 Not Modified");
        }
    }

    @Test
    void randomBytesNeverHurtTheListener() throws Exception {
        Random random = new Random(20261124L);
        String[] seeds = {
            "GET /hello HTTP/1.1\r\nHost: h\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "PUT /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc",
        };
        for (int i = 0; i < 150; i++) {
            byte[] input = seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.ISO_8859_1);
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            try (RawClient c = server.client()) {
                c.send(input);
                c.socket().shutdownOutput();
                c.readToEnd();
            }
        }
        assertServerStillServes();
        assertThat(server.log.internalErrors).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.listener.openConnections() == 0);
    }

    private void assertServerStillServes() throws Exception {
        try (RawClient c = server.client()) {
            RawClient.Response r = c.send("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                    .read();
            assertThat(r.text()).isEqualTo("hello");
        }
    }
}
