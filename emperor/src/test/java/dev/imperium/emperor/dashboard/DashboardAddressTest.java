package dev.imperium.emperor.dashboard;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardAddressTest {
    @Test
    void readsUwsgiStyleAddresses() {
        InetSocketAddress v4 = DashboardAddress.parse("127.0.0.1:9191");
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(v4.getPort()).isEqualTo(9191);

        InetSocketAddress any = DashboardAddress.parse(":9191");
        assertThat(any.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(any.getPort()).isEqualTo(9191);

        InetSocketAddress v6 = DashboardAddress.parse("[::1]:0");
        assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
        assertThat(v6.getPort()).isZero();

        assertThat(DashboardAddress.parse("localhost:80").getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void refusesMalformedAddresses() {
        assertThatThrownBy(() -> DashboardAddress.parse("9191"))
                .hasMessage("--emperor-dashboard needs a TCP address HOST:PORT, not '9191' (browsers speak HTTP over "
                        + "TCP)");
        assertThatThrownBy(() -> DashboardAddress.parse("/run/fleet.sock")).hasMessageContaining("TCP address");
        assertThatThrownBy(() -> DashboardAddress.parse("127.0.0.1:http"))
                .hasMessageStartingWith("--emperor-dashboard: ").hasMessageContaining("'http'");
        assertThatThrownBy(() -> DashboardAddress.parse("127.0.0.1:65536")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> DashboardAddress.parse("::1:80")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> DashboardAddress.parse("no-such-host.invalid:80"))
                .hasMessageContaining("cannot resolve");
    }

    @Test
    void onLoopbackAnswersOnlyLoopbackHostNames() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(DashboardAddress.allowsHost(loopback, "127.0.0.1:9191")).isTrue();
        assertThat(DashboardAddress.allowsHost(loopback, "localhost:9191")).isTrue();
        assertThat(DashboardAddress.allowsHost(loopback, "LOCALHOST.")).isTrue();
        assertThat(DashboardAddress.allowsHost(loopback, "[::1]:9191")).isTrue();
        assertThat(DashboardAddress.allowsHost(loopback, "127.0.1.1")).isTrue();
        assertThat(DashboardAddress.allowsHost(loopback, null)).as("HTTP/1.0 without Host").isTrue();

        assertThat(DashboardAddress.allowsHost(loopback, "evil.example:9191")).isFalse();
        assertThat(DashboardAddress.allowsHost(loopback, "127.0.0.1.evil.example")).isFalse();
        assertThat(DashboardAddress.allowsHost(loopback, "10.0.0.1:9191")).isFalse();
        assertThat(DashboardAddress.allowsHost(loopback, "[::1")).isFalse();
    }

    @Test
    void elsewhereAnswersAnyHost() throws Exception {
        assertThat(DashboardAddress.allowsHost(InetAddress.getByName("0.0.0.0"), "web1.example:9191")).isTrue();
        assertThat(DashboardAddress.allowsHost(InetAddress.getByName("10.1.2.3"), "web1.example")).isTrue();
    }
}
