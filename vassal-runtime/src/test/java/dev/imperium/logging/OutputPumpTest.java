package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPumpTest {
    /** Returns the given pieces one per read (or less, when the reader asks for less), as a pipe might. */
    private static InputStream reads(String... pieces) {
        return new InputStream() {
            int i;
            byte[] rest = new byte[0];

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (rest.length == 0) {
                    if (i == pieces.length) {
                        return -1;
                    }
                    rest = pieces[i++].getBytes(StandardCharsets.UTF_8);
                }
                int n = Math.min(len, rest.length);
                System.arraycopy(rest, 0, b, off, n);
                rest = java.util.Arrays.copyOfRange(rest, n, rest.length);
                return n;
            }
        };
    }

    private static List<String> pump(InputStream in) {
        List<String> batches = new ArrayList<>();
        new OutputPump(in, 7, (pid, bytes, off, len) -> {
            assertThat(pid).isEqualTo(7);
            assertThat(bytes[off + len - 1]).as("batches end with a line break").isEqualTo((byte) '\n');
            batches.add(new String(bytes, off, len, StandardCharsets.UTF_8));
        }).run();
        return batches;
    }

    @Test
    void passesWholeLinesOnAndHoldsAPartialOne() {
        assertThat(pump(reads("a\nb\nc", "c\nd", "d\n"))).containsExactly("a\nb\n", "cc\n", "dd\n");
    }

    @Test
    void aLastLineWithoutBreakGetsOneAtTheEnd() {
        assertThat(pump(reads("x\ny"))).containsExactly("x\n", "y\n");
    }

    @Test
    void aHugeLineIsPassedOnInPieces() {
        String big = "z".repeat(OutputPump.MAX_LINE + 10);
        List<String> batches = pump(reads(big.substring(0, 50_000), big.substring(50_000, OutputPump.MAX_LINE),
                big.substring(OutputPump.MAX_LINE) + "\n"));
        assertThat(batches).hasSize(2);
        assertThat(batches.getFirst()).hasSize(OutputPump.MAX_LINE + 1);
        assertThat(String.join("", batches).replace("\n", "")).isEqualTo(big);
    }

    @Test
    void aBusyPipeGetsBiggerReads() {
        String line = "x".repeat(99) + "\n";
        List<String> batches = pump(reads(line.repeat(2000)));
        assertThat(String.join("", batches)).isEqualTo(line.repeat(2000));
        assertThat(batches.stream().mapToInt(String::length).max().orElseThrow()).isGreaterThan(32 * 1024);
    }

    @Test
    void findsTheLastLineBreak() {
        byte[] b = "ab\ncd\nef".getBytes(StandardCharsets.US_ASCII);
        assertThat(OutputPump.lastLineEnd(b, 0, b.length)).isEqualTo(6);
        assertThat(OutputPump.lastLineEnd(b, 6, b.length)).isEqualTo(-1);
    }
}
