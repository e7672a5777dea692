package dev.imperium.emperor.ondemand;

import dev.imperium.emperor.VassalEvent;
import dev.imperium.emperor.VassalState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnDemandVassalsTest {
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<String> connections = new LinkedBlockingQueue<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private OnDemandVassals vassals;

    @AfterEach
    void close() {
        if (vassals != null) {
            vassals.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private OnDemandVassals withExtension() {
        vassals = new OnDemandVassals(new OnDemandSettings(".socket", null, null), n -> dir, connections::add, log::add);
        return vassals;
    }

    @Test
    void aFileWithoutSocketIsAnOrdinaryVassal() {
        OnDemandVassals v = withExtension();
        assertThat(v.translate("app.ini", VassalState.NEW, VassalEvent.FILE_CHANGED)).isEqualTo(VassalEvent.FILE_CHANGED);
        assertThat(v.isOnDemand("app.ini")).isFalse();
        assertThat(v.stdinSocket("app.ini")).isEqualTo(-1);
        assertThat(v.translate("app.ini", VassalState.RUNNING, VassalEvent.VOLUNTARY_SHUTDOWN))
                .isEqualTo(VassalEvent.VOLUNTARY_SHUTDOWN);
    }

    @Test
    void theSocketIsWatchedOnlyWhileAsleepAndEachConnectionWakesOnce() throws Exception {
        int port = freePort();
        Files.writeString(dir.resolve("app.ini.socket"), "127.0.0.1:" + port + "\n");
        OnDemandVassals v = withExtension();
        assertThat(v.translate("app.ini", VassalState.NEW, VassalEvent.FILE_CHANGED))
                .isEqualTo(VassalEvent.ON_DEMAND_ARMED);
        assertThat(v.socketName("app.ini")).isEqualTo("127.0.0.1:" + port);
        assertThat(v.waitingLine("app.ini", false)).isEqualTo("[uwsgi-emperor] app.ini -> \"on demand\" instance "
                + "detected, waiting for connections on socket \"127.0.0.1:" + port + "\" ...");
        v.sync("app.ini", VassalState.ON_DEMAND);

        // the "vassal": the same socket, as it gets it on its fd 0
        try (java.nio.channels.ServerSocketChannel vassal = dev.imperium.os.SocketAdoption.adopt(
                dev.imperium.os.Descriptors.dupCloexec(v.stdinSocket("app.ini"), 3))) {
            for (int cycle = 0; cycle < 5; cycle++) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", port), 2000); // queued: nobody accepts yet
                    assertThat(connections.poll(5, TimeUnit.SECONDS)).isEqualTo("app.ini");
                    v.sync("app.ini", VassalState.STARTING); // the vassal starts: no more wake-ups
                    assertThat(connections.poll(100, TimeUnit.MILLISECONDS)).isNull();
                    vassal.accept().close(); // the waking connection is served
                    v.sync("app.ini", VassalState.RUNNING);
                    v.sync("app.ini", VassalState.GOING_ON_DEMAND);
                    v.sync("app.ini", VassalState.ON_DEMAND); // asleep again, nobody waiting
                    assertThat(connections.poll(100, TimeUnit.MILLISECONDS)).isNull();
                }
            }
        }
        assertThat(v.translate("app.ini", VassalState.RUNNING, VassalEvent.VOLUNTARY_SHUTDOWN))
                .isEqualTo(VassalEvent.BACK_TO_ON_DEMAND);
        assertThat(v.translate("app.ini", VassalState.BACKOFF, VassalEvent.BACKOFF_ELAPSED))
                .isEqualTo(VassalEvent.ON_DEMAND_ARMED);
        assertThat(v.stdinSocket("app.ini")).isGreaterThan(2);

        v.sync("app.ini", VassalState.GONE); // file removed: the socket is closed
        assertThat(v.isOnDemand("app.ini")).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void aUnixSocketIsCreatedWorldWritableAndRemovedWithTheVassal() throws Exception {
        Path sock = dir.resolve("app.socket");
        vassals = new OnDemandVassals(new OnDemandSettings(null, dir, null), n -> dir, connections::add, log::add);
        assertThat(vassals.translate("app.ini", VassalState.NEW, VassalEvent.FILE_CHANGED))
                .isEqualTo(VassalEvent.ON_DEMAND_ARMED);
        assertThat(Files.getPosixFilePermissions(sock)).hasSize(6);
        vassals.sync("app.ini", VassalState.GONE);
        assertThat(sock).doesNotExist();
    }

    @Test
    void aSocketThatCannotBeBoundDropsTheVassalWithAReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(dir.resolve("app.ini.socket"), "127.0.0.1:" + taken.getLocalPort());
            OnDemandVassals v = withExtension();
            assertThat(v.translate("app.ini", VassalState.NEW, VassalEvent.FILE_CHANGED))
                    .isEqualTo(VassalEvent.STOP_REQUESTED);
            assertThat(log).singleElement().asString().contains("cannot bind the on-demand socket")
                    .contains("touch the file to retry");
        }
    }
}
