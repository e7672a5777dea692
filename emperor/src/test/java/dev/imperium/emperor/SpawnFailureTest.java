package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8: resource limits. A launch that failed for lack of descriptors says so on one line. */
class SpawnFailureTest {
    /** What JDK 25 says when posix_spawn runs out of descriptors (taken from a real emperor log). */
    private static final String JDK_EMFILE = """
            Cannot run program "/opt/imperium/bin/vassal" (in directory "/etc/imperium/vassals"): Bad file \
            descriptor, error: 24 (Too many open files)\s
            Possible reasons:
              - Spawn helper ran into JDK version mismatch
              - Spawn helper ran into unexpected internal error
            Possible solutions:
              - Restart JVM, especially after in-place JDK updates
            """;

    @Test
    void outOfDescriptorsComesFirstOnOneLine() {
        assertThat(SpawnFailure.describe(JDK_EMFILE)).isEqualTo("the emperor is out of file descriptors (EMFILE: "
                + "raise its limit, ulimit -n or systemd's LimitNOFILE=): Cannot run program \"/opt/imperium/bin/"
                + "vassal\" (in directory \"/etc/imperium/vassals\"): Bad file descriptor, error: 24 (Too many open "
                + "files)");
        assertThat(SpawnFailure.describe("Cannot run program \"x\": error=24, Too many open files"))
                .startsWith("the emperor is out of file descriptors");
    }

    @Test
    void theSystemsLimitIsNamedToo() {
        assertThat(SpawnFailure.describe("Cannot run program \"x\": error=23, Too many open files in system"))
                .startsWith("the system is out of file descriptors (ENFILE: raise fs.file-max): ");
    }

    @Test
    void otherErrorsKeepTheirFirstLine() {
        assertThat(SpawnFailure.describe("Cannot run program \"x\": error=2, No such file or directory\nmore"))
                .isEqualTo("Cannot run program \"x\": error=2, No such file or directory");
        assertThat(SpawnFailure.describe(null)).isEqualTo("unknown error");
        assertThat(SpawnFailure.describe("  \n")).isEqualTo("unknown error");
    }
}
