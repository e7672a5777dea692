package dev.imperium.http;

import static dev.imperium.http.ParserHarness.bytes;
import static dev.imperium.http.ParserHarness.chunked;
import static dev.imperium.http.ParserHarness.chunkedStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedDecoderTest {

    @Test
    void decodesChunksAndTrailers() throws Exception {
        ParserHarness.Decoded d = chunked(
                bytes("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Sum: 12\r\nY: z\r\n\r\nGET"), 4096, 4096);
        assertThat(d.text()).isEqualTo("hello, world");
        assertThat(d.length()).isEqualTo(12);
        assertThat(d.trailers().get("X-Sum")).isEqualTo("12");
        assertThat(d.trailers().get("Y")).isEqualTo("z");
        assertThat(d.leftover()).as("the pipelined request stays").isEqualTo(3);
    }

    @Test
    void emptyBody() throws Exception {
        ParserHarness.Decoded d = chunked(bytes("0\r\n\r\n"), 1, 1);
        assertThat(d.data()).isEmpty();
        assertThat(d.trailers().size()).isZero();
    }

    @Test
    void smallReadsStopAtTheArrayEnd() throws Exception {
        ChunkedDecoder decoder = new ChunkedDecoder(0, 64, 64);
        ByteBuffer src = ByteBuffer.wrap(bytes("A\r\n0123456789\r\n0\r\n\r\n"));
        byte[] dst = new byte[4];
        assertThat(decoder.decode(src, dst, 0, 4)).isEqualTo(4);
        assertThat(decoder.decode(src, dst, 1, 3)).isEqualTo(3);
        assertThat(decoder.decode(src, dst, 0, 4)).isEqualTo(3);
        assertThat(decoder.decode(src, dst, 0, 4)).isEqualTo(-1);
        assertThat(decoder.isDone()).isTrue();
        assertThat(decoder.decode(src, dst, 0, 4)).isEqualTo(-1);
    }

    @Test
    void callerMayReadDataItself() throws Exception {
        ChunkedDecoder decoder = new ChunkedDecoder(0, 64, 64);
        byte[] dst = new byte[16];
        assertThat(decoder.decode(ByteBuffer.wrap(bytes("10\r\n")), dst, 0, 16)).isZero();
        assertThat(decoder.pendingData()).isEqualTo(16);
        decoder.consumeData(10);
        assertThat(decoder.pendingData()).isEqualTo(6);
        assertThatThrownBy(() -> decoder.consumeData(7)).isInstanceOf(IllegalArgumentException.class);
        decoder.consumeData(6);
        assertThat(decoder.pendingData()).isZero();
        assertThat(decoder.decode(ByteBuffer.wrap(bytes("\r\n0\r\n\r\n")), dst, 0, 16)).isEqualTo(-1);
        assertThat(decoder.bodyLength()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1;a\r\nx\r\n0\r\n\r\n",
        "1 ; a = b ;c=\"q \\\" d\"\r\nx\r\n0\r\n\r\n",
        "001\r\nx\r\n00\r\n\r\n",
        "1\r\nx\r\n0\r\nT: v\nU: w\n\n",
        "f\r\n0123456789abcde\r\n0\r\n\r\n",
    })
    void acceptsGoodBodies(String body) {
        assertThat(chunkedStatus(body)).isZero();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("g\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("-1\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("0x1\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1 \r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1\r\nx\n0\r\n\r\n", 400),
                Arguments.of("1\r\nxy\r\n0\r\n\r\n", 400),
                Arguments.of("1\r\nx\rX0\r\n\r\n", 400),
                Arguments.of("1\rx\r\n0\r\n\r\n", 400),
                Arguments.of("1;\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1;a=\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1;a=\"b\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1;a\u0000\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1;a b\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("1;" + "a".repeat(100) + "\r\nx\r\n0\r\n\r\n", 400),
                Arguments.of("10000000000000000\r\n", 400),
                Arguments.of("1\r\nx\r\n0\r\n folded: v\r\n\r\n", 400),
                Arguments.of("1\r\nx\r\n0\r\nBad Name: v\r\n\r\n", 400),
                Arguments.of("1\r\nx\r\n0\r\nT: a\u0000\r\n\r\n", 400),
                Arguments.of("1\r\nx\r\n0\r\n" + "T: v\r\n".repeat(50) + "\r\n", 400),
                Arguments.of("0\r\nT: v\r\r\n\r\n", 400),
                Arguments.of("0\n\r\n", 400));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void rejectsBadBodies(String body, int status) {
        assertThat(chunkedStatus(body)).isEqualTo(status);
    }

    @Test
    void bodyLimitGives413BeforeTheData() {
        assertThat(chunkedStatus(bytes("5\r\nhello\r\n6\r\n"), 10)).isEqualTo(413);
        assertThat(chunkedStatus(bytes("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"), 10)).isZero();
        assertThat(chunkedStatus(bytes("7fffffffffffffff\r\n"), 0)).isEqualTo(-1);
    }

    @Test
    void errorsRepeatUntilReset() throws Exception {
        ChunkedDecoder decoder = new ChunkedDecoder(0, 64, 64);
        byte[] dst = new byte[8];
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(bytes("z\r\n")), dst, 0, 8))
                .isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(bytes("0\r\n\r\n")), dst, 0, 8))
                .isInstanceOf(HttpProtocolException.class);
        decoder.reset();
        assertThat(decoder.decode(ByteBuffer.wrap(bytes("0\r\n\r\n")), dst, 0, 8)).isEqualTo(-1);
    }
}
