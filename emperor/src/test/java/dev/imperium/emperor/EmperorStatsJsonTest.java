package dev.imperium.emperor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emperor stats document against uWSGI 2.0's, field by field: {@code uwsgi-emperor-stats-sample.json} is the
 * real {@code --emperor-stats} output recorded in uwsgi-measured.md §7 (a loyal vassal and a blacklisted one; the
 * vassal directory path replaced).
 */
class EmperorStatsJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode uwsgi() throws IOException {
        try (InputStream in = EmperorStatsJsonTest.class.getResourceAsStream("uwsgi-emperor-stats-sample.json")) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode ours() throws IOException {
        return JSON.readTree(EmperorStatsJson.render(Snapshots.emperor(Snapshots.running("app.ini", null),
                Snapshots.failing("crash.ini")), false));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every field of {@code expected} is in {@code actual}, in the same order, with the same JSON type. */
    private static void sameFields(JsonNode actual, JsonNode expected, String where) {
        List<String> want = names(expected);
        assertThat(names(actual)).as(where + " field order").startsWith(want.toArray(String[]::new));
        for (String name : want) {
            assertThat(actual.get(name).getNodeType()).as(where + "." + name + " type")
                    .isEqualTo(expected.get(name).getNodeType());
            if (expected.get(name).isNumber()) {
                assertThat(actual.get(name).isIntegralNumber()).as(where + "." + name + " integral")
                        .isEqualTo(expected.get(name).isIntegralNumber());
            }
        }
    }

    @Test
    void uwsgiFieldsComeInUwsgiOrderWithUwsgiTypesAndImperiumAddsOnlyOneObjectPerLevel() throws IOException {
        JsonNode uwsgi = uwsgi();
        JsonNode ours = ours();

        sameFields(ours, uwsgi, "top");
        assertThat(names(ours)).hasSize(names(uwsgi).size() + 1).endsWith("imperium");
        for (int i = 0; i < 2; i++) {
            sameFields(ours.get("vassals").get(i), uwsgi.get("vassals").get(i), "vassals[" + i + "]");
            assertThat(names(ours.get("vassals").get(i))).hasSize(names(uwsgi.get("vassals").get(i)).size() + 1)
                    .endsWith("imperium");
        }
        assertThat(ours.get("blacklist")).hasSize(1);
        sameFields(ours.get("blacklist").get(0), uwsgi.get("blacklist").get(0), "blacklist[0]");
        assertThat(names(ours.get("blacklist").get(0))).hasSameSizeAs(names(uwsgi.get("blacklist").get(0)));
    }

    @Test
    void valuesSayWhatUwsgiWouldSay() throws IOException {
        JsonNode ours = ours();
        JsonNode app = ours.get("vassals").get(0);
        JsonNode crash = ours.get("vassals").get(1);

        assertThat(ours.get("emperor").get(0).asText()).isEqualTo("/srv/vassals");
        assertThat(ours.get("pid").asLong()).isEqualTo(29827);
        assertThat(app.get("id").asText()).isEqualTo("app.ini");
        assertThat(app.get("pid").asLong()).isEqualTo(30321);
        assertThat(app.get("loyal").asInt()).isEqualTo(1);
        assertThat(app.get("accepting").asInt()).isEqualTo(1);
        assertThat(app.get("respawns").asInt()).as("reloads sent").isEqualTo(1);
        assertThat(app.get("monitor").asText()).isEqualTo("/srv/vassals");
        assertThat(crash.get("pid").asLong()).as("no process").isEqualTo(-1);
        assertThat(crash.get("accepting").asInt()).isZero();
        JsonNode black = ours.get("blacklist").get(0);
        assertThat(black.get("id").asText()).isEqualTo("crash.ini");
        assertThat(black.get("throttle_level").asLong()).as("the backoff in ms").isEqualTo(4000);
        assertThat(black.get("attempt").asInt()).isEqualTo(3);
        assertThat(black.get("first_attempt").asLong()).isEqualTo(1795432391);
        assertThat(black.get("last_attempt").asLong()).isEqualTo(1795432437);
    }

    @Test
    void imperiumObjectsCarryTheSupervisionState() throws IOException {
        JsonNode ours = ours();
        JsonNode app = ours.get("vassals").get(0).get("imperium");
        JsonNode crash = ours.get("vassals").get(1).get("imperium");

        assertThat(app.get("config").asText()).isEqualTo("/srv/vassals/app.ini");
        assertThat(app.get("status").asText()).isEqualTo("running");
        assertThat(app.get("state").asText()).isEqualTo("running");
        assertThat(app.get("up").asInt()).isEqualTo(1);
        assertThat(app.get("generation").asInt()).isEqualTo(2);
        assertThat(app.get("spawns").asInt()).isEqualTo(3);
        assertThat(app.get("restarts").asInt()).isEqualTo(2);
        assertThat(app.get("restarts_by_reason").get("signal").asInt()).isEqualTo(1);
        assertThat(app.get("restarts_by_reason").get("start_timeout").asInt()).isZero();
        assertThat(app.get("started_at").asLong()).isEqualTo(1795432500);
        assertThat(app.get("last_report").asLong()).isZero();
        assertThat(app.get("last_error").asText()).isEqualTo("was killed by signal 9 (SIGKILL)");
        assertThat(crash.get("status").asText()).isEqualTo("backoff");
        assertThat(crash.get("up").asInt()).isZero();
        assertThat(crash.get("failures").asInt()).isEqualTo(3);
        assertThat(crash.get("backoff_delay").asDouble()).isEqualTo(4.0);
        assertThat(crash.get("backoff_remaining").asDouble()).isEqualTo(2.5);
        assertThat(crash.get("last_error").asText()).contains("cannot load app: boom");
        assertThat(ours.get("imperium").get("start_concurrency").asInt()).isEqualTo(2);
        assertThat(ours.get("imperium").get("vassals").asInt()).isEqualTo(2);
    }

    @Test
    void prettyIsTabIndentedLikeUwsgiAndMinifiedHasNoLayout() {
        EmperorSnapshot s = Snapshots.emperor(Snapshots.running("app.ini", null));
        String pretty = new String(EmperorStatsJson.render(s, false), StandardCharsets.UTF_8);
        String minified = new String(EmperorStatsJson.render(s, true), StandardCharsets.UTF_8);

        assertThat(pretty).startsWith("{\n\t\"version\":\"0.1.0-SNAPSHOT\",\n\t\"pid\":29827,\n")
                .contains("\n\t\"vassals\":[\n\t\t{\n\t\t\t\"id\":\"app.ini\",\n")
                .doesNotContain(" :").doesNotContain(": ").endsWith("\n}");
        assertThat(minified).startsWith("{\"version\":\"0.1.0-SNAPSHOT\",\"pid\":29827,").doesNotContain("\n")
                .doesNotContain("\t");
    }

    @Test
    void namesAreEscaped() throws IOException {
        EmperorSnapshot s = Snapshots.emperor(Snapshots.running("we\"ird\\.ini", null));

        JsonNode ours = JSON.readTree(EmperorStatsJson.render(s, false));

        assertThat(ours.get("vassals").get(0).get("id").asText()).isEqualTo("we\"ird\\.ini");
    }
}
