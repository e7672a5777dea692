package dev.imperium.emperor.foreign;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** sd_notify datagrams: KEY=VALUE lines. */
class NotifyMessageTest {
    @Test
    void readyAndStatus() {
        NotifyMessage m = NotifyMessage.parse("READY=1\nSTATUS=serving on 8080\n");
        assertThat(m.ready()).isTrue();
        assertThat(m.status()).isEqualTo("serving on 8080");
        assertThat(m.stopping()).isFalse();
    }

    @Test
    void otherValuesAndLinesWithoutAnAssignmentAreNotReady() {
        assertThat(NotifyMessage.parse("READY=0").ready()).isFalse();
        assertThat(NotifyMessage.parse("READY").ready()).isFalse();
        assertThat(NotifyMessage.parse("WATCHDOG=1\nSTOPPING=1").fields()).containsEntry("WATCHDOG", "1");
        assertThat(NotifyMessage.parse("STOPPING=1").stopping()).isTrue();
    }
}
