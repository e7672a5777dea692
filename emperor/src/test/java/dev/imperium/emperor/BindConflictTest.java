package dev.imperium.emperor;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8: resource limits. A vassal's "address in use" FATAL, and the probe that tells when it is free. */
class BindConflictTest {

    @Test
    void readsTheAddressOfAnAddressInUseFatal() {
        BindConflict c = BindConflict.of("unable to bind 127.0.0.1:8080: bind: Address already in use (errno 98)")
                .orElseThrow();
        assertThat(c.address()).isEqualTo("127.0.0.1:8080");
        assertThat(c.spec().port()).isEqualTo(8080);
        assertThat(BindConflict.of("unable to bind :9090: bind: Address already in use (errno 98)").orElseThrow()
                .spec().port()).isEqualTo(9090);
        assertThat(BindConflict.of("unable to bind @imperium-x: bind: Address already in use (errno 98)")
                .orElseThrow().spec().abstractName()).isEqualTo("imperium-x");
    }

    @Test
    void otherFatalsAreNoConflict() {
        assertThat(BindConflict.of(null)).isEmpty();
        assertThat(BindConflict.of("cannot load app: boom")).isEmpty();
        assertThat(BindConflict.of("unable to bind 10.9.9.9:80: bind: Cannot assign requested address (errno 99)"))
                .isEmpty();
        assertThat(BindConflict.of("unable to bind 127.0.0.1:80: bind: Permission denied (errno 13)")).isEmpty();
        // a socket file is replaced at bind: it cannot be "in use"
        assertThat(BindConflict.of("unable to bind /run/app.sock: bind: Address already in use (errno 98)"))
                .isEmpty();
    }

    @Test
    void theProbeSeesAnAddressInUseAndThenFree() throws Exception {
        BindConflict c;
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            c = BindConflict.of("unable to bind 127.0.0.1:" + taken.getLocalPort()
                    + ": bind: Address already in use (errno 98)").orElseThrow();
            assertThat(PortProbe.isFree(c)).isFalse();
        }
        assertThat(PortProbe.isFree(c)).isTrue();
        assertThat(PortProbe.isFree(c)).as("the probe itself keeps nothing bound").isTrue();
    }
}
