package dev.imperium.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): the bytes a client sends on an {@code http-socket}, through the request head parser, the
 * body framing rules and the chunked decoder, as {@code Http1Connection} drives them.
 *
 * <p>Invariants: only {@link HttpProtocolException} escapes, with one of the documented statuses; the outcome does
 * not depend on how the bytes are split (whole, 1-byte and 7-byte pieces); an accepted head respects the limits
 * (size, a token method, one valid Host); a chunked body never decodes more than the limit. Regression inputs:
 * {@code src/test/resources/dev/imperium/http/HttpRequestFuzzTestInputs/request/}; fuzz with {@code -Pfuzz}.
 */
class HttpRequestFuzzTest {
    private static final int MAX_HEAD = 1024;
    private static final int MAX_LINE = 512;
    private static final long MAX_BODY = 4096;
    private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void request(byte[] input) {
        String whole = outcome(input, Math.max(1, input.length));
        assertThat(outcome(input, 1)).as("byte by byte").isEqualTo(whole);
        assertThat(outcome(input, 7)).as("7-byte pieces").isEqualTo(whole);
    }

    /**
     * Returns "" when more input is needed, "head:..." / "body:..." on success, "status:reason" on a protocol error.
     */
    private static String outcome(byte[] input, int pieceSize) {
        RequestHeadParser parser = new RequestHeadParser(MAX_HEAD, MAX_LINE);
        ChunkedDecoder decoder = new ChunkedDecoder(MAX_BODY, 64, 256);
        int[] next = {0};
        ByteBuffer src = ByteBuffer.allocate(0);
        try {
            while (!parser.parse(src)) {
                if (next[0] >= input.length) {
                    return "";
                }
                src = piece(input, next, pieceSize);
            }
            assertThat(parser.headSize()).isLessThanOrEqualTo(MAX_HEAD);
            Http1RequestHead head = parser.head();
            String facts = checkHead(head);
            BodyFraming framing = BodyFraming.forRequest(head, MAX_BODY);
            switch (framing.kind()) {
                case NONE -> assertThat(framing.length()).isEqualTo(-1);
                case LENGTH -> assertThat(framing.length()).isBetween(0L, MAX_BODY);
                case CHUNKED -> assertThat(framing.length()).isEqualTo(-1);
            }
            if (framing.kind() != BodyFraming.Kind.CHUNKED) {
                return "head:" + facts + " " + framing;
            }
            byte[] dst = new byte[5];
            long total = 0;
            while (true) {
                int n = decoder.decode(src, dst, 0, dst.length);
                if (n < 0) {
                    assertThat(decoder.isDone()).isTrue();
                    break;
                }
                total += n;
                assertThat(total).isEqualTo(decoder.bodyLength()).isLessThanOrEqualTo(MAX_BODY);
                if (n == 0) {
                    if (next[0] >= input.length) {
                        return "";
                    }
                    src = piece(input, next, pieceSize);
                }
            }
            return "body:" + facts + " " + total + " " + decoder.trailers();
        } catch (HttpProtocolException e) {
            assertThat(STATUSES).as(e.getMessage()).contains(e.status());
            return e.status() + ":" + e.reason();
        }
    }

    private static ByteBuffer piece(byte[] input, int[] next, int pieceSize) {
        ByteBuffer src = ByteBuffer.wrap(input, next[0], Math.min(pieceSize, input.length - next[0]));
        next[0] += src.remaining();
        return src;
    }

    private static String checkHead(Http1RequestHead head) {
        assertThat(FieldTokens.isToken(head.method())).as("method %s", head.method()).isTrue();
        RequestTarget target = head.target();
        assertThat(target.raw()).isNotEmpty();
        if (target.form() == TargetForm.ORIGIN) {
            assertThat(target.path()).startsWith("/");
        }
        assertThat(head.fields().getAll("Host").size()).isLessThanOrEqualTo(1);
        if (head.version() == HttpVersion.HTTP_1_1) {
            assertThat(head.fields().contains("Host")).isTrue();
        }
        return head.method() + " " + target + " " + head.version() + " " + head.fields() + " " + head.persistent()
                + head.expectsContinue() + head.hasUnsupportedExpectation();
    }
}
