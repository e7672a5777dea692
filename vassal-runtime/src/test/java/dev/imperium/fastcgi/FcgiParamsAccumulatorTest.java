package dev.imperium.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Collecting a params stream from PARAMS records (FastCGI Specification 1.0, sections 3.3 and 5.2). */
class FcgiParamsAccumulatorTest {
    private static final byte[] STREAM = FcgiParamsParserTest.nginxParams().toByteArray();

    @Test
    void oneRecordThenTheEmptyOne() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(4096);
        ByteBuffer content = ByteBuffer.wrap(STREAM);
        assertThat(acc.append(content)).isFalse();
        assertThat(content.hasRemaining()).isFalse();
        assertThat(acc.isComplete()).isFalse();
        assertThat(acc.size()).isEqualTo(STREAM.length);
        assertThat(acc.append(ByteBuffer.allocate(0))).isTrue();
        assertThat(acc.isComplete()).isTrue();
        UwsgiVars vars = acc.vars(64);
        assertThat(vars).isEqualTo(FcgiParamsParser.parse(ByteBuffer.wrap(STREAM), 64, 4096));
    }

    @Test
    void pairsMayStraddleRecordsSplitAnywhere() throws Exception {
        UwsgiVars expected = FcgiParamsParser.parse(ByteBuffer.wrap(STREAM), 64, 4096);
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(4096);
        for (int split = 1; split < STREAM.length; split++) {
            acc.reset();
            assertThat(acc.append(STREAM, 0, split)).isFalse();
            assertThat(acc.append(STREAM, split, STREAM.length - split)).isFalse();
            assertThat(acc.append(STREAM, 0, 0)).isTrue();
            assertThat(acc.vars(64)).isEqualTo(expected);
        }
    }

    @Test
    void oneByteAtATime() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(STREAM.length);
        for (byte b : STREAM) {
            assertThat(acc.append(ByteBuffer.wrap(new byte[] {b}))).isFalse();
        }
        assertThat(acc.append(new byte[0], 0, 0)).isTrue();
        assertThat(acc.vars(64).size()).isEqualTo(22);
    }

    @Test
    void aStreamGrowingPastTheLimitIsRefusedAsSoonAsItDoes() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(100);
        acc.append(new byte[60], 0, 60);
        ByteBuffer next = ByteBuffer.wrap(new byte[41]);
        assertThatThrownBy(() -> acc.append(next))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessage("FastCGI params stream over buffer-size: 101 bytes (max 100)");
        assertThat(next.position()).isZero();
        assertThat(acc.size()).isEqualTo(60);
        assertThat(acc.append(new byte[40], 0, 40)).isFalse();
        assertThat(acc.size()).isEqualTo(100);
        assertThatThrownBy(() -> acc.append(new byte[1], 0, 1)).isInstanceOf(FcgiProtocolException.class);
    }

    @Test
    void aHugeRecordIsRefusedWithoutOverflow() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(Integer.MAX_VALUE - 8);
        acc.append(new byte[10], 0, 10);
        FcgiParamsAccumulator small = new FcgiParamsAccumulator(4096);
        small.append(new byte[4000], 0, 4000);
        assertThatThrownBy(() -> small.append(new byte[65535], 0, 65535))
                .hasMessage("FastCGI params stream over buffer-size: 69535 bytes (max 4096)");
    }

    @Test
    void aRecordAfterTheEndIsRefusedAndVarsWaitForTheEnd() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(4096);
        acc.append(STREAM, 0, STREAM.length);
        assertThatThrownBy(() -> acc.vars(64)).isInstanceOf(IllegalStateException.class);
        acc.append(STREAM, 0, 0);
        assertThatThrownBy(() -> acc.append(STREAM, 0, 1))
                .isInstanceOf(FcgiProtocolException.class)
                .hasMessage("FastCGI PARAMS record after the end of the params stream");
        assertThatThrownBy(() -> acc.append(STREAM, 0, 0)).isInstanceOf(FcgiProtocolException.class);
    }

    @Test
    void theStreamIsParsedWithTheSameLimits() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(4096);
        acc.append(STREAM, 0, STREAM.length);
        acc.append(STREAM, 0, 0);
        assertThatThrownBy(() -> acc.vars(10)).hasMessage("too many FastCGI params (max-vars 10)");
        FcgiParamsAccumulator truncated = new FcgiParamsAccumulator(4096);
        truncated.append(STREAM, 0, STREAM.length - 1);
        truncated.append(STREAM, 0, 0);
        assertThatThrownBy(() -> truncated.vars(64)).isInstanceOf(FcgiProtocolException.class);
    }

    @Test
    void resetReadiesItForTheNextRequest() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(4096);
        acc.append(STREAM, 0, STREAM.length);
        acc.append(STREAM, 0, 0);
        acc.reset();
        assertThat(acc.isComplete()).isFalse();
        assertThat(acc.size()).isZero();
        byte[] other = new FcgiParamsEncoder().add("A", "b").toByteArray();
        acc.append(other, 0, other.length);
        acc.append(other, 0, 0);
        assertThat(acc.vars(64).toMap()).containsExactly(java.util.Map.entry("A", "b"));
    }

    @Test
    void anEmptyStreamAndAZeroLimit() throws Exception {
        FcgiParamsAccumulator acc = new FcgiParamsAccumulator(0);
        assertThat(acc.append(ByteBuffer.allocate(0))).isTrue();
        assertThat(acc.vars(64).size()).isZero();
        assertThatThrownBy(() -> new FcgiParamsAccumulator(-1)).isInstanceOf(IllegalArgumentException.class);
        FcgiParamsAccumulator other = new FcgiParamsAccumulator(0);
        assertThatThrownBy(() -> other.append(new byte[1], 0, 1)).isInstanceOf(FcgiProtocolException.class);
        assertThatThrownBy(() -> other.append(new byte[1], 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
