package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyEnvironmentTest {
    private static final long PID = 4242;

    @Test
    void withoutNotifySocketTheEmperorSendsNothing() {
        assertThat(NotifyEnvironment.of(Map.of(), PID)).isNull();
        assertThat(NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", ""), PID)).isNull();
        assertThat(NotifyEnvironment.of(Map.of("WATCHDOG_USEC", "1000000"), PID)).isNull();
    }

    @Test
    void aPathOrAnAbstractNameIsTheSocket() {
        NotifyEnvironment path = NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), PID);
        assertThat(path.socket()).isEqualTo("/run/systemd/notify");
        assertThat(path.watchdog()).isNull();
        assertThat(path.pingPeriod()).isNull();
        assertThat(path.warning()).isNull();
        assertThat(NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "@/org/freedesktop/systemd1/notify/42"), PID)
                .socket()).isEqualTo("@/org/freedesktop/systemd1/notify/42");
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "vsock:2:1234"), PID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NOTIFY_SOCKET=vsock:2:1234 is not a UNIX socket path or @abstract name: "
                        + "not notifying systemd");
        assertThatThrownBy(() -> NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "@"), PID))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "/" + "x".repeat(107)), PID))
                .hasMessageContaining("too long");
    }

    @Test
    void theWatchdogIsPingedEveryHalfTimeout() {
        NotifyEnvironment env = NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
                "WATCHDOG_USEC", "30000000"), PID);
        assertThat(env.watchdog()).isEqualTo(Duration.ofSeconds(30));
        assertThat(env.pingPeriod()).isEqualTo(Duration.ofSeconds(15));
        assertThat(NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "/n", "WATCHDOG_USEC", "3",
                "WATCHDOG_PID", "4242"), PID).pingPeriod()).isEqualTo(Duration.ofNanos(1500));
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsNotOurs() {
        NotifyEnvironment env = NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
                "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1"), PID);
        assertThat(env.socket()).isEqualTo("/run/systemd/notify");
        assertThat(env.watchdog()).isNull();
        assertThat(env.warning()).isNull();
    }

    @Test
    void aMalformedWatchdogTimeoutIsIgnoredWithAWarning() {
        for (String bad : new String[] {"soon", "0", "-5", "99999999999999999999"}) {
            NotifyEnvironment env = NotifyEnvironment.of(Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
                    "WATCHDOG_USEC", bad), PID);
            assertThat(env.watchdog()).as(bad).isNull();
            assertThat(env.warning()).isEqualTo("ignoring WATCHDOG_USEC=" + bad
                    + ": not a positive number of microseconds");
        }
    }
}
