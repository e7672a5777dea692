package dev.imperium.emperor.client;

import dev.imperium.emperor.stats.StatsReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client control protocol: requests and replies survive a round trip, and bad input is refused clearly. */
class ControlCodecTest {
    private static final String STATS = "{\"version\":\"Imperium\",\"listen_queue\":0,\"workers\":[{\"id\":1,"
            + "\"pid\":30326,\"requests\":1154,\"status\":\"busy\",\"rss\":11624448,\"avg_rt\":11},{\"id\":2,"
            + "\"pid\":30327,\"requests\":10,\"status\":\"idle\",\"rss\":100}],\"imperium\":{\"generation\":3}}";

    @Test
    void everyRequestSurvivesARoundTrip() throws Exception {
        for (ControlRequest r : List.of(ControlRequest.status(), ControlRequest.status("a.ini"),
                ControlRequest.reload("a.ini", true), ControlRequest.reloadAll(false), ControlRequest.stop("a.ini", true),
                ControlRequest.start("a.ini", false), ControlRequest.logs("a.ini", 100, true),
                ControlRequest.logs("a.ini", -1, false))) {
            String line = ControlCodec.encode(r);
            assertThat(line).doesNotContain("\n").startsWith("{\"v\":1,\"op\":\"" + r.op().wireName() + "\"");
            assertThat(ControlCodec.decodeRequest(line)).isEqualTo(r);
        }
    }

    @Test
    void theWireFormIsTheDocumentedOne() {
        assertThat(ControlCodec.encode(ControlRequest.reload("app.ini", true)))
                .isEqualTo("{\"v\":1,\"op\":\"reload\",\"vassal\":\"app.ini\",\"wait\":true}");
        assertThat(ControlCodec.encode(ControlRequest.reloadAll(true)))
                .isEqualTo("{\"v\":1,\"op\":\"reload\",\"all\":true,\"wait\":true}");
        assertThat(ControlCodec.encode(ControlRequest.logs("app.ini", 100, false)))
                .isEqualTo("{\"v\":1,\"op\":\"logs\",\"vassal\":\"app.ini\",\"lines\":100,\"follow\":false}");
        assertThat(ControlCodec.encode(new ControlReply.Failure("not_found", "no vassal x.ini in /d")))
                .isEqualTo("{\"type\":\"error\",\"ok\":false,\"reason\":\"not_found\",\"error\":\"no vassal x.ini in /d\"}");
    }

    @Test
    void badRequestsAreRefusedWithAReason() throws Exception {
        assertThatThrownBy(() -> ControlCodec.decodeRequest("status")).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("[1]")).hasMessage("a message must be a JSON object");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("{\"v\":1}")).hasMessage("missing string field 'op'");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("{\"op\":\"explode\"}"))
                .hasMessage("unknown operation 'explode'");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("{\"op\":\"stop\"}"))
                .hasMessage("stop needs one vassal name");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("{\"op\":\"reload\"}"))
                .hasMessage("reload needs a vassal name or 'all', not both");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("{\"op\":\"stop\",\"vassal\":\"../etc/passwd\"}"))
                .hasMessageContaining("without '..'");
        assertThat(ControlCodec.decodeRequest("{\"op\":\"stop\",\"vassal\":\"/srv/a/vassal.ini\"}").vassal())
                .as("a glob's vassal is named by its path").isEqualTo("/srv/a/vassal.ini");
        assertThatThrownBy(() -> ControlCodec.decodeRequest("{\"v\":2,\"op\":\"status\"}"))
                .hasMessageContaining("protocol version 2 is newer");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertThat(ControlCodec.decodeRequest("{\"v\":1,\"op\":\"status\",\"colour\":\"blue\"}"))
                .isEqualTo(ControlRequest.status());
    }

    @Test
    void aStatusReplyCarriesEveryFieldAndTheStatsDocument() throws Exception {
        VassalStatus running = new VassalStatus("app.ini", VassalStatus.State.RUNNING, "RUNNING", 42, 3, 12.34567, 1,
                0, -1, "exited with code 3", 1795432479, 1, 2, STATS);
        VassalStatus stopped = new VassalStatus("b.ini", VassalStatus.State.STOPPED, "STOPPED", -1, 0, -1, 0, 0, -1,
                null, 0, -1, -1, null);
        ControlReply.Status status = new ControlReply.Status(new ControlReply.EmperorInfo(7, "0.1.0", "/srv/v", 99.5),
                List.of(running, stopped));
        String line = ControlCodec.encode(status);
        assertThat(line).contains("\"state\":\"running\"", "\"pid\":42", "\"uptime\":12.346", "\"backoff\":null",
                "\"workers_busy\":1", "\"stats\":{\"version\":\"Imperium\"", "\"last_error_at\":1795432479")
                .contains("{\"name\":\"b.ini\",\"state\":\"stopped\",\"detail\":\"STOPPED\",\"pid\":null");
        ControlReply.Status back = (ControlReply.Status) ControlCodec.decodeReply(line);
        assertThat(back.emperor()).isEqualTo(status.emperor());
        assertThat(back.vassals().get(1)).isEqualTo(stopped);
        VassalStatus r = back.vassals().getFirst();
        assertThat(r.uptimeSeconds()).isEqualTo(12.346);
        assertThat(StatsReport.parse(r.statsJson())).isEqualTo(StatsReport.parse(STATS));
    }

    @Test
    void aStatsReportThatIsNotJsonIsSentAsNull() throws Exception {
        VassalStatus v = new VassalStatus("a.ini", VassalStatus.State.RUNNING, "RUNNING", 1, 1, 1, 0, 0, -1, null, 0,
                -1, -1, "{broken");
        String line = ControlCodec.encode(new ControlReply.Status(new ControlReply.EmperorInfo(1, "v", "/d", 0),
                List.of(v)));
        assertThat(line).contains("\"stats\":null");
        assertThat(((ControlReply.Status) ControlCodec.decodeReply(line)).vassals().getFirst().statsJson()).isNull();
    }

    @Test
    void everyOtherReplySurvivesARoundTrip() throws Exception {
        for (ControlReply r : List.of(
                new ControlReply.Results(List.of(new ControlReply.CommandResult("a.ini", true, "stopped"),
                        new ControlReply.CommandResult("b.ini", false, "reload refused: x"))),
                new ControlReply.Failure("permission", "permission denied"),
                new ControlReply.LogsStart("a.ini", 12),
                new ControlReply.LogLine(5, true, "line with \"quotes\", a tab\t and \u00e9"),
                new ControlReply.LogsSkipped(3), new ControlReply.LogsEnd(), new ControlReply.Ping())) {
            String line = ControlCodec.encode(r);
            assertThat(line).doesNotContain("\n");
            assertThat(ControlCodec.decodeReply(line)).isEqualTo(r);
        }
        assertThat(ControlCodec.encode(new ControlReply.Results(List.of(
                new ControlReply.CommandResult("a.ini", false, "x"))))).contains("\"ok\":false");
    }

    @Test
    void aLogLineWithANewlineStaysOneWireLine() throws Exception {
        String line = ControlCodec.encode(new ControlReply.LogLine(1, false, "a\nb"));
        assertThat(line).doesNotContain("\n");
        assertThat(((ControlReply.LogLine) ControlCodec.decodeReply(line)).text()).isEqualTo("a\nb");
    }

    @Test
    void unknownRepliesAreRefused() {
        assertThatThrownBy(() -> ControlCodec.decodeReply("{\"type\":\"fireworks\"}"))
                .hasMessage("unknown reply type 'fireworks'");
        assertThatThrownBy(() -> ControlCodec.decodeReply("{\"ok\":true}")).hasMessage("missing string field 'type'");
    }

    @Test
    void prettyPrintsAReplyForPeople() throws Exception {
        assertThat(ControlCodec.pretty("{\"type\":\"end\"}")).isEqualTo("{\n  \"type\" : \"end\"\n}");
    }
}
