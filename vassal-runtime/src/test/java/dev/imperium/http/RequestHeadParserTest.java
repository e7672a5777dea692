package dev.imperium.http;

import static dev.imperium.http.ParserHarness.bytes;
import static dev.imperium.http.ParserHarness.head;
import static dev.imperium.http.ParserHarness.headStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadParserTest {

    @Test
    void parsesRequestLineAndFields() throws Exception {
        Http1RequestHead head = head("GET /a%20b/c?x=1&y=%41 HTTP/1.1\r\nHost: example.com\r\n"
                + "User-Agent:  curl/8  \r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\n");
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(head.target().form()).isEqualTo(TargetForm.ORIGIN);
        assertThat(head.target().raw()).isEqualTo("/a%20b/c?x=1&y=%41");
        assertThat(head.target().path()).isEqualTo("/a b/c");
        assertThat(head.target().query()).isEqualTo("x=1&y=%41");
        assertThat(head.fields().size()).isEqualTo(4);
        assertThat(head.fields().get("host")).isEqualTo("example.com");
        assertThat(head.fields().get("User-Agent")).isEqualTo("curl/8");
        assertThat(head.fields().get("X-Empty")).isEmpty();
        assertThat(head.fields().get("X-Tab")).isEqualTo("v");
    }

    @Test
    void stopsAfterTheHeadLeavingTheRest() throws Exception {
        ByteBuffer src = ByteBuffer.wrap(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET"));
        RequestHeadParser parser = new RequestHeadParser(4096, 4096);
        assertThat(parser.parse(src)).isTrue();
        assertThat(src.remaining()).isEqualTo(6);
        assertThat(parser.headSize()).isEqualTo(src.position());
    }

    @Test
    void acceptsBareLfAndLeadingEmptyLines() throws Exception {
        Http1RequestHead head = head("\r\n\nGET / HTTP/1.0\nA: 1\r\nB: 2\n\n");
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(head.fields().get("A")).isEqualTo("1");
        assertThat(head.fields().get("B")).isEqualTo("2");
    }

    @Test
    void keepsObsTextAndNonAsciiTargetBytes() throws Exception {
        Http1RequestHead head = head("GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: h\r\nX: caf\u00e9\r\n\r\n");
        assertThat(head.target().path()).isEqualTo("/café");
        assertThat(head.fields().get("X")).isEqualTo("caf\u00e9");
    }

    @Test
    void absoluteFormReplacesHost() throws Exception {
        Http1RequestHead head = head("GET http://Example.org:8080?q HTTP/1.1\r\nHost: other\r\n\r\n");
        assertThat(head.target().form()).isEqualTo(TargetForm.ABSOLUTE);
        assertThat(head.target().authority()).isEqualTo("Example.org:8080");
        assertThat(head.target().path()).isEqualTo("/");
        assertThat(head.target().query()).isEqualTo("q");
        assertThat(head.fields().getAll("Host")).containsExactly("Example.org:8080");

        Http1RequestHead withPath = head("GET https://h/p/q%2Fr HTTP/1.0\r\n\r\n");
        assertThat(withPath.target().path()).isEqualTo("/p/q/r");
        assertThat(withPath.fields().get("Host")).isEqualTo("h");
    }

    @Test
    void authorityAndAsteriskForms() throws Exception {
        Http1RequestHead connect = head("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertThat(connect.target().form()).isEqualTo(TargetForm.AUTHORITY);
        assertThat(connect.target().authority()).isEqualTo("example.com:443");
        assertThat(connect.target().path()).isEmpty();

        Http1RequestHead options = head("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(options.target().form()).isEqualTo(TargetForm.ASTERISK);
        assertThat(options.target().path()).isEqualTo("*");
    }

    @Test
    void http10NeedsNoHostAndEmptyHostIsValid() throws Exception {
        assertThat(head("GET / HTTP/1.0\r\n\r\n").fields().size()).isZero();
        assertThat(head("GET / HTTP/1.1\r\nHost:\r\n\r\n").fields().get("Host")).isEmpty();
        assertThat(head("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n").fields().get("Host")).isEqualTo("[::1]:80");
    }

    @Test
    void aHigherHttp1MinorVersionIsServedAsHttp11() throws Exception {
        // RFC 9110 §2.5; 505 is for a major version we do not speak (§15.6.6)
        Http1RequestHead head = head("GET / HTTP/1.2\r\nHost: h\r\n\r\n");
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(head.persistent()).isTrue();
        assertThat(head("GET / HTTP/1.9\r\nHost: h\r\n\r\n").version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(ParserHarness.headStatus("GET / HTTP/1.2\r\n\r\n")).as("Host is still required").isEqualTo(400);
    }

    @Test
    void extensionMethodsAndCommonMethodsAreShared() throws Exception {
        assertThat(head("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n").method()).isEqualTo("PROPFIND");
        assertThat(head("GET / HTTP/1.1\r\nHost: h\r\n\r\n").method()).isSameAs("GET");
        assertThat(head("get / HTTP/1.1\r\nHost: h\r\n\r\n").method()).isEqualTo("get");
    }

    static Stream<Arguments> badHeads() {
        return Stream.of(
                // request-line
                Arguments.of("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /\r\n\r\n", 400),
                Arguments.of("GET\r\n\r\n", 400),
                Arguments.of(" GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("\u0016\u0003\u0001\u0002\u0000\u0001\u0000", 400),
                Arguments.of("GET / http/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
                Arguments.of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
                Arguments.of("GET / HTTP/0.9\r\n\r\n", 505),
                Arguments.of("GET / HTTP/1.1\r\r\nHost: h\r\n\r\n", 400),
                // request-target
                Arguments.of("GET /a\u0001 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /a\u007f HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /%4 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /% HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /%ff HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET /%c3 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET http:/h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                Arguments.of("CONNECT example.com HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                // field lines
                Arguments.of("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  folded\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX(: 1\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0007b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\u007fb\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: h\r\n\r\r\n", 400),
                // Host
                Arguments.of("GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", 400),
                Arguments.of("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
                Arguments.of("GET http://h/ HTTP/1.1\r\n\r\n", 400));
    }

    @ParameterizedTest
    @MethodSource("badHeads")
    void rejectsBadHeads(String request, int status) {
        byte[] b = bytes(request);
        assertThat(headStatus(b, 4096, 4096, b.length)).as("whole").isEqualTo(status);
        assertThat(headStatus(b, 4096, 4096, 1)).as("byte by byte").isEqualTo(status);
        assertThat(headStatus(b, 4096, 4096, 7)).as("7-byte pieces").isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /?a=b HTTP/1.1\r\nHost: h:8080\r\n\r\n",
        "GET /a{b}|c^`\\ HTTP/1.1\r\nHost: h\r\n\r\n",
        "DELETE /x HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n",
        "POST /x HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
        "GET / HTTP/1.1\nHost: h\n\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: \u0080\u00ff\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: xn--bcher-kva.example\r\nA-B_C.d~e!f#g$h%i&j'k*l+m^n`o|p: v\r\n\r\n",
    })
    void acceptsGoodHeads(String request) {
        byte[] b = bytes(request);
        assertThat(headStatus(b, 4096, 4096, b.length)).isZero();
        assertThat(headStatus(b, 4096, 4096, 1)).isZero();
    }

    @Test
    void requestLineLimitGives414AtTheExactBoundary() {
        String line = "GET /" + "a".repeat(100 - 16) + " HTTP/1.1\r\n";
        assertThat(line).hasSize(100);
        String request = line + "Host: h\r\n\r\n";
        assertThat(headStatus(bytes(request), 4096, 100, 1)).isZero();
        assertThat(headStatus(bytes(request), 4096, 99, 1)).isEqualTo(414);
        assertThat(headStatus(bytes(request), 4096, 99, 4096)).isEqualTo(414);
        assertThat(headStatus(bytes("GET /" + "a".repeat(5000)), 4096, 4096, 1000)).isEqualTo(414);
    }

    @Test
    void headLimitGives431AtTheExactBoundary() {
        String request = "GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(50) + "\r\n\r\n";
        int size = request.length();
        assertThat(headStatus(bytes(request), size, size, 1)).isZero();
        assertThat(headStatus(bytes(request), size - 1, size - 1, 1)).isEqualTo(431);
        assertThat(headStatus(bytes(request), size - 1, size - 1, size)).isEqualTo(431);
        String many = "GET / HTTP/1.1\r\nHost: h\r\n" + "X-Field: value\r\n".repeat(300) + "\r\n";
        assertThat(headStatus(many)).isEqualTo(431);
        assertThat(headStatus("\r\n".repeat(3000))).isEqualTo(431);
    }

    @Test
    void errorsRepeatUntilReset() throws Exception {
        RequestHeadParser parser = new RequestHeadParser(4096, 4096);
        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/3.0\r\n"))))
                .isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes("Host: h\r\n\r\n"))))
                .isInstanceOf(HttpProtocolException.class)
                .satisfies(e -> assertThat(((HttpProtocolException) e).status()).isEqualTo(505));
        parser.reset();
        assertThat(parser.started()).isFalse();
        assertThat(parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n")))).isTrue();
        assertThat(parser.started()).isTrue();
    }

    @Test
    void reportsTheParsedVersionForErrorResponses() {
        RequestHeadParser parser = new RequestHeadParser(64, 64);
        assertThat(parser.versionOrDefault()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.0\r\nX: " + "a".repeat(100)))))
                .isInstanceOf(HttpProtocolException.class);
        assertThat(parser.versionOrDefault()).isEqualTo(HttpVersion.HTTP_1_0);
    }

    @Test
    void persistenceFollowsRfc9112Section9_3() throws Exception {
        assertThat(head("GET / HTTP/1.1\r\nHost: h\r\n\r\n").persistent()).isTrue();
        assertThat(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, CLOSE\r\n\r\n").persistent()).isFalse();
        assertThat(head("GET / HTTP/1.0\r\n\r\n").persistent()).isFalse();
        assertThat(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").persistent()).isTrue();
        assertThat(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n").persistent())
                .isFalse();
    }

    @Test
    void expectations() throws Exception {
        assertThat(head("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n\r\n").expectsContinue()).isTrue();
        assertThat(head("PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expectsContinue()).isFalse();
        assertThat(head("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n").hasUnsupportedExpectation())
                .isFalse();
        assertThat(head("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n").hasUnsupportedExpectation()).isTrue();
        assertThat(head("PUT / HTTP/1.0\r\nExpect: 200-ok\r\n\r\n").hasUnsupportedExpectation()).isFalse();
    }
}
