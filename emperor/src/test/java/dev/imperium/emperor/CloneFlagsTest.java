package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** emperor-use-clone: uWSGI's flag names mapped onto unshare(1), and the ones that cannot be honoured. */
class CloneFlagsTest {
    @Test
    void namespacesMapToUnshareOptions() {
        CloneFlags flags = CloneFlags.parse("net, ipc,uts,fs,user");
        assertThat(flags.enabled()).isTrue();
        assertThat(flags.unshareOptions()).containsExactly("--net", "--ipc", "--uts", "--mount", "--propagation",
                "unchanged", "--user", "--map-root-user");
        assertThat(flags.wrap("/usr/bin/unshare", List.of("/opt/imperium/bin/vassal", "app.ini")))
                .containsExactly("/usr/bin/unshare", "--net", "--ipc", "--uts", "--mount", "--propagation",
                        "unchanged", "--user", "--map-root-user", "--", "/opt/imperium/bin/vassal", "app.ini");
    }

    @Test
    void theMountSynonymsGiveOneMountNamespace() {
        assertThat(CloneFlags.parse("ns,mnt,mount").unshareOptions()).containsExactly("--mount", "--propagation",
                "unchanged");
    }

    @Test
    void nothingGivenIsNone() {
        assertThat(CloneFlags.parse(" , ").enabled()).isFalse();
        assertThat(CloneFlags.NONE.enabled()).isFalse();
    }

    @Test
    void unknownNamesAreUwsgisError() {
        assertThatThrownBy(() -> CloneFlags.parse("net,cgroup")).hasMessageStartingWith(
                "unknown namespace subsystem: cgroup");
    }

    @Test
    void flagsThatDoNotMapAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CloneFlags.parse("pid")).hasMessageContaining("pid is not supported")
                .hasMessageContaining("unshare --fork");
        assertThatThrownBy(() -> CloneFlags.parse("net,files")).hasMessageContaining("files is not supported")
                .hasMessageContaining("descriptor table");
        assertThatThrownBy(() -> CloneFlags.parse("parent")).hasMessageContaining("not be the emperor's child");
        assertThatThrownBy(() -> CloneFlags.parse("sysvsem")).hasMessageContaining("not a namespace");
        assertThatThrownBy(() -> CloneFlags.parse("io")).hasMessageContaining("I/O context");
    }
}
