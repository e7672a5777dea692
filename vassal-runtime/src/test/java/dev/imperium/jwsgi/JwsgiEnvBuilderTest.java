package dev.imperium.jwsgi;

import dev.imperium.apps.FakeExchange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

class JwsgiEnvBuilderTest {
    private final JwsgiEnvBuilder builder = new JwsgiEnvBuilder("vm");

    private HashMap<String, Object> env(FakeExchange exchange) {
        return builder.build(exchange.request(), exchange.body());
    }

    /** The key set and values uWSGI 2.0.21's http-socket gave the same request (recorded with curl). */
    @Test
    void holdsExactlyTheVariablesUwsgiGivesForAGet() {
        HashMap<String, Object> env = env(FakeExchange.request("GET", "/env?x=1&y=%20z")
                .header("Host", "127.0.0.1:18901")
                .header("User-Agent", "curl/7.88.1")
                .header("Accept", "*/*")
                .localPort(18901)
                .build());
        assertThat(env).containsOnlyKeys("REQUEST_METHOD", "REQUEST_URI", "PATH_INFO", "QUERY_STRING",
                "SERVER_PROTOCOL", "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT", "REMOTE_ADDR", "HTTP_HOST",
                "HTTP_USER_AGENT", "HTTP_ACCEPT", "jwsgi.input");
        assertThat(env).containsEntry("REQUEST_METHOD", "GET")
                .containsEntry("REQUEST_URI", "/env?x=1&y=%20z")
                .containsEntry("PATH_INFO", "/env")
                .containsEntry("QUERY_STRING", "x=1&y=%20z")
                .containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
                .containsEntry("SCRIPT_NAME", "")
                .containsEntry("SERVER_NAME", "vm")
                .containsEntry("SERVER_PORT", "18901")
                .containsEntry("REMOTE_ADDR", "127.0.0.1")
                .containsEntry("HTTP_HOST", "127.0.0.1:18901")
                .containsEntry("HTTP_USER_AGENT", "curl/7.88.1")
                .containsEntry("HTTP_ACCEPT", "*/*");
        assertThat(env.get("jwsgi.input")).isInstanceOf(InputStream.class);
    }

    @Test
    void givesAnEmptyQueryStringAndADecodedPathInfo() {
        HashMap<String, Object> env = env(FakeExchange.request("GET", "/a%20b/c").build());
        assertThat(env).containsEntry("QUERY_STRING", "").containsEntry("PATH_INFO", "/a b/c")
                .containsEntry("REQUEST_URI", "/a%20b/c");
    }

    @Test
    void putsContentTypeAndLengthWithoutThePrefix() {
        HashMap<String, Object> env = env(FakeExchange.request("POST", "/echo")
                .header("Content-Type", "text/plain").header("Content-Length", "3").body("abc").build());
        assertThat(env).containsEntry("CONTENT_TYPE", "text/plain").containsEntry("CONTENT_LENGTH", "3")
                .doesNotContainKeys("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH");
    }

    @Test
    void contentLengthIsTheFramedLengthNeverAnotherFieldsText() {
        // a Content_Length field merged into CONTENT_LENGTH ("5, 40"): a length the body does not have
        HashMap<String, Object> env = env(FakeExchange.request("POST", "/echo").header("Content-Length", "5")
                .header("Content_Length", "40").body("hello").build());
        assertThat(env).containsEntry("CONTENT_LENGTH", "5");
        assertThat(env(FakeExchange.request("POST", "/echo").header("Content_Length", "40").build()))
                .doesNotContainKey("CONTENT_LENGTH");
        assertThat(env(FakeExchange.request("POST", "/echo").header("Transfer-Encoding", "chunked")
                .header("Content_Length", "40").chunked().body("hello").build()))
                .doesNotContainKey("CONTENT_LENGTH").containsEntry("HTTP_TRANSFER_ENCODING", "chunked");
    }

    @Test
    void mergesRepeatedHeadersAndNamesThatDifferOnlyByCaseOrUnderscore() {
        HashMap<String, Object> env = env(FakeExchange.request("GET", "/")
                .header("X-Rep", "a").header("x-rep", "b").header("X_REP", "c").header("Cookie", "k=v").build());
        assertThat(env).containsEntry("HTTP_X_REP", "a, b, c").containsEntry("HTTP_COOKIE", "k=v");
    }

    @Test
    void keepsAnEmptyHeaderValue() {
        assertThat(env(FakeExchange.request("GET", "/").header("X-Empty", "").build()))
                .containsEntry("HTTP_X_EMPTY", "");
    }

    @Test
    void readsHeaderBytesAsUtf8WhenTheyAreUtf8() {
        String utf8OnTheWire = new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        HashMap<String, Object> env = env(FakeExchange.request("GET", "/")
                .header("X-Utf", utf8OnTheWire).header("X-Latin", "\u00e9x").build());
        assertThat(env).containsEntry("HTTP_X_UTF", "é").containsEntry("HTTP_X_LATIN", "éx");
    }

    @Test
    void showsIpv6AddressesAsInetNtopDoes() {
        assertThat(env(FakeExchange.request("GET", "/").remote("0:0:0:0:0:0:0:1", 1).build()))
                .containsEntry("REMOTE_ADDR", "::1");
        assertThat(env(FakeExchange.request("GET", "/").remote("::ffff:10.1.2.3", 1).build()))
                .containsEntry("REMOTE_ADDR", "10.1.2.3");
        assertThat(env(FakeExchange.request("GET", "/").remote("2001:db8:0:0:1:0:0:1", 1).build()))
                .containsEntry("REMOTE_ADDR", "2001:db8::1:0:0:1");
    }

    @Test
    void setsHttpsOnlyOnTls() {
        assertThat(env(FakeExchange.request("GET", "/").scheme("https").build())).containsEntry("HTTPS", "on");
        assertThat(env(FakeExchange.request("GET", "/").build())).doesNotContainKey("HTTPS");
    }

    @Test
    void usesPort80OnAUnixSocketAndKeepsTheRequestProtocol() {
        HashMap<String, Object> env = env(FakeExchange.request("GET", "/").localPort(0).protocol("HTTP/1.0")
                .remote("", 0).build());
        assertThat(env).containsEntry("SERVER_PORT", "80").containsEntry("SERVER_PROTOCOL", "HTTP/1.0")
                .containsEntry("REMOTE_ADDR", "");
    }

    @Test
    void givesTheBodyAsAStreamWhoseCloseLeavesItToTheServer() throws IOException {
        FakeExchange exchange = FakeExchange.request("POST", "/").header("Content-Length", "5").body("hello").build();
        InputStream input = (InputStream) builder.build(exchange.request(), exchange.body()).get("jwsgi.input");
        byte[] first = new byte[2];
        assertThat(input.read(first)).isEqualTo(2);
        input.close();
        assertThat(new String(input.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("llo");
    }

    @Test
    void returnsANewMapEveryTime() {
        FakeExchange exchange = FakeExchange.get("/");
        assertThat(builder.build(exchange.request(), exchange.body()))
                .isNotSameAs(builder.build(exchange.request(), exchange.body()));
    }

    @Test
    void takesTheServerNameFromTheHostNameByDefault() {
        assertThat(JwsgiEnvBuilder.forThisHost().serverName()).isNotBlank();
    }
}
