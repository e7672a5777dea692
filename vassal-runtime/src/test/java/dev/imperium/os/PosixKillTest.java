package dev.imperium.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Posix#kill} refuses the pids that would reach more than one process or group. */
class PosixKillTest {

    @Test
    void refusesEveryProcessOwnGroupInitAndOutOfRangePids() {
        // signal 0 only checks, but a refused pid must not even get that far
        assertThat(Posix.kill(-1, 0)).isEqualTo(-Posix.EINVAL);
        assertThat(Posix.kill(0, 0)).isEqualTo(-Posix.EINVAL);
        assertThat(Posix.kill(1, 0)).isEqualTo(-Posix.EINVAL);
        // (int) of this is -1: the cast that once sent SIGTERM to every process on the host
        assertThat(Posix.kill(0xFFFF_FFFFL, 0)).isEqualTo(-Posix.EINVAL);
        assertThat(Posix.kill(Long.MAX_VALUE / 2, 0)).isEqualTo(-Posix.EINVAL);
        assertThat(Posix.kill(Long.MIN_VALUE, 0)).isEqualTo(-Posix.EINVAL);
    }

    @Test
    void signalsAnOrdinaryProcess() {
        assertThat(Posix.kill(ProcessHandle.current().pid(), 0)).isZero();
    }
}
