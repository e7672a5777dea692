package dev.imperium.emperor.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Framing: whole lines out, whatever the read boundaries; overlong lines refused. */
class LineFramerTest {
    private static List<String> feed(LineFramer f, String s) throws ProtocolException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return f.feed(b, 0, b.length);
    }

    @Test
    void linesSplitAcrossReadsAndSeveralPerReadComeOutWhole() throws Exception {
        LineFramer f = new LineFramer(100);
        assertThat(feed(f, "{\"a\":")).isEmpty();
        assertThat(f.hasPartialLine()).isTrue();
        assertThat(feed(f, "1}\n{\"b\":2}\r\n{\"c\"")).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(feed(f, ":3}\n")).containsExactly("{\"c\":3}");
        assertThat(f.hasPartialLine()).isFalse();
    }

    @Test
    void multiByteCharactersSplitBetweenReadsSurvive() throws Exception {
        LineFramer f = new LineFramer(100);
        byte[] b = "é\n".getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(f.feed(b, 0, 1));
        out.addAll(f.feed(b, 1, 2));
        assertThat(out).containsExactly("é");
    }

    @Test
    void aLineLongerThanTheLimitIsRefused() throws Exception {
        LineFramer f = new LineFramer(8);
        assertThat(feed(f, "12345678\n")).containsExactly("12345678");
        assertThatThrownBy(() -> feed(f, "123456789")).isInstanceOf(ProtocolException.class)
                .hasMessage("a message is longer than 8 bytes");
    }
}
