package dev.imperium.emperor.pgsql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows become files: a new name a file, a greater ts a new file, a missing name no file. */
class VassalMaterializerTest {
    @TempDir
    Path tmp;

    private static PgsqlRows.Result result(Set<String> alsoListed, PgsqlRows.VassalRow... rows) {
        Map<String, PgsqlRows.VassalRow> map = new LinkedHashMap<>();
        Set<String> listed = new LinkedHashSet<>(alsoListed);
        for (PgsqlRows.VassalRow r : rows) {
            map.put(r.name(), r);
            listed.add(r.name());
        }
        return new PgsqlRows.Result(map, listed, List.of());
    }

    private static PgsqlRows.VassalRow row(String name, String config, long ts, String socket) {
        return new PgsqlRows.VassalRow(name, config, ts, null, null, socket);
    }

    @Test
    void filesFollowTheRowsAsUwsgiDoes() throws Exception {
        Path dir = tmp.resolve("pgsql-1");
        VassalMaterializer m = new VassalMaterializer(dir, false, ".socket");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(m.apply(result(Set.of(), row("app.ini", "[uwsgi]\na=1\n", 1000, null),
                row("od.ini", "[uwsgi]\n", 1000, "127.0.0.1:9000")))).isEmpty();
        assertThat(Files.readString(dir.resolve("app.ini"))).isEqualTo("[uwsgi]\na=1\n");
        assertThat(Files.getLastModifiedTime(dir.resolve("app.ini")).toMillis()).isEqualTo(1_000_000L);
        assertThat(Files.readString(dir.resolve("od.ini.socket"))).isEqualTo("127.0.0.1:9000\n");
        Object inode = Files.readAttributes(dir.resolve("app.ini"), "unix:ino").get("ino");

        m.apply(result(Set.of(), row("app.ini", "[uwsgi]\na=2\n", 1000, null), row("od.ini", "[uwsgi]\n", 999, null)));
        assertThat(Files.readString(dir.resolve("app.ini"))).as("the same ts changes nothing").endsWith("a=1\n");
        assertThat(dir.resolve("od.ini.socket")).as("nor does a smaller one").exists();

        m.apply(result(Set.of(), row("app.ini", "[uwsgi]\na=3\n", 1001, null), row("od.ini", "[uwsgi]\n", 1001, null)));
        assertThat(Files.readString(dir.resolve("app.ini"))).endsWith("a=3\n");
        assertThat(Files.readAttributes(dir.resolve("app.ini"), "unix:ino").get("ino")).isNotEqualTo(inode);
        assertThat(dir.resolve("od.ini.socket")).as("no socket any more").doesNotExist();

        m.apply(result(Set.of("od.ini"), row("app.ini", "[uwsgi]\na=3\n", 1001, null)));
        assertThat(dir.resolve("od.ini")).as("a listed bad row keeps its file").exists();
        m.apply(result(Set.of()));
        assertThat(dir.resolve("app.ini")).doesNotExist();
        assertThat(dir.resolve("od.ini")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").isEmpty();
        }
        m.removeAll();
        assertThat(dir).doesNotExist();
    }
}
