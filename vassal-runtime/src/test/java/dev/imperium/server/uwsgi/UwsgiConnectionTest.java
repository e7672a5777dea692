package dev.imperium.server.uwsgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.net.LoopbackServer;
import dev.imperium.uwsgi.UwsgiHeader;
import dev.imperium.uwsgi.UwsgiVarsEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The uwsgi connection over real loopback sockets: the happy path, the refusals uWSGI makes, and timeouts. */
@Timeout(30)
class UwsgiConnectionTest {
    @RegisterExtension
    final LoopbackServer server = new LoopbackServer();
    private final List<String> logged = server.logged;
    private final AtomicReference<RequestHead> seen = server.seen;
    private final Handler echo = server.echo;

    private void start(Handler handler, Http1Config config) throws IOException {
        server.start(UwsgiConnection::factory, handler, config);
    }

    private static Map<String, String> vars(String method, String uri) {
        Map<String, String> vars = LoopbackServer.requestVars(method, uri);
        vars.put("HTTP_X_FORWARDED_FOR", "198.51.100.1");
        return vars;
    }

    private static byte[] packet(int modifier1, Map<String, String> vars, byte[] body) {
        UwsgiVarsEncoder encoder = new UwsgiVarsEncoder();
        vars.forEach(encoder::add);
        byte[] head = encoder.packet(modifier1, 0);
        byte[] packet = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, packet, head.length, body.length);
        return packet;
    }

    private String exchange(byte[] request) throws IOException {
        return server.exchange(request);
    }

    @Test
    void servesARequestWithItsBodyAndClosesAfterTheResponse() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> vars = vars("POST", "/a%20b?x=1");
        vars.put("PATH_INFO", "/a b");
        vars.put("CONTENT_TYPE", "text/plain");
        vars.put("CONTENT_LENGTH", "5");
        String response = exchange(packet(0, vars, "hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(response).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/x-echo\r\nX-Path: /a b\r\n"
                + "Content-Length: 5\r\n\r\nhello");
        RequestHead head = seen.get();
        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.target()).isEqualTo("/a%20b?x=1");
        assertThat(head.query()).isEqualTo("x=1");
        assertThat(head.remoteAddress()).isEqualTo("192.0.2.7");
        assertThat(head.remotePort()).isEqualTo(40000);
        assertThat(head.localPort()).isEqualTo(8080);
        assertThat(head.fields().get("X-Forwarded-For")).isEqualTo("198.51.100.1");
        assertThat(head.fields().get("content-type")).isEqualTo("text/plain");
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.cgiVars().get("HTTP_HOST")).isEqualTo("example.test");
    }

    @Test
    void servesModifier1EightAndEndsAnUnknownLengthBodyWithTheConnection() throws Exception {
        start(echo, Http1Config.defaults());
        String response = exchange(packet(UwsgiHeader.MODIFIER1_JVM, vars("GET", "/unknown"), new byte[0]));
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("Content-Length")
                .doesNotContain("Transfer-Encoding").endsWith("\r\n\r\n");
    }

    @Test
    void answersInTheRequestsProtocolAndHttp10WithoutOne() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> vars = vars("GET", "/");
        vars.put("SERVER_PROTOCOL", "HTTP/2.0");
        assertThat(exchange(packet(0, vars, new byte[0]))).startsWith("HTTP/2.0 200 OK\r\n");
        vars.remove("SERVER_PROTOCOL");
        assertThat(exchange(packet(0, vars, new byte[0]))).startsWith("HTTP/1.0 200 OK\r\n");
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        start(exchange -> {
            try (OutputStream out = exchange.respond(200, new HttpFields(), 5)) {
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
            }
            return true;
        }, Http1Config.defaults());
        assertThat(exchange(packet(0, vars("HEAD", "/"), new byte[0])))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    }

    @Test
    void refusesAnUnknownModifier1WithUwsgisLogLine() throws Exception {
        start(echo, Http1Config.defaults());
        assertThat(exchange(packet(5, vars("GET", "/"), new byte[0]))).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.contains("-- unavailable modifier requested: 5 --"));
        assertThat(seen.get()).isNull();
    }

    @Test
    void modifier1NineIsServedOnlyWhenAskedForAndTravelsWithTheRequest() throws Exception {
        start(echo, Http1Config.defaults());
        assertThat(exchange(packet(UwsgiHeader.MODIFIER1_CGI, vars("GET", "/"), new byte[0]))).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.contains("-- unavailable modifier requested: 9 --"));
        server.stop();
        server.start((handler, config, log) -> UwsgiConnection.factory(handler, config, log,
                m -> UwsgiConnection.APP_MODIFIERS.test(m) || m == UwsgiHeader.MODIFIER1_CGI), echo,
                Http1Config.defaults());
        assertThat(exchange(packet(UwsgiHeader.MODIFIER1_CGI, vars("GET", "/"), new byte[0])))
                .startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(seen.get().modifier1()).isEqualTo(UwsgiHeader.MODIFIER1_CGI);
        assertThat(exchange(packet(0, vars("GET", "/"), new byte[0]))).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(seen.get().modifier1()).isZero();
    }

    @Test
    void refusesAVarsBlockOverBufferSize() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> vars = vars("GET", "/");
        vars.put("HTTP_X_BIG", "x".repeat(5000));
        byte[] packet = packet(0, vars, new byte[0]);
        int size = packet.length - 4;
        assertThat(exchange(packet)).isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> logged.contains("invalid request block size: " + size + " (max 4096)...skip"));
        // a larger buffer-size takes it
        server.stop();
        start(echo, Http1Config.defaults().withMaxHeadSize(8192));
        assertThat(exchange(packet)).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void refusesABrokenVarsBlockAndTooManyVars() throws Exception {
        start(echo, Http1Config.defaults());
        byte[] broken = {0, 6, 0, 0, 3, 0, 'A', 'B', 'C', 9};
        assertThat(exchange(broken)).isEmpty();
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 129; i++) {
            many.put("V" + i, "x");
        }
        assertThat(exchange(packet(0, many, new byte[0]))).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.size() == 2);
        assertThat(logged.get(0)).startsWith("invalid uwsgi request");
        assertThat(logged.get(1)).startsWith("max vec size reached");
        assertThat(seen.get()).isNull();
    }

    @Test
    void answersABodyOverLimitPostWith413() throws Exception {
        start(echo, Http1Config.defaults().withMaxBodySize(10));
        Map<String, String> vars = vars("POST", "/");
        vars.put("CONTENT_LENGTH", "11");
        assertThat(exchange(packet(0, vars, "hello world".getBytes(StandardCharsets.US_ASCII))))
                .startsWith("HTTP/1.1 413 Content Too Large\r\n");
        assertThat(logged).contains("Invalid (too big) CONTENT_LENGTH. skip.");
        assertThat(seen.get()).isNull();
    }

    @Test
    void answersABadContentLengthWith400() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> vars = vars("POST", "/");
        vars.put("CONTENT_LENGTH", "12x");
        assertThat(exchange(packet(0, vars, new byte[0]))).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void answers500WhenTheHandlerFailsBeforeResponding() throws Exception {
        start(exchange -> {
            throw new IllegalStateException("boom");
        }, Http1Config.defaults());
        assertThat(exchange(packet(0, vars("GET", "/"), new byte[0]))).startsWith("HTTP/1.1 500 Internal Server Error");
    }

    @Test
    void anAbortedExchangeClosesTheConnectionWithoutAnAnswer() throws Exception {
        start(exchange -> {
            exchange.abort();
            return true;
        }, Http1Config.defaults());
        assertThat(exchange(packet(0, vars("GET", "/"), new byte[0]))).isEmpty();
        assertThat(logged).isEmpty();
    }

    @Test
    void closesAConnectionThatSendsNothingWithinTheSocketTimeout() throws Exception {
        start(echo, Http1Config.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(4),
                Duration.ofSeconds(4)));
        try (Socket s = server.connect()) {
            s.getOutputStream().write(new byte[] {0, 10});
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.contains("timeout read"));
    }

    @Test
    void aBodyTheFrontServerStopsSendingIsLoggedOnceAsTheClientsFailure() throws Exception {
        start(echo, Http1Config.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(4),
                Duration.ofSeconds(4)));
        Map<String, String> vars = vars("POST", "/echo");
        vars.put("CONTENT_LENGTH", "100");
        try (Socket s = server.connect()) {
            s.getOutputStream().write(packet(0, vars, "abc".getBytes(StandardCharsets.US_ASCII)));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !logged.isEmpty());
        assertThat(logged).containsExactly(
                "[uwsgi-body-read] Timeout reading 97 bytes. Content-Length: 100 consumed: 3 left: 97");
    }

    @Test
    void drainsAnUnreadBodySoTheFrontServerIsNotReset() throws Exception {
        start(exchange -> {
            try (OutputStream out = exchange.respond(200, new HttpFields(), 2)) {
                out.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
            return true;
        }, Http1Config.defaults());
        byte[] body = new byte[256 * 1024];
        Map<String, String> vars = vars("POST", "/");
        vars.put("CONTENT_LENGTH", Integer.toString(body.length));
        try (Socket s = server.connect()) {
            OutputStream out = s.getOutputStream();
            out.write(packet(0, vars, body));
            s.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.getInputStream().transferTo(got);
            assertThat(got.toString(StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\nok");
        }
    }

    @Test
    void serverStopWaitsForTheRequestInFlight() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        start(exchange -> {
            entered.countDown();
            release.await();
            try (OutputStream out = exchange.respond(200, new HttpFields(), 4)) {
                out.write("done".getBytes(StandardCharsets.US_ASCII));
            }
            return true;
        }, Http1Config.defaults());
        try (Socket s = server.connect()) {
            s.getOutputStream().write(packet(0, vars("GET", "/"), new byte[0]));
            assertThat(entered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            server.listener().stopAccepting();
            release.countDown();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).endsWith("done");
        }
        assertThat(server.listener().awaitTermination(Duration.ofSeconds(5))).isTrue();
    }

}
