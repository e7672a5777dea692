package dev.imperium.emperor.foreign;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The environment a command vassal's program gets (systemd's sd_listen_fds(3) convention). */
class ListenFdsExecTest {
    @Test
    void listenVariablesReplaceTheEmperorsPrivateOnes() {
        Map<String, String> env = ListenFdsExec.environment(Map.of(
                "PATH", "/usr/bin",
                "IMPERIUM_LISTEN_PROXY", "/run/x/listen.sock",
                "IMPERIUM_LISTEN_FDNAMES", "http:uwsgi",
                "IMPERIUM_EMPEROR_SOCKET", "/run/x/control.sock",
                "IMPERIUM_VASSAL_TOKEN", "secret",
                "IMPERIUM_EMPEROR_PID", "1",
                "LISTEN_FDNAMES", "stale"), 2, 4242);
        assertThat(env).containsEntry("PATH", "/usr/bin")
                .containsEntry("LISTEN_FDS", "2")
                .containsEntry("LISTEN_PID", "4242")
                .containsEntry("LISTEN_FDNAMES", "http:uwsgi")
                .doesNotContainKeys("IMPERIUM_LISTEN_PROXY", "IMPERIUM_LISTEN_FDNAMES", "IMPERIUM_EMPEROR_SOCKET",
                        "IMPERIUM_VASSAL_TOKEN", "IMPERIUM_EMPEROR_PID");
    }

    @Test
    void aProgramWithoutSocketsGetsNoListenVariablesAtAll() {
        assertThat(ListenFdsExec.environment(Map.of("LISTEN_FDS", "4", "LISTEN_PID", "1", "LISTEN_FDNAMES", "x",
                "IMPERIUM_LISTEN_COUNT", "0", "HOME", "/root"), 0, 7))
                .containsOnlyKeys("HOME");
    }

    @Test
    void withoutNamesThereIsNoFdnames() {
        assertThat(ListenFdsExec.environment(Map.of("LISTEN_FDNAMES", "stale"), 1, 7))
                .doesNotContainKey("LISTEN_FDNAMES").containsEntry("LISTEN_FDS", "1");
    }

    @Test
    void theHelperJvmKeepsTheEmperorsStartFlagsButNeverRecordsACache() {
        List<String> flags = CommandVassal.helperFlags(List.of("-XX:+UseSerialGC", "-XX:AOTCache=/x/emperor.aot",
                "-XX:AOTCacheOutput=/tmp/rec.aot", "-XX:MaxRAM=1g", "-Dimperium.home=/x", "-Xss512k",
                "--enable-native-access=ALL-UNNAMED", "-Xlog:aot=off"));
        assertThat(flags).contains("-XX:+UseSerialGC", "-XX:AOTCache=/x/emperor.aot",
                        "--enable-native-access=ALL-UNNAMED", "-Xlog:aot=off", "-Xmx32m")
                .doesNotContain("-XX:AOTCacheOutput=/tmp/rec.aot", "-XX:MaxRAM=1g", "-Dimperium.home=/x");
        assertThat(CommandVassal.helperFlags(List.of())).contains("--enable-native-access=ALL-UNNAMED");
    }
}
