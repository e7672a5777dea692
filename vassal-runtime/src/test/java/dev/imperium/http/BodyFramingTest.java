package dev.imperium.http;

import static dev.imperium.http.ParserHarness.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BodyFramingTest {

    private static BodyFraming framing(String fields, long maxBody) throws HttpProtocolException {
        return framing("HTTP/1.1", fields, maxBody);
    }

    private static BodyFraming framing(String version, String fields, long maxBody) throws HttpProtocolException {
        return BodyFraming.forRequest(head("POST / " + version + "\r\nHost: h\r\n" + fields + "\r\n"), maxBody);
    }

    private static int status(String version, String fields, long maxBody) {
        HttpProtocolException e = catchThrowableOfType(HttpProtocolException.class,
                () -> framing(version, fields, maxBody));
        return e == null ? 0 : e.status();
    }

    @Test
    void noFramingFieldsMeansNoBody() throws Exception {
        assertThat(framing("", 0)).isEqualTo(BodyFraming.NONE);
        assertThat(BodyFraming.NONE.contentLengthOrMinusOne()).isEqualTo(-1);
    }

    @Test
    void contentLength() throws Exception {
        assertThat(framing("Content-Length: 42\r\n", 0)).isEqualTo(new BodyFraming(BodyFraming.Kind.LENGTH, 42));
        assertThat(framing("Content-Length: 0\r\n", 0).length()).isZero();
        assertThat(framing("Content-Length: 42\r\nContent-Length: 42\r\n", 0).length()).isEqualTo(42);
        assertThat(framing("Content-Length: 42, 042\r\n", 0).length()).isEqualTo(42);
        assertThat(framing("Content-Length: 999999999999999999\r\n", 0).length()).isEqualTo(999999999999999999L);
        assertThat(framing("Content-Length: 10\r\n", 10).length()).isEqualTo(10);
    }

    @Test
    void chunked() throws Exception {
        assertThat(framing("Transfer-Encoding: chunked\r\n", 0)).isEqualTo(BodyFraming.CHUNKED);
        assertThat(framing("Transfer-Encoding: Chunked \r\n", 0)).isEqualTo(BodyFraming.CHUNKED);
        assertThat(BodyFraming.CHUNKED.contentLengthOrMinusOne()).isEqualTo(-1);
    }

    static Stream<Arguments> badFraming() {
        return Stream.of(
                // CL.TE and TE.CL: both present
                Arguments.of("HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400),
                // TE in HTTP/1.0
                Arguments.of("HTTP/1.0", "Transfer-Encoding: chunked\r\n", 400),
                // final coding not chunked, chunked twice, junk
                Arguments.of("HTTP/1.1", "Transfer-Encoding: gzip\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: chunked, gzip\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: chunked, chunked\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: chunked;q=1\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding:\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: ,chunked\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: \"chunked\"\r\n", 400),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: xchunked\r\n", 400),
                // unknown coding before chunked
                Arguments.of("HTTP/1.1", "Transfer-Encoding: gzip, chunked\r\n", 501),
                Arguments.of("HTTP/1.1", "Transfer-Encoding: foo\r\nTransfer-Encoding: chunked\r\n", 501),
                // invalid or differing Content-Length
                Arguments.of("HTTP/1.1", "Content-Length: 5\r\nContent-Length: 6\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: 5, 6\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: -1\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: +5\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: 0x10\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: 1 0\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length:\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: 5,\r\n", 400),
                Arguments.of("HTTP/1.1", "Content-Length: 5.0\r\n", 400),
                // too large
                Arguments.of("HTTP/1.1", "Content-Length: 11\r\n", 413),
                Arguments.of("HTTP/1.1", "Content-Length: 99999999999999999999999\r\n", 413));
    }

    @ParameterizedTest
    @MethodSource("badFraming")
    void rejectsBadFraming(String version, String fields, int status) {
        assertThat(status(version, fields, 10)).isEqualTo(status);
    }

    @Test
    void hugeLengthIsOnly413WhenMembersAgree() {
        assertThat(status("HTTP/1.1", "Content-Length: 99999999999999999999, 99999999999999999998\r\n", 0))
                .isEqualTo(400);
        assertThat(status("HTTP/1.1", "Content-Length: 99999999999999999999\r\n", 0)).isEqualTo(413);
    }
}
