package dev.imperium.scgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): the head of an SCGI request (a netstring of NUL-separated headers) as a web server sends
 * it to a {@code scgi-socket}, parsed the way {@code ScgiConnection} does: again with every byte that arrives.
 *
 * <p>Invariants: only {@link ScgiProtocolException} escapes; a refused parse leaves the position; an accepted one
 * stops right after the {@code ','}, within {@code buffer-size}, with {@code CONTENT_LENGTH} first, {@code SCGI=1},
 * at most {@code max-vars} headers; and every shorter prefix of an accepted request asks for more bytes (null), so a
 * request is never refused or cut short because it arrived in pieces.
 */
class ScgiRequestFuzzTest {
    private static final int BUFFER_SIZE = 512;
    private static final int MAX_VARS = 16;

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void request(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        ScgiRequest request;
        try {
            request = ScgiRequestParser.parse(in, MAX_VARS, BUFFER_SIZE);
        } catch (ScgiProtocolException e) {
            assertThat(in.position()).isZero();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        if (request == null) {
            assertThat(in.position()).isZero();
            return;
        }
        int end = in.position();
        assertThat(end).isBetween(4, BUFFER_SIZE);
        assertThat(input[end - 1]).isEqualTo((byte) ',');
        assertThat(request.contentLength()).isNotNegative();
        assertThat(request.vars().size()).isBetween(2, MAX_VARS);
        assertThat(request.vars().name(0)).isEqualTo("CONTENT_LENGTH");
        assertThat(request.vars().get("SCGI")).isEqualTo("1");
        for (int cut = 0; cut < end; cut++) {
            ByteBuffer prefix = ByteBuffer.wrap(input, 0, cut);
            try {
                assertThat(ScgiRequestParser.parse(prefix, MAX_VARS, BUFFER_SIZE)).as("prefix of %d", cut).isNull();
            } catch (ScgiProtocolException e) {
                throw new AssertionError("prefix of " + cut + " bytes refused: " + e.getMessage(), e);
            }
        }
    }
}
