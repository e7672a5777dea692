package dev.imperium.cli;

import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.VassalStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text of imperium status, as an operator reads it. */
class StatusTableTest {
    private static final ControlReply.EmperorInfo EMPEROR = new ControlReply.EmperorInfo(1, "0.1", "/srv/vassals", 10);
    private static final String STATS = "{\"workers\":[{\"id\":1,\"status\":\"busy\"},{\"id\":2,\"status\":\"idle\"}]}";

    @Test
    void oneAlignedRowPerVassal() {
        VassalStatus app = new VassalStatus("app.ini", VassalStatus.State.RUNNING, "RUNNING", 12345, 2, 3723.4, 0, 0,
                -1, null, 0, 1, 2, STATS);
        VassalStatus crash = new VassalStatus("crash.ini", VassalStatus.State.BACKOFF, "BACKOFF", -1, 0, -1, 3, 3,
                47.6, "exited with code 3; last FATAL: boom", 1000 - 125, -1, -1, null);
        VassalStatus held = new VassalStatus("held.ini", VassalStatus.State.STOPPED, "STOPPED", -1, 0, -1, 0, 0, -1,
                null, 0, -1, -1, null);
        String text = StatusTable.render(new ControlReply.Status(EMPEROR, List.of(app, crash, held)), 1000);
        assertThat(text).isEqualTo("""
                VASSAL     STATE      PID  GEN  WORKERS   UPTIME  RESTARTS  LAST ERROR
                app.ini    RUNNING  12345    2      1/2  1:02:03         0  -
                crash.ini  BACKOFF      -    -        -        -         3  exited with code 3; last FATAL: boom \
                (2 min ago); next attempt in 48 s
                held.ini   STOPPED      -    -        -        -         0  -
                """);
    }

    @Test
    void anEmptyDirectoryIsSaidInWords() {
        assertThat(StatusTable.render(new ControlReply.Status(EMPEROR, List.of()), 0))
                .isEqualTo("no vassals in /srv/vassals\n");
    }

    @Test
    void unitsReadLikeSupervisorctlAndTop() {
        assertThat(Units.uptime(5)).isEqualTo("0:00:05");
        assertThat(Units.uptime(90061)).isEqualTo("1d 1:01:01");
        assertThat(Units.uptime(-1)).isEqualTo("-");
        assertThat(Units.age(119)).isEqualTo("119 s");
        assertThat(Units.age(7199)).isEqualTo("119 min");
        assertThat(Units.age(7200)).isEqualTo("2 h");
        assertThat(Units.age(200_000)).isEqualTo("2 d");
        assertThat(Units.bytes(512)).isEqualTo("512");
        assertThat(Units.bytes(11624448)).isEqualTo("11.1M");
        assertThat(Units.micros(850)).isEqualTo("850us");
        assertThat(Units.micros(12_500)).isEqualTo("12ms");
        assertThat(Units.micros(1_500_000)).isEqualTo("1.5s");
    }
}
