package dev.imperium.zerg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import dev.imperium.os.SocketFds;
import dev.imperium.vassal.ListenSocket;
import dev.imperium.vassal.SocketProtocol;
import dev.imperium.vassal.SocketSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ZergServerTest {
    @TempDir
    Path dir;

    @Test
    void aZergReceivesTheLordsSocketsWithTheirProtocols() throws Exception {
        int http = SocketFds.listenTcp(InetAddress.getLoopbackAddress(), 0, 10);
        int uwsgi = SocketFds.listenUnix(dir.resolve("app.sock").toString(), 10);
        List<String> log = new ArrayList<>();
        ZergAttachment attached = null;
        try (ZergServer server = ZergServer.open("brood.sock", dir, 10, log::add)) {
            server.start(Runnable::run, () -> List.of(new ZergServer.Offer(http, SocketProtocol.HTTP),
                    new ZergServer.Offer(uwsgi, SocketProtocol.UWSGI), new ZergServer.Offer(http,
                            SocketProtocol.HTTP)));
            List<String> zergLog = new ArrayList<>();
            attached = ZergAttachment.attach(new ZergSettings(0, 0, null,
                    List.of(dir.resolve("brood.sock").toString()), false), zergLog::add);
            int port = SocketFds.localPort(http);
            assertThat(attached.sockets()).extracting(ListenSocket::address)
                    .containsExactly("127.0.0.1:" + port, dir.resolve("app.sock").toString());
            assertThat(attached.sockets()).extracting(s -> s.spec().protocol())
                    .containsExactly(SocketProtocol.HTTP, SocketProtocol.UWSGI);
            assertThat(attached.sockets()).extracting(ListenSocket::unixPath).containsOnlyNulls();
            assertThat(SocketFds.localAddressBytes(attached.sockets().get(0).fd()))
                    .isEqualTo(SocketFds.localAddressBytes(http));
            assertThat(zergLog).contains("uwsgi zerg socket 0 attached to INET address 127.0.0.1:" + port + " fd "
                    + attached.sockets().get(0).fd(), "zerg sockets attached");
            assertThat(log).containsExactly("*** Zerg server enabled on brood.sock ***");

            VassalConfig own = new VassalConfig(Path.of("app.ini"), List.of(new ConfigEntry("processes", "2",
                    new Origin(Path.of("app.ini"), 3))), List.of());
            VassalConfig injected = attached.inject(own);
            assertThat(injected.entries()).extracting(ConfigEntry::key)
                    .containsExactly("http-socket", "socket", "processes");
        } finally {
            if (attached != null) {
                attached.sockets().forEach(ListenSocket::close);
            }
            dev.imperium.os.Posix.close(http);
            dev.imperium.os.Posix.close(uwsgi);
        }
        assertThat(Files.exists(dir.resolve("brood.sock"))).as("removed at close").isFalse();
    }

    @Test
    void anUnreachableServerStopsTheZergUnlessItFallsBack() throws IOException {
        String missing = dir.resolve("none.sock").toString();
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> ZergAttachment.attach(new ZergSettings(0, 0, null, List.of(missing), false),
                log::add)).hasMessage("unable to connect to zerg server " + missing);
        assertThat(log).containsExactly("--- unable to connect to zerg server " + missing + " ---");
        assertThat(ZergAttachment.attach(new ZergSettings(0, 0, null, List.of(missing), true), s -> { }).isEmpty())
                .isTrue();
        assertThat(ZergAttachment.attach(ZergSettings.NONE, s -> { })).isSameAs(ZergAttachment.NONE);
    }

    @Test
    void specOfAnAttachedSocketParses() {
        assertThat(SocketSpec.parse("@brood", SocketProtocol.UWSGI).isAbstract()).isTrue();
    }
}
