package dev.imperium.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeadEncoderTest {

    private static String text(ResponseHeadEncoder e) {
        return new String(e.array(), 0, e.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesStatusLineFieldsAndEnd() {
        ResponseHeadEncoder e = new ResponseHeadEncoder();
        e.statusLine(HttpVersion.HTTP_1_1, 404).field("Content-Type", "text/plain").field("Content-Length", 0).end();
        assertThat(text(e))
                .isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
        assertThat(e.fieldCount()).isEqualTo(2);

        e.statusLine(HttpVersion.HTTP_1_0, 200).end();
        assertThat(text(e)).isEqualTo("HTTP/1.0 200 OK\r\n\r\n");
        assertThat(e.fieldCount()).isZero();
    }

    @Test
    void unknownStatusHasAnEmptyReasonPhrase() {
        ResponseHeadEncoder e = new ResponseHeadEncoder();
        e.statusLine(HttpVersion.HTTP_1_1, 599).end();
        assertThat(text(e)).isEqualTo("HTTP/1.1 599 \r\n\r\n");
        assertThat(HttpStatus.reasonPhrase(413)).isEqualTo("Content Too Large");
        assertThat(HttpStatus.reasonPhrase(431)).isEqualTo("Request Header Fields Too Large");
        assertThat(HttpStatus.reasonPhrase(-1)).isEmpty();
        assertThat(HttpStatus.reasonPhrase(1000)).isEmpty();
    }

    @Test
    void growsForLargeHeads() {
        ResponseHeadEncoder e = new ResponseHeadEncoder();
        e.statusLine(HttpVersion.HTTP_1_1, 200);
        for (int i = 0; i < 200; i++) {
            e.field("X-Field-" + i, "v".repeat(20));
        }
        e.end();
        assertThat(text(e)).startsWith("HTTP/1.1 200 OK\r\nX-Field-0: ").endsWith("\r\n\r\n");
        assertThat(e.fieldCount()).isEqualTo(200);
    }

    @Test
    void writesLatin1ValuesAsOneByteEach() {
        ResponseHeadEncoder e = new ResponseHeadEncoder();
        e.statusLine(HttpVersion.HTTP_1_1, 200).field("X", "caf\u00e9\tok").end();
        assertThat(text(e)).contains("X: caf\u00e9\tok\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: x", "a\nb", "a\rb", "a\u0000", "a\u007f", "\u20ac"})
    void refusesUnsafeValues(String value) {
        ResponseHeadEncoder e = new ResponseHeadEncoder().statusLine(HttpVersion.HTTP_1_1, 200);
        int before = e.length();
        assertThatThrownBy(() -> e.field("X", value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.length()).as("nothing half-written").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "X:", "X\r\n", "caf\u00e9"})
    void refusesNamesThatAreNotTokens(String name) {
        ResponseHeadEncoder e = new ResponseHeadEncoder().statusLine(HttpVersion.HTTP_1_1, 200);
        assertThatThrownBy(() -> e.field(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBadStatus() {
        assertThatThrownBy(() -> new ResponseHeadEncoder().statusLine(HttpVersion.HTTP_1_1, 99))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void httpDateIsImfFixdate() {
        assertThat(HttpDate.format(784111777)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.now()).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }
}
