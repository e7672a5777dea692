package dev.imperium.emperor.foreign;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** uWSGI's emperor bytes and the control frames they become, both ways (uWSGI 2.0 core/emperor.c). */
class UwsgiEmperorProtocolTest {
    private final UwsgiEmperorProtocol protocol = new UwsgiEmperorProtocol();

    @Test
    void aVassalsStartIsSpawnedThenGenerationOneAcceptingThenLoyal() {
        assertThat(protocol.fromVassal(1).type()).isEqualTo(EmperorMessage.SPAWNED);
        Frame accepting = protocol.fromVassal(5);
        assertThat(accepting.type()).isEqualTo(EmperorMessage.ACCEPTING);
        assertThat(accepting.text()).isEqualTo("1");
        assertThat(protocol.fromVassal(17).type()).isEqualTo(EmperorMessage.LOYAL);
    }

    @Test
    void workerOneRespawnedSendsByteFiveAgainButItIsNoNewGeneration() {
        protocol.fromVassal(5);
        assertThat(protocol.fromVassal(5)).isNull();
        assertThat(protocol.generation()).isEqualTo(1);
        assertThat(UwsgiEmperorProtocol.describe(5)).isNull(); // dropped without a log line
    }

    @Test
    void afterAReloadTheNextByteFiveIsTheNextGeneration() {
        protocol.fromVassal(5);
        assertThat(protocol.toVassal(Frame.of(EmperorMessage.RELOAD))).isEqualTo(1);
        assertThat(protocol.fromVassal(5).text()).isEqualTo("2");
        assertThat(protocol.fromVassal(5)).isNull();
    }

    @Test
    void stopsAreUwsgisBytesZeroAndTwo() {
        assertThat(protocol.toVassal(Frame.of(EmperorMessage.STOP))).isZero();
        assertThat(protocol.toVassal(Frame.of(EmperorMessage.STOP_GRACEFUL))).isEqualTo(2);
        assertThat(protocol.toVassal(Frame.of(EmperorMessage.STATS_REPORT, "{}"))).isEqualTo(-1);
    }

    @Test
    void heartbeatAndVoluntaryShutdownPassThrough() {
        assertThat(protocol.fromVassal(26).type()).isEqualTo(EmperorMessage.HEARTBEAT);
        assertThat(protocol.fromVassal(22).type()).isEqualTo(EmperorMessage.VOLUNTARY_SHUTDOWN);
    }

    @Test
    void configRequestsSosAndUnknownBytesAreDroppedWithAReason() {
        assertThat(protocol.fromVassal(2)).isNull();
        assertThat(protocol.fromVassal(30)).isNull();
        assertThat(protocol.fromVassal(99)).isNull();
        assertThat(UwsgiEmperorProtocol.describe(2)).contains("config");
        assertThat(UwsgiEmperorProtocol.describe(30)).contains("broodlord");
        assertThat(UwsgiEmperorProtocol.describe(99)).isEqualTo("sent unknown emperor message 99");
    }
}
