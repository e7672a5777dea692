package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded tail of a vassal's output: what is kept, what a follower gets and how it learns about losses. */
class VassalLogBufferTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(VassalLogBuffer.Line l) {
        return new String(l.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheLastLinesWithinTheLineBound() {
        VassalLogBuffer buf = new VassalLogBuffer(3, 1000);
        for (int i = 1; i <= 5; i++) {
            buf.append(i == 4, b("line " + i));
        }
        VassalLogBuffer.Slice all = buf.tail(-1);
        assertThat(all.lines()).extracting(VassalLogBufferTest::text).containsExactly("line 3", "line 4", "line 5");
        assertThat(all.lines()).extracting(VassalLogBuffer.Line::seq).containsExactly(3L, 4L, 5L);
        assertThat(all.lines().get(1).stderr()).isTrue();
        assertThat(all.skipped()).isEqualTo(2);
        VassalLogBuffer.Slice last = buf.tail(1);
        assertThat(last.lines()).extracting(VassalLogBufferTest::text).containsExactly("line 5");
        assertThat(last.skipped()).isEqualTo(4);
        assertThat(buf.tail(0).lines()).isEmpty();
        assertThat(buf.tail(0).skipped()).isEqualTo(5);
    }

    @Test
    void keepsWithinTheByteBoundButAlwaysTheNewestLine() {
        VassalLogBuffer buf = new VassalLogBuffer(100, 10);
        buf.append(false, b("12345"));
        buf.append(false, b("67890"));
        buf.append(false, b("abc"));
        assertThat(buf.tail(-1).lines()).extracting(VassalLogBufferTest::text).containsExactly("67890", "abc");
        buf.append(false, b("a line longer than the whole bound"));
        assertThat(buf.tail(-1).lines()).extracting(VassalLogBufferTest::text)
                .containsExactly("a line longer than the whole bound");
    }

    @Test
    void aFollowerGetsNewLinesAndHowManyItMissed() throws Exception {
        VassalLogBuffer buf = new VassalLogBuffer(2, 1000);
        buf.append(false, b("a"));
        assertThat(buf.after(1, 10).lines()).isEmpty();
        CompletableFuture<VassalLogBuffer.Slice> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return buf.after(1, 10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        buf.append(false, b("b"));
        VassalLogBuffer.Slice got = waiting.get(10, TimeUnit.SECONDS);
        assertThat(got.lines()).extracting(VassalLogBufferTest::text).containsExactly("b");
        assertThat(got.skipped()).isZero();
        for (String s : new String[] {"c", "d", "e"}) {
            buf.append(false, b(s));
        }
        VassalLogBuffer.Slice behind = buf.after(2, 10);
        assertThat(behind.lines()).extracting(VassalLogBufferTest::text).containsExactly("d", "e");
        assertThat(behind.skipped()).as("c was dropped before the follower read it").isEqualTo(1);
    }

    @Test
    void retiringWakesAFollower() throws Exception {
        VassalLogBuffer buf = new VassalLogBuffer();
        CompletableFuture<VassalLogBuffer.Slice> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return buf.after(0, 30_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        buf.retire();
        assertThat(waiting.get(10, TimeUnit.SECONDS).lines()).isEmpty();
        assertThat(buf.retired()).isTrue();
    }

    @Test
    void theRegistryDropsARemovedVassalsBuffer() {
        VassalLogs logs = new VassalLogs();
        logs.line("a.ini", false, b("x"));
        VassalLogBuffer a = logs.find("a.ini");
        assertThat(a.lastSeq()).isEqualTo(1);
        logs.remove("a.ini");
        assertThat(a.retired()).isTrue();
        assertThat(logs.find("a.ini")).isNull();
    }
}
