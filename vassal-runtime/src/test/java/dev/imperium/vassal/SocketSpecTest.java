package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocketSpecTest {
    @Test
    void readsUwsgiAddressForms() throws Exception {
        SocketSpec tcp = SocketSpec.parse("127.0.0.1:8090");
        assertThat(tcp.isUnix()).isFalse();
        assertThat(tcp.host()).isEqualTo("127.0.0.1");
        assertThat(tcp.port()).isEqualTo(8090);

        SocketSpec any = SocketSpec.parse(":9090");
        assertThat(any.resolveHost().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(any.port()).isEqualTo(9090);

        SocketSpec v6 = SocketSpec.parse("[::1]:80");
        assertThat(v6.resolveHost().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");

        SocketSpec unix = SocketSpec.parse("run/app.sock");
        assertThat(unix.isUnix()).isTrue();
        assertThat(unix.unixPath(Path.of("/srv/app"))).isEqualTo(Path.of("/srv/app/run/app.sock"));
        assertThat(SocketSpec.parse("/tmp/x.sock").unixPath(Path.of("/srv"))).isEqualTo(Path.of("/tmp/x.sock"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host:http", "host:70000", "::1:80", "@", "=x", "=-1", "fd://3"})
    void refusesWhatItCannotBind(String spec) {
        assertThatThrownBy(() -> SocketSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsAbstractNamesAsUwsgiWritesThem() {
        SocketSpec at = SocketSpec.parse("@imperium-app");
        assertThat(at.isUnix()).isTrue();
        assertThat(at.isAbstract()).isTrue();
        assertThat(at.abstractName()).isEqualTo("imperium-app");
        assertThat(SocketSpec.parse("\\0imperium-app").abstractName()).isEqualTo("imperium-app");
        assertThat(SocketSpec.parse("run/app.sock").isAbstract()).isFalse();
    }

    @Test
    void sharedSocketReferencesTakeTheSharedAddressAndKeepTheirProtocol() {
        SocketSpec ref = SocketSpec.parse("=1", SocketProtocol.UWSGI);
        assertThat(ref.isShared()).isTrue();
        assertThat(ref.sharedIndex()).isEqualTo(1);
        SocketSpec mapped = ref.mappedTo(SocketSpec.parse("127.0.0.1:3031"));
        assertThat(mapped.isShared()).isFalse();
        assertThat(mapped.port()).isEqualTo(3031);
        assertThat(mapped.protocol()).isEqualTo(SocketProtocol.UWSGI);
        assertThat(mapped.sharedIndex()).isEqualTo(1);
    }
}
