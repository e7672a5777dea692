package dev.imperium.zerg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SocketAddressTextTest {
    @Test
    void writesEachFamilyAsAVassalFileWould() {
        byte[] inet = {2, 0, 0x1F, (byte) 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(SocketAddressText.of(inet)).isEqualTo("127.0.0.1:8080");
        assertThat(SocketAddressText.family(inet)).isEqualTo("INET");
        byte[] inet6 = new byte[28];
        inet6[0] = 10;
        inet6[3] = 80;
        inet6[23] = 1;
        assertThat(SocketAddressText.of(inet6)).isEqualTo("[0:0:0:0:0:0:0:1]:80");
        assertThat(SocketAddressText.of(unix("/run/app.sock\0"))).isEqualTo("/run/app.sock");
        assertThat(SocketAddressText.of(unix("\0brood"))).isEqualTo("@brood");
        assertThatThrownBy(() -> SocketAddressText.of(new byte[] {1, 0})).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] unix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[2 + p.length];
        b[0] = 1;
        System.arraycopy(p, 0, b, 2, p.length);
        return b;
    }
}
