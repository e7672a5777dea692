package dev.imperium.control;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketKeeperWireTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestsRoundTrip() {
        SocketKeeperWire.Message put = SocketKeeperWire.decode(
                SocketKeeperWire.request(SocketKeeperWire.Verb.PUT, "abc123"));
        assertThat(put.verb()).isEqualTo(SocketKeeperWire.Verb.PUT);
        assertThat(put.token()).isEqualTo("abc123");
        assertThat(SocketKeeperWire.decode(SocketKeeperWire.request(SocketKeeperWire.Verb.GET, "t")).verb())
                .isEqualTo(SocketKeeperWire.Verb.GET);
    }

    @Test
    void answersRoundTrip() {
        assertThat(SocketKeeperWire.decode(SocketKeeperWire.answer(3)).count()).isEqualTo(3);
        assertThat(SocketKeeperWire.decode(SocketKeeperWire.answer(0)).verb()).isEqualTo(SocketKeeperWire.Verb.NONE);
    }

    @Test
    void orphanOfferCarriesPidAndFileWithSpaces() {
        SocketKeeperWire.Message m = SocketKeeperWire.decode(SocketKeeperWire.orphan(4242, "/srv/my apps/app.ini"));
        assertThat(m.verb()).isEqualTo(SocketKeeperWire.Verb.ORPHAN);
        assertThat(m.pid()).isEqualTo(4242);
        assertThat(m.file()).isEqualTo("/srv/my apps/app.ini");
    }

    @Test
    void rejectsWhatIsNoMessage() {
        for (String bad : new String[] {"", "PUT abc", "PUT\n", "PUT a b\n", "put abc\n", "HELLO x\n", "KEPT 0\n",
                "KEPT 251\n", "KEPT -1\n", "NONE x\n", "ORPHAN 12\n", "ORPHAN x /a\n", "ORPHAN 0 /a\n",
                "GET a\nGET b\n", "GET a\r\n"}) {
            assertThatThrownBy(() -> SocketKeeperWire.decode(bytes(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SocketKeeperWire.decode(new byte[SocketKeeperWire.MAX_DATA + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketKeeperWire.request(SocketKeeperWire.Verb.KEPT, "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketKeeperWire.orphan(1, "a\nb")).isInstanceOf(IllegalArgumentException.class);
    }
}
