package dev.imperium.emperor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmperorLogFormatTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T07:58:51.123Z"), ZoneOffset.ofHours(1));

    /** Keeps lines with their stream. */
    private static final class Lines implements LineSink {
        final List<String> out = new ArrayList<>();
        final List<String> err = new ArrayList<>();

        @Override
        public void out(byte[] line) {
            out.add(new String(line, StandardCharsets.UTF_8));
        }

        @Override
        public void err(byte[] line) {
            err.add(new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void textTagsEveryVassalLineWithItsName() {
        Lines lines = new Lines();
        LineSink sink = EmperorLogFormat.TEXT.wrap(lines, CLOCK);
        sink.vassal("app.ini", 42, true, "spawned uWSGI worker 1".getBytes(StandardCharsets.UTF_8));
        sink.vassal("api.yaml", 43, false, "hello".getBytes(StandardCharsets.UTF_8));
        new EmperorLog(sink, CLOCK).emperor("vassal app.ini has been spawned");
        assertThat(lines.err).containsExactly("[app.ini] spawned uWSGI worker 1");
        assertThat(lines.out).containsExactly("[api.yaml] hello",
                "Wed Nov 25 08:58:51 2026 - [emperor] vassal app.ini has been spawned");
    }

    @Test
    void plainIsUwsgisUntaggedCopy() {
        Lines lines = new Lines();
        EmperorLogFormat.PLAIN.wrap(lines, CLOCK).vassal("app.ini", 42, true, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(lines.err).containsExactly("x");
    }

    @Test
    void jsonIsOneObjectPerLineWithTimeSourceVassalPidStreamAndMessage() throws Exception {
        Lines lines = new Lines();
        LineSink sink = EmperorLogFormat.JSON.wrap(lines, CLOCK);
        sink.vassal("app.ini", 4242, true, "a \"quoted\" \\ tab\t and \u0001 é".getBytes(StandardCharsets.UTF_8));
        new EmperorLog(sink, CLOCK).emperor("vassal app.ini has been spawned");
        ObjectMapper json = new ObjectMapper();

        JsonNode vassal = json.readTree(lines.err.getFirst());
        assertThat(vassal.get("source").asText()).isEqualTo("vassal");
        assertThat(vassal.get("vassal").asText()).isEqualTo("app.ini");
        assertThat(vassal.get("pid").asLong()).isEqualTo(4242);
        assertThat(vassal.get("stream").asText()).isEqualTo("stderr");
        assertThat(vassal.get("message").asText()).isEqualTo("a \"quoted\" \\ tab\t and \u0001 é");
        assertThat(OffsetDateTime.parse(vassal.get("time").asText()).toInstant()).isEqualTo(CLOCK.instant());
        assertThat(vassal.get("time").asText()).isEqualTo("2026-11-25T08:58:51.123+01:00");

        JsonNode emperor = json.readTree(lines.out.getFirst());
        assertThat(emperor.get("source").asText()).isEqualTo("emperor");
        assertThat(emperor.has("vassal")).isFalse();
        assertThat(emperor.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(emperor.get("message").asText()).as("no ctime stamp: time has it")
                .isEqualTo("[emperor] vassal app.ini has been spawned");
    }

    @Test
    void parsesTheOption() {
        assertThat(EmperorLogFormat.parse("JSON")).isEqualTo(EmperorLogFormat.JSON);
        assertThat(EmperorLogFormat.parse("plain")).isEqualTo(EmperorLogFormat.PLAIN);
        assertThatThrownBy(() -> EmperorLogFormat.parse("xml")).hasMessageContaining("text, plain or json");
    }
}
