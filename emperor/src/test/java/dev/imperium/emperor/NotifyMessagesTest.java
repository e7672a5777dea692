package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotifyMessagesTest {
    @Test
    void readyCarriesTheVassalCountInUwsgiWords() {
        assertThat(NotifyMessages.ready(3)).isEqualTo("READY=1\nSTATUS=The Emperor is governing 3 vassals");
        assertThat(NotifyMessages.ready(0)).isEqualTo("READY=1\nSTATUS=The Emperor is governing 0 vassals");
    }

    @Test
    void statusSaysWhetherTheEmperorGovernsOrStops() {
        assertThat(NotifyMessages.status(12, false)).isEqualTo("STATUS=The Emperor is governing 12 vassals");
        assertThat(NotifyMessages.status(2, true)).isEqualTo("STATUS=The Emperor is stopping 2 vassals");
    }

    @Test
    void stoppingBuriedAndWatchdog() {
        assertThat(NotifyMessages.stopping(5)).isEqualTo("STOPPING=1\nSTATUS=The Emperor is stopping 5 vassals");
        assertThat(NotifyMessages.buried()).isEqualTo("STATUS=The Emperor is buried.");
        assertThat(NotifyMessages.watchdog()).isEqualTo("WATCHDOG=1");
    }
}
