package dev.imperium.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTest {
    @Test
    void splitsTheTargetIntoDecodedPathAndRawQuery() {
        Request request = Request.builder("GET", "/a%20b/%C3%A9?x=1&y=%20z").build();
        assertThat(request.path()).isEqualTo("/a b/é");
        assertThat(request.query()).isEqualTo("x=1&y=%20z");
        assertThat(request.target()).isEqualTo("/a%20b/%C3%A9?x=1&y=%20z");
        assertThat(Request.builder("GET", "/plain").build().query()).isEmpty();
    }

    @Test
    void decodesQueryParametersAsAFormWouldBe() {
        Request request = Request.builder("GET",
                "/?name=Ada+Lovelace&tag=a&tag=b%26c&flag&empty=&=anon&&x=%E2%82%AC").build();
        assertThat(request.queryParams()).containsExactly(
                Map.entry("name", List.of("Ada Lovelace")),
                Map.entry("tag", List.of("a", "b&c")),
                Map.entry("flag", List.of("")),
                Map.entry("empty", List.of("")),
                Map.entry("", List.of("anon")),
                Map.entry("x", List.of("€")));
        assertThat(request.queryParam("tag")).contains("a");
        assertThat(request.queryParam("missing")).isEmpty();
    }

    @Test
    void keepsMalformedEscapesLiterally() {
        assertThat(Request.builder("GET", "/?q=100%&r=%zz&s=%4").build().queryParams())
                .containsEntry("q", List.of("100%"))
                .containsEntry("r", List.of("%zz"))
                .containsEntry("s", List.of("%4"));
    }

    @Test
    void looksHeadersUpIgnoringCase() {
        Request request = Request.builder("GET", "/").header("X-Rep", "a").header("x-rep", "b")
                .header("Content-Type", "text/plain").build();
        assertThat(request.header("X-REP")).contains("a");
        assertThat(request.headers("x-Rep")).containsExactly("a", "b");
        assertThat(request.headers("absent")).isEmpty();
        assertThat(request.contentType()).contains("text/plain");
        assertThat(request.headers()).containsKey("content-type");
    }

    @Test
    void readsTheBodyOnceAndRemembersIt() throws IOException {
        Request request = Request.builder("POST", "/").body("hello").build();
        assertThat(request.bodyBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(request.bodyText()).isEqualTo("hello");
        assertThat(request.body().readAllBytes()).hasSize(5);
    }

    @Test
    void decodesTheBodyInTheCharsetOfTheContentType() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Request.builder("POST", "/").header("Content-Type", "text/plain; Charset=\"ISO-8859-1\"")
                .body(latin1).build().bodyText()).isEqualTo("café");
        assertThat(Request.builder("POST", "/").header("Content-Type", "text/plain; charset=nonsense")
                .body("café").build().bodyText()).isEqualTo("café");
        assertThat(Request.builder("POST", "/").body("café").build().bodyText()).isEqualTo("café");
    }

    @Test
    void parsesTheContentLength() {
        assertThat(Request.builder("POST", "/").header("Content-Length", "12").build().contentLength())
                .hasValue(12);
        assertThat(Request.builder("POST", "/").header("Content-Length", "x").build().contentLength()).isEmpty();
        assertThat(Request.builder("GET", "/").build().contentLength()).isEmpty();
    }

    @Test
    void carriesTheClientAddress() {
        Request request = Request.builder("GET", "/").remote("10.0.0.7", 4242).build();
        assertThat(request.remoteAddress()).isEqualTo("10.0.0.7");
        assertThat(request.remotePort()).isEqualTo(4242);
        assertThat(request.protocol()).isEqualTo("HTTP/1.1");
    }
}
