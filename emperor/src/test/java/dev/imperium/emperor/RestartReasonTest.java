package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code reason} label of {@code imperium_vassal_restarts_total}. */
class RestartReasonTest {
    @Test
    void aProcessThatEndedOnItsOwnIsAnExitOrASignal() {
        assertThat(RestartReason.of(ExitStatus.exited(3), false, false)).isEqualTo(RestartReason.EXIT);
        assertThat(RestartReason.of(ExitStatus.exited(0), false, false)).isEqualTo(RestartReason.EXIT);
        assertThat(RestartReason.of(ExitStatus.exited(137), false, false)).isEqualTo(RestartReason.SIGNAL);
        assertThat(RestartReason.of(ExitStatus.exited(143), false, false)).isEqualTo(RestartReason.SIGNAL);
    }

    @Test
    void whatTheEmperorKilledIsNamedByWhy() {
        assertThat(RestartReason.of(ExitStatus.exited(137), true, true)).isEqualTo(RestartReason.START_TIMEOUT);
        assertThat(RestartReason.of(ExitStatus.exited(137), false, true)).isEqualTo(RestartReason.CONTROL_LOST);
    }

    @Test
    void aProgramThatCouldNotBeStarted() {
        assertThat(RestartReason.of(ExitStatus.notStarted("No such file"), false, false))
                .isEqualTo(RestartReason.LAUNCH_FAILED);
        assertThat(RestartReason.LAUNCH_FAILED.label()).isEqualTo("launch_failed");
    }
}
