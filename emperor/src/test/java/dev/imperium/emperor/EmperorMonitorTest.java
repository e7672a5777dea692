package dev.imperium.emperor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What --emperor SPEC names: uWSGI's emperor_build_scanners rules. */
class EmperorMonitorTest {
    @TempDir
    Path cwd;

    @Test
    void aDirectoryWithOrWithoutScheme() {
        assertThat(EmperorMonitor.parse("/etc/vassals", cwd)).isEqualTo(new EmperorMonitor(Path.of("/etc/vassals"),
                null));
        assertThat(EmperorMonitor.parse("dir:///etc/vassals", cwd)).isEqualTo(new EmperorMonitor(
                Path.of("/etc/vassals"), null));
        assertThat(EmperorMonitor.parse("missing", cwd)).as("a missing directory fails at start, as before")
                .isEqualTo(new EmperorMonitor(Path.of("missing"), null));
    }

    @Test
    void aWildcardOrTheGlobSchemeIsAGlobRelativeToTheWorkingDirectory() {
        assertThat(EmperorMonitor.parse("/srv/*/vassal.ini", cwd)).isEqualTo(new EmperorMonitor(cwd,
                "/srv/*/vassal.ini"));
        assertThat(EmperorMonitor.parse("glob:///srv/app/vassal.ini", cwd)).isEqualTo(new EmperorMonitor(cwd,
                "/srv/app/vassal.ini"));
        assertThat(EmperorMonitor.parse("apps/?.ini", cwd)).isEqualTo(new EmperorMonitor(cwd, "apps/?.ini"));
    }

    @Test
    void anExistingFileIsAGlobOfOneVassal() throws Exception {
        Files.writeString(cwd.resolve("app.ini"), "[uwsgi]\n");
        assertThat(EmperorMonitor.parse("app.ini", cwd)).isEqualTo(new EmperorMonitor(cwd, "app.ini"));
    }

    @Test
    void postgresqlIsUwsgisPgMonitor() {
        EmperorMonitor pg = EmperorMonitor.parse("pg://host=127.0.0.1 port=5433;SELECT 1", cwd, java.util.Map.of());
        assertThat(pg.pgsql().settings()).containsEntry("host", "127.0.0.1").containsEntry("port", "5433");
        assertThat(pg.pgsql().query()).isEqualTo("SELECT 1");
        assertThat(pg.dir()).as("its vassals' monitor directory").isEqualTo(cwd);
        EmperorMonitor pgsql = EmperorMonitor.parse("pgsql://dbname=fleet", cwd, java.util.Map.of());
        assertThat(pgsql.pgsql().query()).isEqualTo("SELECT name,config,EXTRACT(epoch FROM ts) FROM vassals");
        assertThatThrownBy(() -> EmperorMonitor.parse("pg://host;SELECT 1", cwd, java.util.Map.of()))
                .hasMessageContaining("missing \"=\" after \"host\"").hasMessageNotContaining("SELECT");
    }

    @Test
    void otherMonitorsAreRefusedByName() {
        assertThatThrownBy(() -> EmperorMonitor.parse("amqp://guest@localhost", cwd))
                .hasMessageContaining("no imperial monitor 'amqp://'");
        assertThatThrownBy(() -> EmperorMonitor.parse("zmq://tcp://127.0.0.1:5252", cwd))
                .hasMessageContaining("'zmq://'");
        assertThatThrownBy(() -> EmperorMonitor.parse("/srv/*/", cwd)).isInstanceOf(IllegalArgumentException.class);
    }
}
