package dev.imperium.emperor;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class ControlServerTest {
    @TempDir
    Path base;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ControlListener listener = new ControlListener() {
        @Override
        public void onHello(ControlConnection c, String token, long pid) {
            events.add("hello " + token + " " + pid);
            c.send(Frame.of(EmperorMessage.RELOAD));
        }

        @Override
        public void onFrame(ControlConnection c, Frame f) {
            events.add("frame " + f.type() + " " + f.text());
        }

        @Override
        public void onClosed(ControlConnection c) {
            events.add("closed");
        }
    };

    private static void write(SocketChannel ch, Frame f) throws Exception {
        ch.write(ByteBuffer.wrap(f.encode()));
    }

    @Test
    void privateDirectoryHelloFramesHangUpAndCleanUp() throws Exception {
        try (ControlServer server = ControlServer.open(base, listener, line -> { })) {
            Path dir = server.runtimeDir();
            assertThat(dir.getParent()).isEqualTo(base);
            assertThat(dir.getFileName().toString()).startsWith("imperium-emperor-" + ProcessHandle.current().pid() + "-");
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(server.socketPath()));
                // A frame split across writes, then two frames in one write.
                byte[] hello = Frame.of(EmperorMessage.HELLO, "abc123 4242").encode();
                ch.write(ByteBuffer.wrap(hello, 0, 2));
                ch.write(ByteBuffer.wrap(hello, 2, hello.length - 2));
                byte[] two = new byte[6 + 1];
                System.arraycopy(Frame.of(EmperorMessage.SPAWNED).encode(), 0, two, 0, 3);
                System.arraycopy(Frame.of(EmperorMessage.ACCEPTING, "1").encode(), 0, two, 3, 4);
                ch.write(ByteBuffer.wrap(two));
                ByteBuffer reply = ByteBuffer.allocate(3);
                while (reply.hasRemaining()) {
                    ch.read(reply);
                }
                assertThat(reply.array()).containsExactly(EmperorMessage.RELOAD, 0, 0);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("closed"));
            assertThat(events).containsExactly("hello abc123 4242", "frame 1 ", "frame 5 1", "closed");
        }
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void aConnectionThatDoesNotStartWithHelloIsDropped() throws Exception {
        try (ControlServer server = ControlServer.open(base, listener, line -> { });
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.socketPath()));
            write(ch, Frame.of(EmperorMessage.ACCEPTING, "1"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("closed"));
            assertThat(events).containsExactly("closed");
            assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void runtimeDirectoriesOfDeadEmperorsAreRemoved() throws Exception {
        Path stale = Files.createDirectory(base.resolve("imperium-emperor-999999999-123"));
        Files.writeString(stale.resolve("control.sock"), "");
        Path alive = Files.createDirectory(base.resolve("imperium-emperor-1-456")); // pid 1 lives
        try (ControlServer _ = ControlServer.open(base, listener, line -> { })) {
            assertThat(stale).doesNotExist();
            assertThat(alive).exists();
        }
    }

    /** Issue 8: resource limits. Tyrant mode: another user's vassals get a socket in a directory only it enters. */
    @Test
    void anotherUsersSocketIsInItsOwnPrivateDirectory() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.imperium.os.Posix.getuid() == 0, "needs root to chown");
        try (ControlServer server = ControlServer.open(base, listener, line -> { })) {
            server.allowOtherUsers();
            assertThat(server.socketFor(0, 0)).as("the emperor's own user: the main socket")
                    .isEqualTo(server.socketPath());
            assertThat(Files.getPosixFilePermissions(server.socketPath()))
                    .doesNotContain(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
            Path socket = server.socketFor(65534, 65534);
            assertThat(server.socketFor(65534, 65534)).as("one per user").isEqualTo(socket);
            Path dir = socket.getParent();
            assertThat(dir).isEqualTo(server.runtimeDir().resolve("uid-65534"));
            assertThat(Files.getPosixFilePermissions(server.runtimeDir()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx--x--x"));
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(65534);
            assertThat(Files.getAttribute(socket, "unix:uid")).isEqualTo(65534);
            assertThat(Files.getAttribute(socket, "unix:gid")).isEqualTo(65534);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                write(ch, Frame.of(EmperorMessage.HELLO, "tok 77"));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("hello tok 77"));
            }
            server.close();
            assertThat(dir).doesNotExist();
            assertThat(server.runtimeDir()).doesNotExist();
        }
    }
}
