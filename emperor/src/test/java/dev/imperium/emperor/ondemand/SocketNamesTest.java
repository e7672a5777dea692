package dev.imperium.emperor.ondemand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketNamesTest {
    @TempDir
    Path dir;

    @Test
    void theFirstLineEndsAtTheFirstControlCharacter() {
        assertThat(SocketNames.firstLine("127.0.0.1:9000\nrest".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("127.0.0.1:9000");
        assertThat(SocketNames.firstLine("/run/a.sock\r\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("/run/a.sock");
        assertThat(SocketNames.firstLine("\nx".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(SocketNames.firstLine(new byte[0])).isNull();
    }

    @Test
    void theExtensionFileNamesTheSocketAndWithoutItTheVassalIsOrdinary() throws Exception {
        OnDemandSettings ext = new OnDemandSettings(".socket", null, null);
        Files.writeString(dir.resolve("app.ini.socket"), ":9000\n");
        assertThat(SocketNames.find(ext, dir, "app.ini")).isEqualTo(":9000");
        assertThat(SocketNames.find(ext, dir, "other.ini")).isNull();
        Files.writeString(dir.resolve("empty.ini.socket"), "\n");
        assertThat(SocketNames.find(ext, dir, "empty.ini")).isNull();
    }

    @Test
    void theDirectoryGivesNameWithoutExtensionDotSocket() throws Exception {
        OnDemandSettings d = new OnDemandSettings(null, Path.of("/run/od"), null);
        assertThat(SocketNames.find(d, dir, "app.ini")).isEqualTo("/run/od/app.socket");
        assertThat(SocketNames.find(d, dir, "/srv/x/my.app.yaml")).isEqualTo("/run/od/my.app.socket");
        assertThat(SocketNames.find(d, dir, "noextension")).isNull();
    }

    @Test
    void theCommandGetsTheVassalFileAndPrintsTheSocket() throws Exception {
        OnDemandSettings exec = new OnDemandSettings(null, null, "echo /run/od/");
        assertThat(SocketNames.find(exec, dir, "app.ini")).isEqualTo("/run/od/ app.ini");
        assertThat(SocketNames.find(new OnDemandSettings(null, null, "true"), dir, "app.ini")).isNull();
        assertThatThrownBy(() -> SocketNames.find(new OnDemandSettings(null, null, "exit 3;"), dir, "app.ini"))
                .hasMessageContaining("exited with code 3");
    }

    @Test
    void onlyOneSourceAtATime() {
        assertThatThrownBy(() -> new OnDemandSettings(".s", Path.of("/x"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OnDemandSettings.NONE.enabled()).isFalse();
    }
}
