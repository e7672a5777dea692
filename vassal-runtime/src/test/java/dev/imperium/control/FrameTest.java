package dev.imperium.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameTest {
    @Test
    void encodesTheUwsgiStyleHeader() {
        byte[] wire = Frame.of(EmperorMessage.ACCEPTING, "12").encode();
        assertThat(wire).containsExactly(5, 2, 0, '1', '2');
        assertThat(Frame.of(EmperorMessage.RELOAD).encode()).containsExactly(1, 0, 0);
    }

    @Test
    void decodesFramesSplitAtEveryOffsetAndBatched() throws Exception {
        List<Frame> frames = List.of(Frame.of(EmperorMessage.HELLO, "token 1234"), Frame.of(EmperorMessage.SPAWNED),
                new Frame(WorkerMessage.CONFIG_ENTRY, new byte[300]), Frame.of(EmperorMessage.FATAL, "bad: é"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Frame f : frames) {
            all.write(f.encode());
        }
        byte[] wire = all.toByteArray();
        for (int split = 0; split <= wire.length; split++) {
            FrameDecoder decoder = new FrameDecoder();
            List<Frame> out = new ArrayList<>(decoder.feed(wire, 0, split));
            out.addAll(decoder.feed(wire, split, wire.length - split));
            assertThat(out).as("split at %d", split).isEqualTo(frames);
            assertThat(decoder.pending()).isZero();
        }
        FrameDecoder bytewise = new FrameDecoder();
        List<Frame> out = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            out.addAll(bytewise.feed(wire, i, 1));
        }
        assertThat(out).isEqualTo(frames);
        assertThat(frames.get(3).text()).isEqualTo("bad: é");
    }

    @Test
    void neverThrowsOnRandomBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            FrameDecoder decoder = new FrameDecoder();
            int total = 0;
            for (Frame f : decoder.feed(junk, 0, junk.length)) {
                total += Frame.HEADER + f.payload().length;
            }
            assertThat(total + decoder.pending()).isEqualTo(junk.length);
        }
    }

    @Test
    void refusesOutOfRangeFramesAndCutsLongText() {
        assertThatThrownBy(() -> new Frame(256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Frame(1, new byte[Frame.MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Frame.of(1, "x".repeat(70_000)).payload()).hasSize(Frame.MAX_PAYLOAD);
    }
}
