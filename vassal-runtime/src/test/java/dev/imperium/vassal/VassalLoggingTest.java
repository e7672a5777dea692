package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VassalLoggingTest {
    @Test
    void logto2ChecksWhatTheWorkersUserMayWrite() {
        assertThat(VassalLogging.writable(33, 33, 0640, 33, 33)).as("owner, u+w").isTrue();
        assertThat(VassalLogging.writable(33, 33, 0440, 33, 33)).as("owner without u+w").isFalse();
        assertThat(VassalLogging.writable(0, 33, 0660, 33, 33)).as("group, g+w").isTrue();
        assertThat(VassalLogging.writable(0, 0, 0644, 33, 33)).as("root's file").isFalse();
        assertThat(VassalLogging.writable(0, 0, 0666, 33, 33)).as("o+w").isTrue();
        assertThat(VassalLogging.writable(1000, 1000, 0600, 0, 0)).as("root").isTrue();
    }
}
