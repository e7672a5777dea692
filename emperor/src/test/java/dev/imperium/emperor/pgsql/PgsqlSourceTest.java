package dev.imperium.emperor.pgsql;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** libpq connection strings as uWSGI's pg:// takes them. */
class PgsqlSourceTest {
    @Test
    void keywordValuePairsWithQuotesAndTheQueryAfterTheFirstSemicolon() {
        PgsqlSource s = PgsqlSource.parse("pg://host=127.0.0.1 port = 5433 dbname=fleet user=emperor "
                + "password='a \\'secret\\'';SELECT name, config, ts FROM v WHERE a = ';'", Map.of());
        assertThat(s.settings()).containsEntry("host", "127.0.0.1").containsEntry("port", "5433")
                .containsEntry("dbname", "fleet").containsEntry("user", "emperor");
        assertThat(s.query()).isEqualTo("SELECT name, config, ts FROM v WHERE a = ';'");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5433/fleet");
        assertThat(s.jdbcProperties(5)).containsEntry("user", "emperor").containsEntry("connectTimeout", "5");
        assertThat(s.describe()).isEqualTo("127.0.0.1:5433 database fleet as emperor").doesNotContain("secret");
        assertThat(s.toString()).doesNotContain("secret");
    }

    @Test
    void quotedValuesKeepSpacesAndEscapes() {
        assertThat(PgsqlSource.parseKeywords("password='a b\\'c' user=x")).containsEntry("password", "a b'c")
                .containsEntry("user", "x");
    }

    @Test
    void uwsgisDefaultQueryAndTheEnvironmentsDefaults() {
        PgsqlSource s = PgsqlSource.parse("pgsql://dbname=fleet", Map.of("PGHOST", "db.example", "PGUSER", "imp",
                "PGPORT", "6000"));
        assertThat(s.query()).isEqualTo(PgsqlSource.DEFAULT_QUERY);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6000/fleet");
        assertThat(s.jdbcProperties(5)).containsEntry("user", "imp");
    }

    @Test
    void aUriAndAUnixSocketDirectory() {
        PgsqlSource uri = PgsqlSource.parse("pg://postgresql://emp:p%40ss@10.0.0.5:5444/fleet?sslmode=require;"
                + "SELECT 1", Map.of());
        assertThat(uri.settings()).containsEntry("user", "emp").containsEntry("password", "p@ss")
                .containsEntry("sslmode", "require");
        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5444/fleet");
        PgsqlSource unix = PgsqlSource.parse("pg://host=/run/pg port=5433 dbname=x", Map.of());
        assertThat(unix.jdbcProperties(5)).containsEntry("socketFactoryArg", "/run/pg/.s.PGSQL.5433");
        assertThat(unix.describe()).startsWith("/run/pg/.s.PGSQL.5433");
    }

    @Test
    void libpqsErrors() {
        assertThatThrownBy(() -> PgsqlSource.parse("pg://hots=x", Map.of()))
                .hasMessageStartingWith("invalid connection option \"hots\"");
        assertThatThrownBy(() -> PgsqlSource.parse("pg://port=abc", Map.of()))
                .hasMessage("invalid port number: \"abc\"");
        assertThatThrownBy(() -> PgsqlSource.parse("pg://password='x", Map.of()))
                .hasMessageContaining("unterminated quoted string");
        assertThatThrownBy(() -> PgsqlSource.parse("pg://dbname=x;  ", Map.of())).hasMessageContaining("empty");
    }
}
