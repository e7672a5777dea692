package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.Postgres;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The emperor's PostgreSQL monitor ({@code --emperor 'pg://CONNINFO;QUERY'}, uWSGI's emperor_pg) against a real
 * Debian PostgreSQL server the test runs itself: rows inserted start vassals, a greater {@code ts} reloads one, a
 * deleted row stops its vassal, a bad row and a database that goes down are reported while the other vassals keep
 * serving.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PgsqlMonitorIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private Postgres pg;
    private EmperorFixture emperor;

    @AfterEach
    void stop() {
        try {
            if (emperor != null) {
                emperor.close();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** A JWSGI hello vassal on {@code port}, as SQL text (a literal). */
    private static String helloIni(int port, String extra) {
        String ini = Dist.helloVassal(port, extra);
        return "'" + ini.replace("'", "''") + "'";
    }

    private static String get(int port) {
        return RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                Duration.ofSeconds(10)).bodyText();
    }

    @Test
    void rowsAreVassalsInsertedUpdatedAndDeletedWhileTheOthersServe() {
        assumeTrue(Postgres.installed(), "Debian's postgresql is not installed");
        pg = Postgres.start();
        pg.sql("postgres", "CREATE DATABASE imperium");
        pg.sql("imperium", "CREATE TABLE vassals (name text PRIMARY KEY, config text, ts timestamptz NOT NULL "
                + "DEFAULT now())");
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        pg.sql("imperium", "INSERT INTO vassals (name, config) VALUES ('a.ini', " + helloIni(portA, "") + "), "
                + "('b.ini', " + helloIni(portB, "") + ")");

        emperor = EmperorFixture.startWatching(root, "pg://" + pg.conninfo("imperium")
                + ";SELECT name, config, EXTRACT(epoch FROM ts) FROM vassals ORDER BY name", "--emperor-freq", "1",
                "--reload-mercy", "10");
        emperor.awaitLog("\\[emperor\\] enabled emperor PostgreSQL monitor: 127\\.0\\.0\\.1:" + pg.port()
                + " database imperium as postgres", Duration.ofSeconds(20));
        emperor.awaitGeneration("a.ini", 1, START);
        emperor.awaitGeneration("b.ini", 1, START);
        assertThat(get(portA)).isEqualTo("Hello from JWSGI\n");
        assertThat(get(portB)).isEqualTo("Hello from JWSGI\n");

        // A greater ts reloads the vassal with the row's new config.
        pg.sql("imperium", "UPDATE vassals SET config = " + helloIni(portA, "env = ROW_VERSION=2")
                + ", ts = now() + interval '2 seconds' WHERE name = 'a.ini'");
        emperor.awaitLog("\\[emperor\\] reload the uwsgi instance a\\.ini", Duration.ofSeconds(20));
        emperor.awaitGeneration("a.ini", 2, START);
        assertThat(get(portA)).isEqualTo("Hello from JWSGI\n");

        // A bad row is reported (once); the other vassals go on.
        pg.sql("imperium", "INSERT INTO vassals (name, config) VALUES ('bad.ini', NULL), ('notes.txt', 'x')");
        emperor.awaitLog("\\[emperor-pg\\] vassal bad\\.ini has no config \\(NULL\\)", Duration.ofSeconds(20));
        emperor.awaitLog("\\[emperor-pg\\] 'notes\\.txt' is not a vassal file name", Duration.ofSeconds(20));

        // A deleted row stops its vassal.
        pg.sql("imperium", "DELETE FROM vassals WHERE name = 'b.ini'");
        emperor.awaitLog("removed uwsgi instance b\\.ini", Duration.ofSeconds(30));
        assertThat(get(portA)).isEqualTo("Hello from JWSGI\n");

        // The database goes down: reported once, the vassals keep serving.
        pg.stop();
        emperor.awaitLog("\\[emperor-pg\\] cannot read the vassals from 127\\.0\\.0\\.1:" + pg.port()
                + " database imperium as postgres: .*; its vassals keep running as they are", Duration.ofSeconds(20));
        assertThat(get(portA)).isEqualTo("Hello from JWSGI\n");
        assertThat(emperor.log()).doesNotContain("stop the uwsgi instance a.ini");
        assertThat(emperor.log().split("bad\\.ini has no config", -1)).as("a bad row is reported once").hasSize(2);
    }

    @Test
    void aRowWithASocketIsAnOnDemandVassal() {
        assumeTrue(Postgres.installed(), "Debian's postgresql is not installed");
        pg = Postgres.start();
        pg.sql("postgres", "CREATE DATABASE imperium");
        pg.sql("imperium", "CREATE TABLE vassals (name text PRIMARY KEY, config text, ts timestamptz NOT NULL "
                + "DEFAULT now(), socket text)");
        int port = FreePorts.next();
        pg.sql("imperium", "INSERT INTO vassals (name, config, socket) VALUES ('lazy.ini', " + helloIni(port, "")
                + ", '127.0.0.1:" + port + "')");

        emperor = EmperorFixture.startWatching(root, "pg://" + pg.conninfo("imperium")
                + ";SELECT name, config, EXTRACT(epoch FROM ts), NULL, NULL, socket FROM vassals", "--emperor-freq",
                "1", "--emperor-on-demand-extension", ".socket");
        // uWSGI's line: the emperor holds the socket and starts nothing yet
        emperor.awaitLog("lazy\\.ini -> \"on demand\" instance detected, waiting for connections on socket "
                + "\"127\\.0\\.0\\.1:" + port + "\"", START);
        assertThat(emperor.log()).doesNotContain("spawning vassal lazy.ini");

        // the first connection starts the vassal and is its first request
        assertThat(get(port)).isEqualTo("Hello from JWSGI\n");
        emperor.awaitGeneration("lazy.ini", 1, START);
    }
}
