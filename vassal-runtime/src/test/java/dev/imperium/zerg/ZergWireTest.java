package dev.imperium.zerg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZergWireTest {
    @Test
    void startsWithUwsgisFourteenBytesSoThatAUwsgiZergCanReadIt() {
        byte[] data = ZergWire.encode(List.of("http", "uwsgi"));
        assertThat(new String(data, 0, 10, StandardCharsets.US_ASCII)).isEqualTo("uwsgi-zerg");
        assertThat(ByteBuffer.wrap(data, 10, 4).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(2);
        assertThat(ZergWire.decode(data)).isEqualTo(new ZergWire.Header(2, List.of("http", "uwsgi")));
    }

    @Test
    void aUwsgiServersMessageHasNoProtocols() {
        byte[] data = ByteBuffer.allocate(14).order(ByteOrder.nativeOrder())
                .put("uwsgi-zerg".getBytes(StandardCharsets.US_ASCII)).putInt(3).array();
        assertThat(ZergWire.decode(data)).isEqualTo(new ZergWire.Header(3, List.of()));
    }

    @Test
    void otherDataIsRefusedWithUwsgisWords() {
        assertThatThrownBy(() -> ZergWire.decode("uwsgi-emperor".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("invalid data received from zerg-server");
        assertThatThrownBy(() -> ZergWire.decode(new byte[0])).hasMessageContaining("invalid data");
        byte[] mismatch = ZergWire.encode(List.of("http"));
        mismatch[10] = 2; // little-endian count 2, one protocol
        assertThatThrownBy(() -> ZergWire.decode(mismatch)).hasMessageContaining("2 sockets but 1 protocols");
    }
}
