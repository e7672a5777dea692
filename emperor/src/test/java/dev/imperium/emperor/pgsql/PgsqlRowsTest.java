package dev.imperium.emperor.pgsql;

import dev.imperium.emperor.VassalFiles;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows as uWSGI's emperor_pg reads them. */
class PgsqlRowsTest {
    private static PgsqlRows.Result read(boolean tyrant, String[]... rows) {
        return PgsqlRows.read(List.of(rows), tyrant, n -> n.indexOf('/') < 0 && VassalFiles.isVassalName(n));
    }

    @Test
    void nameConfigAndAnEpochWhoseDecimalsAreCut() {
        PgsqlRows.Result r = read(false, new String[] {"app.ini", "[uwsgi]\n", "1700000000.987654"},
                new String[] {"api.yaml", "uwsgi: {}\n", "1700000001", "1000", "1000", "/run/api.sock"});
        assertThat(r.problems()).isEmpty();
        assertThat(r.rows().get("app.ini")).isEqualTo(new PgsqlRows.VassalRow("app.ini", "[uwsgi]\n", 1700000000L,
                null, null, null));
        assertThat(r.rows().get("api.yaml").uid()).as("uid and gid count in tyrant mode only").isNull();
        assertThat(r.rows().get("api.yaml").socket()).isEqualTo("/run/api.sock");
    }

    @Test
    void badRowsAreProblemsButTheirNamesStayListed() {
        PgsqlRows.Result r = read(false, new String[] {"app.ini", null, "1"}, new String[] {"b.ini", "x", "soon"},
                new String[] {"../etc.ini", "x", "1"}, new String[] {"c.skel", "x", "1"},
                new String[] {"d.ini", "x", "1"}, new String[] {"d.ini", "y", "2"}, new String[] {null, "x", "1"});
        assertThat(r.rows().keySet()).containsExactly("d.ini");
        assertThat(r.rows().get("d.ini").config()).isEqualTo("x");
        assertThat(r.listed()).containsExactly("app.ini", "b.ini", "d.ini");
        assertThat(r.problems()).containsExactly(
                "vassal app.ini has no config (NULL)",
                "vassal b.ini has no usable ts ('soon'): an epoch in seconds is needed, e.g. EXTRACT(epoch FROM"
                        + " ts)",
                "'../etc.ini' is not a vassal file name (it must end in .ini, .yaml, .yml, .json, .js, .xml or"
                        + " an emperor-extra-extension, have no '/' and not start with '.')",
                "'c.skel' is not a vassal file name (it must end in .ini, .yaml, .yml, .json, .js, .xml or an "
                        + "emperor-extra-extension, have no '/' and not start with '.')",
                "vassal d.ini is listed twice: the first row counts",
                "row 7 has no vassal name");
    }

    @Test
    void tyrantModeNeedsUidAndGid() {
        PgsqlRows.Result r = read(true, new String[] {"a.ini", "x", "1"}, new String[] {"b.ini", "x", "1", "1000",
            "100"}, new String[] {"c.ini", "x", "1", "alice", "100"});
        assertThat(r.rows().keySet()).containsExactly("b.ini");
        assertThat(r.rows().get("b.ini").uid()).isEqualTo(1000);
        assertThat(r.rows().get("b.ini").gid()).isEqualTo(100);
        assertThat(r.problems()).containsExactly("missing uid and gid for vassal a.ini",
                "vassal c.ini has no usable uid and gid ('alice', '100')");
    }

    @Test
    void epochSeconds() {
        assertThat(PgsqlRows.epochSeconds("1700000000.5")).isEqualTo(1700000000L);
        assertThat(PgsqlRows.epochSeconds(" 42 ")).isEqualTo(42L);
        assertThat(PgsqlRows.epochSeconds("1e9")).isNull();
        assertThat(PgsqlRows.epochSeconds("")).isNull();
        assertThat(PgsqlRows.epochSeconds("12.x")).isNull();
    }
}
