package dev.imperium.emperor.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FleetJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode encode(VassalRow... vassals) throws Exception {
        FleetSnapshot s = new FleetSnapshot(1_795_432_479_123L, 4242, 1_795_432_400_000L, "web1",
                "/etc/imperium/vassals", List.of(vassals));
        return JSON.readTree(FleetJson.encode(s));
    }

    @Test
    void encodesTheEmperorAndARunningVassal() throws Exception {
        JsonNode root = encode(new VassalRow("app.ini", "RUNNING", false, 4250L, 2, 1, 0, null, 79_149L, 1, 4, 1200L,
                null));

        assertThat(root.path("time").asLong()).isEqualTo(1_795_432_479_123L);
        assertThat(root.path("emperor").path("pid").asLong()).isEqualTo(4242);
        assertThat(root.path("emperor").path("started").asLong()).isEqualTo(1_795_432_400_000L);
        assertThat(root.path("emperor").path("host").asText()).isEqualTo("web1");
        assertThat(root.path("emperor").path("vassals_dir").asText()).isEqualTo("/etc/imperium/vassals");
        JsonNode v = root.path("vassals").get(0);
        assertThat(v.path("name").asText()).isEqualTo("app.ini");
        assertThat(v.path("state").asText()).isEqualTo("RUNNING");
        assertThat(v.path("pid").asLong()).isEqualTo(4250);
        assertThat(v.path("generation").asInt()).isEqualTo(2);
        assertThat(v.path("restarts").asInt()).isEqualTo(1);
        assertThat(v.path("failures").asInt()).isZero();
        assertThat(v.path("uptime_seconds").asDouble()).isEqualTo(79.1);
        assertThat(v.path("workers_busy").asInt()).isEqualTo(1);
        assertThat(v.path("workers_total").asInt()).isEqualTo(4);
        assertThat(v.path("requests_total").asLong()).isEqualTo(1200);
        assertThat(v.has("backoff_seconds")).isFalse();
        assertThat(v.has("last_error")).isFalse();
        assertThat(v.has("waiting")).isFalse();
    }

    @Test
    void aVassalWaitingForAStartSlotSaysSo() throws Exception {
        JsonNode v = encode(new VassalRow("b.ini", "STARTING", true, null, null, 0, 0, null, null, null, null, null,
                null)).path("vassals").get(0);
        assertThat(v.path("waiting").asBoolean()).isTrue();
        assertThat(v.has("pid")).isFalse();
    }

    @Test
    void leavesOutWhatIsNotKnown() throws Exception {
        JsonNode v = encode(new VassalRow("crash.ini", "BACKOFF", false, null, null, 3, 4, 3_960L, null, null, null,
                null, new VassalRow.Problem("exited with code 3", 1_795_432_470_000L, List.of()))).path("vassals")
                .get(0);

        assertThat(v.has("pid")).isFalse();
        assertThat(v.has("generation")).isFalse();
        assertThat(v.has("uptime_seconds")).isFalse();
        assertThat(v.has("workers_busy")).isFalse();
        assertThat(v.has("workers_total")).isFalse();
        assertThat(v.has("requests_total")).isFalse();
        assertThat(v.path("backoff_seconds").asDouble()).isEqualTo(4.0);
        assertThat(v.path("failures").asInt()).isEqualTo(4);
        assertThat(v.path("last_error").path("message").asText()).isEqualTo("exited with code 3");
        assertThat(v.path("last_error").path("time").asLong()).isEqualTo(1_795_432_470_000L);
        assertThat(v.path("last_error").has("log")).as("no log lines kept").isFalse();
    }

    @Test
    void stringsFromTheFleetStayDataWhateverTheyHold() throws Exception {
        String name = "<img src=x onerror=\"alert('1')\">&\u00e9\u2028\n.ini";
        String line = "Traceback: \"quoted\" \\ back\tslash \u0001 </script>";
        FleetSnapshot s = new FleetSnapshot(1, 2, 0, "h", "/d", List.of(new VassalRow(name, "RUNNING", false, null,
                null, 0, 0, null, null, null, null, null,
                new VassalRow.Problem("fatal error: " + name, 3, List.of(line, "")))));

        byte[] bytes = FleetJson.encode(s);
        String text = new String(bytes, StandardCharsets.UTF_8);

        assertThat(text).doesNotContain("<", ">", "&", "\n", "\u0001");
        JsonNode v = JSON.readTree(bytes).path("vassals").get(0);
        assertThat(v.path("name").asText()).isEqualTo(name);
        assertThat(v.path("last_error").path("message").asText()).isEqualTo("fatal error: " + name);
        assertThat(v.path("last_error").path("log").get(0).asText()).isEqualTo(line);
        assertThat(v.path("last_error").path("log").get(1).asText()).isEmpty();
        assertThat(JSON.readTree(bytes).path("emperor").has("started")).as("unknown start").isFalse();
    }

    @Test
    void anEmptyFleetHasAnEmptyList() throws Exception {
        JsonNode root = encode();
        assertThat(root.path("vassals").isArray()).isTrue();
        assertThat(root.path("vassals")).isEmpty();
    }
}
