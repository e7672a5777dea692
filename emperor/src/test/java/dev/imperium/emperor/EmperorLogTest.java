package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmperorLogTest {
    private static Clock at(int year, int month, int day, int h, int m, int s) {
        ZoneId zone = ZoneId.of("Europe/Paris");
        return Clock.fixed(LocalDateTime.of(year, month, day, h, m, s).atZone(zone).toInstant(), zone);
    }

    private static List<String> capture(Clock clock, java.util.function.Consumer<EmperorLog> write) {
        List<String> lines = new ArrayList<>();
        LineSink sink = new LineSink() {
            @Override
            public void out(byte[] line) {
                lines.add(new String(line, StandardCharsets.UTF_8));
            }

            @Override
            public void err(byte[] line) {
                lines.add("ERR " + new String(line, StandardCharsets.UTF_8));
            }
        };
        write.accept(new EmperorLog(sink, clock));
        return lines;
    }

    @Test
    void emperorLinesCarryTheCtimeStampLikeUwsgiLogVerbose() {
        List<String> lines = capture(at(2026, 11, 23, 11, 14, 53), log -> {
            log.emperor("vassal app.ini has been spawned");
            log.stamped("The Emperor is buried.");
            log.line("*** starting Imperium Emperor ***");
        });
        assertThat(lines).containsExactly(
                "Mon Nov 23 11:14:53 2026 - [emperor] vassal app.ini has been spawned",
                "Mon Nov 23 11:14:53 2026 - The Emperor is buried.",
                "*** starting Imperium Emperor ***");
    }

    @Test
    void singleDigitDaysArePaddedWithASpaceAsCtimeDoes() {
        assertThat(EmperorLog.timestamp(at(2026, 11, 3, 9, 5, 7))).isEqualTo("Tue Nov  3 09:05:07 2026 - ");
    }
}
