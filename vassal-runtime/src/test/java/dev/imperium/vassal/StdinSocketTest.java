package dev.imperium.vassal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StdinSocketTest {

    private static byte[] inet(int a, int b, int c, int d, int port) {
        return new byte[] {2, 0, (byte) (port >> 8), (byte) port, (byte) a, (byte) b, (byte) c, (byte) d,
                0, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void anIpv4AddressIsHostColonPort() {
        assertThat(StdinSocket.addressText(inet(127, 0, 0, 1, 8443))).isEqualTo("127.0.0.1:8443");
        assertThat(StdinSocket.addressText(inet(0, 0, 0, 0, 80))).isEqualTo("0.0.0.0:80");
    }

    @Test
    void anIpv6AddressIsBracketed() {
        byte[] a = new byte[28];
        a[0] = 10;
        a[2] = 0x1f;
        a[3] = (byte) 0x90;
        a[23] = 1;
        assertThat(StdinSocket.addressText(a)).isEqualTo("[0:0:0:0:0:0:0:1]:8080");
    }

    @Test
    void aUnixSocketIsItsPathAndAnAbstractOneHasAnAt() {
        byte[] path = "/run/app.sock".getBytes(StandardCharsets.UTF_8);
        byte[] a = new byte[2 + path.length + 1];
        a[0] = 1;
        System.arraycopy(path, 0, a, 2, path.length);
        assertThat(StdinSocket.addressText(a)).isEqualTo("/run/app.sock");

        byte[] name = "app".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[3 + name.length];
        b[0] = 1;
        System.arraycopy(name, 0, b, 3, name.length);
        assertThat(StdinSocket.addressText(b)).isEqualTo("@app");
    }

    @Test
    void anUnnamedOrOtherSocketIsNothing() {
        assertThat(StdinSocket.addressText(new byte[] {1, 0})).isNull();
        assertThat(StdinSocket.addressText(new byte[] {16, 0, 0, 0})).isNull();
    }
}
