package dev.imperium.emperor.client;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The well-known socket path the emperor and imperium agree on without options. */
class ControlSocketPathTest {
    @Test
    void rootUsesRun() {
        assertThat(ControlSocketPath.resolve(null, 0, Map.of("XDG_RUNTIME_DIR", "/run/user/0")))
                .isEqualTo(Path.of("/run/imperium/emperor.sock"));
    }

    @Test
    void aUserUsesTheirRuntimeDirectory() {
        assertThat(ControlSocketPath.resolve(null, 1000, Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .isEqualTo(Path.of("/run/user/1000/imperium/emperor.sock"));
    }

    @Test
    void withoutARuntimeDirectoryAUserUsesAPerUserDirectoryInTmp() {
        assertThat(ControlSocketPath.resolve(null, 1000, Map.of())).isEqualTo(Path.of("/tmp/imperium-1000/emperor.sock"));
        assertThat(ControlSocketPath.resolve(null, 1000, Map.of("XDG_RUNTIME_DIR", "relative")))
                .isEqualTo(Path.of("/tmp/imperium-1000/emperor.sock"));
    }

    @Test
    void anExplicitPathWinsAndIsNotADefault() {
        Path p = ControlSocketPath.resolve(Path.of("/srv/e.sock"), 0, Map.of());
        assertThat(p).isEqualTo(Path.of("/srv/e.sock"));
        assertThat(ControlSocketPath.isDefault(p, 0, Map.of())).isFalse();
        assertThat(ControlSocketPath.isDefault(Path.of("/run/imperium/emperor.sock"), 0, Map.of())).isTrue();
    }
}
