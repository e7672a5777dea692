package dev.imperium.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): the control channel's frame decoder (emperor to vassal, master to worker) fed a byte
 * stream in pieces, the sizes of which the input chooses.
 *
 * <p>Invariants: nothing escapes; the frames out, encoded again, are exactly the bytes in minus the unfinished tail
 * ({@link FrameDecoder#pending()}); the frames do not depend on the split (whole input, byte by byte); the frames'
 * texts decode without error. Input layout: byte 0 is the piece size (1..16), the rest is the stream.
 */
class FrameDecoderFuzzTest {
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void stream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pieceSize = 1 + (input[0] & 0x0F);
        int from = 1;
        List<Frame> pieces = decode(input, from, pieceSize);
        List<Frame> whole = decode(input, from, input.length);
        assertThat(pieces).isEqualTo(whole);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        for (Frame f : whole) {
            assertThat(f.type()).isBetween(0, 255);
            assertThat(f.payload().length).isLessThanOrEqualTo(Frame.MAX_PAYLOAD);
            assertThat(f.text()).isNotNull();
            again.writeBytes(f.encode());
        }
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(input, from, input.length - from);
        assertThat(again.size() + decoder.pending()).isEqualTo(input.length - from);
        byte[] encoded = again.toByteArray();
        for (int i = 0; i < encoded.length; i++) {
            assertThat(encoded[i]).as("byte %d", i).isEqualTo(input[from + i]);
        }
    }

    private static List<Frame> decode(byte[] input, int from, int pieceSize) {
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> frames = new ArrayList<>();
        for (int i = from; i < input.length; i += pieceSize) {
            frames.addAll(decoder.feed(input, i, Math.min(pieceSize, input.length - i)));
        }
        return frames;
    }
}
