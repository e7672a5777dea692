package dev.imperium.emperor.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.imperium.emperor.stats.StatsReport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): the emperor's text protocols. The input's first byte picks the reader, the rest is the
 * line (UTF-8): 0 a client control request ({@link ControlCodec#decodeRequest}, what the emperor reads on its control
 * socket), 1 a control reply ({@link ControlCodec#decodeReply}, what {@code imperium status/logs} reads), 2 a
 * vassal's STATS_REPORT payload ({@link StatsReport#parse}, read by the emperor for every vassal).
 *
 * <p>Invariants: decoders throw only {@link ProtocolException}; a decoded request encodes and decodes back to itself;
 * a decoded reply, encoded and decoded again, is stable from the second round on (the first normalises numbers and
 * stats); {@link StatsReport#parse} never throws (junk is null) and its totals are never negative from valid
 * counters.
 */
class ControlProtocolFuzzTest {
    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void line(byte[] input) throws ProtocolException {
        if (input.length == 0) {
            return;
        }
        String line = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        switch ((input[0] & 0xFF) % 3) {
            case 0 -> request(line);
            case 1 -> reply(line);
            default -> stats(line);
        }
    }

    private static void request(String line) throws ProtocolException {
        ControlRequest request;
        try {
            request = ControlCodec.decodeRequest(line);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(ControlCodec.decodeRequest(ControlCodec.encode(request))).isEqualTo(request);
    }

    private static void reply(String line) throws ProtocolException {
        ControlReply reply;
        try {
            reply = ControlCodec.decodeReply(line);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        ControlReply second = ControlCodec.decodeReply(ControlCodec.encode(reply));
        String encoded = ControlCodec.encode(second);
        assertThat(encoded).doesNotContain("\n");
        assertThat(ControlCodec.decodeReply(encoded)).isEqualTo(second);
        assertThat(ControlCodec.pretty(encoded)).isNotBlank();
    }

    private static void stats(String line) {
        StatsReport report = StatsReport.parse(line);
        if (report == null) {
            return;
        }
        assertThat(report.busyWorkers()).isNotNegative();
        assertThat(report.idleWorkers()).isNotNegative();
        assertThat(report.runningWorkers()).isNotNegative();
        report.requests();
        report.totalRssBytes();
    }
}
