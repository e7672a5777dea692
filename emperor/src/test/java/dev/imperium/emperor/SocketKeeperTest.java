package dev.imperium.emperor;

import dev.imperium.control.SocketKeeperWire;
import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;
import dev.imperium.zerg.UnixStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The socket keeper over its real socket: what a master gives, a respawned master of the same vassal gets back. */
class SocketKeeperTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private SocketKeeper keeper;
    private final List<Integer> open = new ArrayList<>();

    @AfterEach
    void close() {
        if (keeper != null) {
            keeper.close();
        }
        open.forEach(Posix::close);
    }

    private int listen() throws SocketFds.SocketError {
        int fd = SocketFds.listenTcp(InetAddress.getLoopbackAddress(), 0, 16);
        open.add(fd);
        return fd;
    }

    private FdPassing.Message exchange(byte[] request, int... fds) throws SocketFds.SocketError {
        int fd = UnixStreams.connect(keeper.path().toString());
        assertThat(fd).isNotNegative();
        try {
            FdPassing.send(fd, fds, request);
            if (SocketKeeperWire.decode(request).verb() == SocketKeeperWire.Verb.PUT) {
                return null;
            }
            FdPassing.Message answer = FdPassing.receive(fd, FdPassing.MAX_FDS, SocketKeeperWire.MAX_DATA);
            for (int received : answer.fds()) {
                open.add(received);
            }
            return answer;
        } finally {
            Posix.close(fd);
        }
    }

    private FdPassing.Message get(String token) throws SocketFds.SocketError {
        return exchange(SocketKeeperWire.request(SocketKeeperWire.Verb.GET, token));
    }

    private void put(String token, int... fds) throws Exception {
        exchange(SocketKeeperWire.request(SocketKeeperWire.Verb.PUT, token), fds);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> keeper.size() > 0);
    }

    @Test
    void aRespawnedMasterGetsTheSocketsOfTheOneThatDied() throws Exception {
        keeper = SocketKeeper.open(dir, log::add, List.of());
        int socket = listen();
        int port = SocketFds.localPort(socket);
        keeper.issue("first", "app.ini", dir.resolve("app.ini"));
        put("first", socket);
        keeper.revoke("first"); // the master died
        keeper.issue("second", "app.ini", dir.resolve("app.ini"));

        FdPassing.Message answer = get("second");

        assertThat(SocketKeeperWire.decode(answer.data()).verb()).isEqualTo(SocketKeeperWire.Verb.KEPT);
        assertThat(answer.fds()).hasSize(1);
        assertThat(SocketFds.localPort(answer.fds()[0])).isEqualTo(port);
    }

    @Test
    void anUnknownTokenGetsNothingAndAReleasedVassalHasNothingKept() throws Exception {
        keeper = SocketKeeper.open(dir, log::add, List.of());
        keeper.issue("t", "app.ini", dir.resolve("app.ini"));
        put("t", listen());

        assertThat(get("forged").fds()).isEmpty();
        assertThat(SocketKeeperWire.decode(get("forged").data()).verb()).isEqualTo(SocketKeeperWire.Verb.NONE);

        keeper.release("app.ini");
        assertThat(keeper.size()).isZero();
        assertThat(get("t").fds()).isEmpty();
    }

    @Test
    void aNewMasterOfAnOrphansFileTakesItsSockets() throws Exception {
        int socket = listen();
        int port = SocketFds.localPort(socket);
        int copy = dev.imperium.os.Descriptors.dupCloexec(socket, 3);
        Process orphan = new ProcessBuilder("sleep", "60").start(); // stands for the dead emperor's vassal
        keeper = SocketKeeper.open(dir, log::add,
                List.of(new SocketKeeper.Orphan(orphan.pid(), dir.resolve("app.ini").toString(), new int[] {copy})));
        keeper.issue("t", "app.ini", dir.resolve("app.ini"));
        keeper.issue("u", "other.ini", dir.resolve("other.ini"));

        assertThat(get("u").fds()).isEmpty();
        FdPassing.Message answer = get("t");

        assertThat(answer.fds()).hasSize(1);
        assertThat(SocketFds.localPort(answer.fds()[0])).isEqualTo(port);
        assertThat(log).anyMatch(l -> l.contains("vassal app.ini takes over the sockets of the vassal of the dead"
                + " emperor"));
        try {
            keeper.accepting("app.ini");
            assertThat(orphan.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("orphan stopped").isTrue();
            assertThat(orphan.exitValue()).isEqualTo(128 + 15); // SIGTERM
            assertThat(log).anyMatch(l -> l.contains("took over from the vassal of the dead emperor"));
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void anOrphanIsARealProcess() {
        for (long pid : new long[] {-1, 0, 1, Long.MAX_VALUE / 2}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SocketKeeper.Orphan(pid, "/a", new int[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
