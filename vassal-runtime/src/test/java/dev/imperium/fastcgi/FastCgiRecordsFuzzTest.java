package dev.imperium.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.imperium.uwsgi.UwsgiVars;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): a FastCGI record stream as a web server sends it to a {@code fastcgi-socket}: record
 * headers, BEGIN_REQUEST, PARAMS records collected by {@link FcgiParamsAccumulator} and parsed, GET_VALUES answered
 * with {@link FcgiRecordEncoder#writeGetValuesResult}.
 *
 * <p>Invariants: only {@link FcgiProtocolException} escapes; the accumulator never holds more than
 * {@code buffer-size}; params collected from records parse to the same vars as the stream given whole to
 * {@link FcgiParamsParser}; accepted params re-encoded with {@link FcgiParamsEncoder} parse back to the same vars;
 * a GET_VALUES answer fits its documented maximum.
 */
class FastCgiRecordsFuzzTest {
    private static final int BUFFER_SIZE = 1024;
    private static final int MAX_VARS = 16;

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void records(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        FcgiParamsAccumulator params = new FcgiParamsAccumulator(BUFFER_SIZE);
        ByteBuffer whole = ByteBuffer.allocate(input.length);
        try {
            while (in.remaining() >= FcgiRecordHeader.SIZE) {
                FcgiRecordHeader header = FcgiRecordHeader.decode(in, in.position());
                if (in.remaining() < header.recordLength()) {
                    return;
                }
                in.position(in.position() + FcgiRecordHeader.SIZE);
                ByteBuffer content = in.slice(in.position(), header.contentLength());
                in.position(in.position() + header.contentLength() + header.paddingLength());
                switch (header.type()) {
                    case FcgiRecordType.BEGIN_REQUEST -> {
                        FcgiBeginRequest begin = FcgiBeginRequest.decode(content);
                        assertThat(begin.role()).isBetween(0, 0xFFFF);
                    }
                    case FcgiRecordType.PARAMS -> {
                        whole.put(content.duplicate());
                        boolean ended = params.append(content);
                        assertThat(params.size()).isLessThanOrEqualTo(BUFFER_SIZE);
                        if (ended) {
                            UwsgiVars vars = params.vars(MAX_VARS);
                            UwsgiVars direct = FcgiParamsParser.parse(whole.flip(), MAX_VARS, BUFFER_SIZE);
                            assertThat(vars).isEqualTo(direct);
                            roundTrip(vars);
                            return;
                        }
                    }
                    case FcgiRecordType.GET_VALUES -> {
                        UwsgiVars query = FcgiParamsParser.parse(content, MAX_VARS, BUFFER_SIZE);
                        byte[] out = new byte[FcgiRecordEncoder.GET_VALUES_RESULT_MAX_LENGTH];
                        int n = FcgiRecordEncoder.writeGetValuesResult(out, 0, query, 1, 1);
                        assertThat(n).isBetween(FcgiRecordHeader.SIZE, out.length);
                    }
                    default -> assertThat(FcgiRecordType.name(header.type())).isNotEmpty();
                }
            }
        } catch (FcgiProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void roundTrip(UwsgiVars vars) throws FcgiProtocolException {
        FcgiParamsEncoder encoder = new FcgiParamsEncoder();
        for (int i = 0; i < vars.size(); i++) {
            encoder.add(vars.name(i), vars.value(i));
        }
        UwsgiVars again = FcgiParamsParser.parse(ByteBuffer.wrap(encoder.toByteArray()), MAX_VARS, 1 << 20);
        assertThat(again).isEqualTo(vars);
    }
}
