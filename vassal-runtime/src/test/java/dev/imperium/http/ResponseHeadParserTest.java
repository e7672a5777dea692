package dev.imperium.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadParserTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesAHeadAndFindsTheBody() throws Exception {
        byte[] raw = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Multi: a\r\nX-Multi: b\r\n\r\nbody");
        ResponseHeadParser.ResponseHead head = ResponseHeadParser.parse(raw, 0, raw.length, 4096);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.fields().getAll("X-Multi")).containsExactly("a", "b");
        assertThat(new String(raw, head.length(), raw.length - head.length(), StandardCharsets.ISO_8859_1))
                .isEqualTo("body");
    }

    @Test
    void acceptsBareLfOtherVersionsAndNoReason() throws Exception {
        byte[] raw = bytes("HTTP/2.0 404\nA: b\n\n");
        ResponseHeadParser.ResponseHead head = ResponseHeadParser.parse(raw, 0, raw.length, 4096);
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.fields().get("A")).isEqualTo("b");
        assertThat(head.length()).isEqualTo(raw.length);
    }

    @Test
    void waitsForTheEndOfTheHeadAtEverySplit() throws Exception {
        byte[] raw = bytes("HTTP/1.0 204 No Content\r\nX: y\r\n\r\n");
        for (int i = 0; i < raw.length; i++) {
            assertThat(ResponseHeadParser.parse(raw, 0, i, 4096)).as("after %d bytes", i).isNull();
        }
        assertThat(ResponseHeadParser.parse(raw, 0, raw.length, 4096).status()).isEqualTo(204);
    }

    @Test
    void refusesBrokenHeadsWith502() {
        for (String bad : new String[] {"HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n", "HTP/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
                "HTTP/1.1 099 Low\r\n\r\n"}) {
            byte[] raw = bytes(bad);
            assertThatThrownBy(() -> ResponseHeadParser.parse(raw, 0, raw.length, 4096)).as(bad)
                    .isInstanceOf(HttpProtocolException.class)
                    .satisfies(e -> assertThat(((HttpProtocolException) e).status()).isEqualTo(502));
        }
    }

    @Test
    void refusesAHeadLargerThanTheLimit() {
        byte[] raw = bytes("HTTP/1.1 200 OK\r\nX: " + "y".repeat(200) + "\r\n\r\n");
        assertThatThrownBy(() -> ResponseHeadParser.parse(raw, 0, raw.length, 100))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("larger than 100");
    }
}
