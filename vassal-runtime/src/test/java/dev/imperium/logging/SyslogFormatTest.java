package dev.imperium.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {
    private static final long T = ZonedDateTime.of(2026, 11, 5, 7, 3, 9, 123_456_000, ZoneOffset.UTC).toInstant()
            .toEpochMilli();

    private static String frame(SyslogFormat.Framing f, String line) {
        return new String(SyslogFormat.frame(f, line, T, ZoneOffset.UTC, 4242), StandardCharsets.UTF_8);
    }

    @Test
    void rfc3164LocalIsWhatGlibcSyslogSends() {
        SyslogFormat.Framing f = new SyslogFormat.Framing(SyslogFormat.Style.RFC3164_LOCAL, 30, null, "uwsgi", 65536);
        assertThat(frame(f, "hello\n")).isEqualTo("<30>Nov  5 07:03:09 uwsgi: hello");
    }

    @Test
    void rfc3164RemoteIsUwsgisRsyslogPacketCutAt1024() {
        SyslogFormat.Framing f = new SyslogFormat.Framing(SyslogFormat.Style.RFC3164, 29, null, "vm uwsgi", 1024);
        assertThat(frame(f, "GET / 200")).isEqualTo("<29>Nov  5 07:03:09 vm uwsgi: GET / 200");
        assertThat(SyslogFormat.frame(f, "x".repeat(5000), T, ZoneOffset.UTC, 1)).hasSize(1024);
    }

    @Test
    void rfc5424HasVersionIsoTimeHostAppAndProcid() {
        SyslogFormat.Framing f = new SyslogFormat.Framing(SyslogFormat.Style.RFC5424, 30, "vm", "my app", 2048);
        assertThat(frame(f, "hello")).isEqualTo("<30>1 2026-11-05T07:03:09.123000+00:00 vm my_app 4242 - - hello");
    }

    @Test
    void rawIsTheLineAlone() {
        SyslogFormat.Framing f = new SyslogFormat.Framing(SyslogFormat.Style.RAW, 0, null, null, 65536);
        assertThat(frame(f, "just this\n")).isEqualTo("just this");
    }
}
