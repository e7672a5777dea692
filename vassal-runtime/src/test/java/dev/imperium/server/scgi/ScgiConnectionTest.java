package dev.imperium.server.scgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imperium.http.HttpFields;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.net.LoopbackServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SCGI connection over real loopback sockets: CGI-style answers, the refusals, timeouts. */
@Timeout(30)
class ScgiConnectionTest {
    @RegisterExtension
    final LoopbackServer server = new LoopbackServer();
    private final List<String> logged = server.logged;
    private final AtomicReference<RequestHead> seen = server.seen;
    private final Handler echo = server.echo;

    private void start(Handler handler, Http1Config config) throws IOException {
        server.start(ScgiConnection::factory, handler, config);
    }

    private static Map<String, String> headers(String method, String uri) {
        return LoopbackServer.requestVars(method, uri);
    }

    /** An SCGI request as nginx's scgi module builds it: CONTENT_LENGTH, SCGI, the headers, then the body. */
    private static byte[] request(Map<String, String> headers, byte[] body) {
        StringBuilder h = new StringBuilder();
        h.append("CONTENT_LENGTH\0").append(body.length).append("\0SCGI\0").append("1\0");
        headers.forEach((name, value) -> h.append(name).append('\0').append(value).append('\0'));
        byte[] netstring = (h.length() + ":" + h + ",").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = java.util.Arrays.copyOf(netstring, netstring.length + body.length);
        System.arraycopy(body, 0, request, netstring.length, body.length);
        return request;
    }

    private String exchange(byte[] request) throws IOException {
        return server.exchange(request);
    }

    @Test
    void theNphVariantAnswersWithAnHttpStatusLine() throws Exception {
        server.start((handler, config, log) -> ScgiConnection.factory(handler, config, log, true), echo,
                Http1Config.defaults());
        Map<String, String> headers = headers("POST", "/");
        String response = exchange(request(headers, "hi".getBytes(StandardCharsets.US_ASCII)));
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhi");
    }

    @Test
    void servesARequestWithItsBodyAndAnswersCgiStyleAsUwsgi() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> headers = headers("POST", "/a%20b?x=1");
        headers.put("PATH_INFO", "/a b");
        headers.put("CONTENT_TYPE", "text/plain");
        String response = exchange(request(headers, "hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(response).isEqualTo("Status: 200 OK\r\nContent-Type: text/x-echo\r\nX-Path: /a b\r\n"
                + "Content-Length: 5\r\n\r\nhello");
        RequestHead head = seen.get();
        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.target()).isEqualTo("/a%20b?x=1");
        assertThat(head.remoteAddress()).isEqualTo("192.0.2.7");
        assertThat(head.localPort()).isEqualTo(8080);
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.fields().get("Content-Type")).isEqualTo("text/plain");
        assertThat(head.cgiVars().get("SCGI")).isEqualTo("1");
        assertThat(head.cgiVars().name(0)).isEqualTo("CONTENT_LENGTH");
    }

    @Test
    void readsANetstringThatArrivesInPieces() throws Exception {
        start(echo, Http1Config.defaults());
        byte[] request = request(headers("POST", "/split"), "body!".getBytes(StandardCharsets.US_ASCII));
        try (Socket s = server.connect()) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (int at = 0; at < request.length; at += 7) {
                out.write(request, at, Math.min(7, request.length - at));
                out.flush();
                Thread.sleep(2);
            }
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .startsWith("Status: 200 OK\r\n").endsWith("\r\n\r\nbody!");
        }
    }

    @Test
    void endsAnUnknownLengthBodyWithTheConnectionAndHeadHasNoBody() throws Exception {
        start(echo, Http1Config.defaults());
        assertThat(exchange(request(headers("GET", "/unknown"), new byte[0])))
                .isEqualTo("Status: 200 OK\r\nContent-Type: text/x-echo\r\nX-Path: /unknown\r\n\r\n");
        assertThat(exchange(request(headers("HEAD", "/x"), "abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("Status: 200 OK\r\nContent-Type: text/x-echo\r\nX-Path: /x\r\nContent-Length: 3\r\n\r\n");
    }

    @Test
    void refusesANetstringOverBufferSizeWithUwsgisLogLine() throws Exception {
        start(echo, Http1Config.defaults());
        Map<String, String> headers = headers("GET", "/");
        headers.put("HTTP_X_BIG", "x".repeat(5000));
        byte[] request = request(headers, new byte[0]);
        assertThat(exchange(request)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.stream()
                .anyMatch(l -> l.startsWith("invalid SCGI request size: ") && l.endsWith("(max 4096)...skip")));
        assertThat(seen.get()).isNull();
        server.stop();
        start(echo, Http1Config.defaults().withMaxHeadSize(8192));
        assertThat(exchange(request)).startsWith("Status: 200 OK\r\n");
    }

    @Test
    void refusesABrokenRequestWithoutAnswering() throws Exception {
        start(echo, Http1Config.defaults());
        assertThat(exchange("10:CONTENT_LE,".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        String headers = "CONTENT_LENGTH\u00000\u0000SCGI\u00002\u0000";
        assertThat(exchange((headers.length() + ":" + headers + ",").getBytes(StandardCharsets.ISO_8859_1)))
                .isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.size() == 2);
        assertThat(logged.get(0)).startsWith("SCGI");
        assertThat(logged.get(1)).isEqualTo("SCGI header SCGI is not 1");
        assertThat(seen.get()).isNull();
    }

    @Test
    void answersABodyOverLimitPostWith413() throws Exception {
        start(echo, Http1Config.defaults().withMaxBodySize(10));
        assertThat(exchange(request(headers("POST", "/"), "hello world".getBytes(StandardCharsets.US_ASCII))))
                .startsWith("Status: 413 Content Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n");
        assertThat(logged).contains("Invalid (too big) CONTENT_LENGTH. skip.");
        assertThat(seen.get()).isNull();
    }

    @Test
    void answers500WhenTheHandlerFailsBeforeResponding() throws Exception {
        start(exchange -> {
            throw new IllegalStateException("boom");
        }, Http1Config.defaults());
        assertThat(exchange(request(headers("GET", "/"), new byte[0])))
                .startsWith("Status: 500 Internal Server Error\r\n").endsWith("\r\n\r\nInternal Server Error\n");
    }

    @Test
    void closesAConnectionThatStopsInsideTheNetstringWithinTheSocketTimeout() throws Exception {
        start(echo, Http1Config.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(4),
                Duration.ofSeconds(4)));
        try (Socket s = server.connect()) {
            s.getOutputStream().write("70:CONTENT_".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.contains("timeout read"));
    }

    @Test
    void drainsAnUnreadBodySoTheFrontServerIsNotReset() throws Exception {
        start(exchange -> {
            try (OutputStream out = exchange.respond(200, new HttpFields(), 2)) {
                out.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
            return true;
        }, Http1Config.defaults());
        try (Socket s = server.connect()) {
            s.getOutputStream().write(request(headers("POST", "/"), new byte[256 * 1024]));
            s.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.getInputStream().transferTo(got);
            assertThat(got.toString(StandardCharsets.ISO_8859_1))
                    .isEqualTo("Status: 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
    }
}
