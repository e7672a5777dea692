package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code listen} backlog against the kernel's {@code net.core.somaxconn}, as uWSGI 2.0 checks it. */
class ListenSocketTest {
    @TempDir
    Path dir;

    @Test
    void aBacklogAboveSomaxconnIsRefusedInUwsgisWords() throws IOException {
        Path somaxconn = Files.writeString(dir.resolve("somaxconn"), "4096\n");
        assertThatCode(() -> ListenSocket.checkBacklog(4096, somaxconn)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ListenSocket.checkBacklog(4097, somaxconn))
                .isInstanceOf(IOException.class)
                .hasMessage("Listen queue size is greater than the system max net.core.somaxconn (4096).");
    }

    @Test
    void withoutTheKernelFileNothingIsChecked() {
        assertThatCode(() -> ListenSocket.checkBacklog(1_000_000, dir.resolve("missing"))).doesNotThrowAnyException();
    }

    @Test
    void theRealKernelLimitIsReadWhole() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(ListenSocket.SOMAXCONN), "Linux /proc");
        long max;
        try (var in = Files.newInputStream(ListenSocket.SOMAXCONN)) {
            max = Long.parseLong(new String(in.readAllBytes()).trim());
        }
        long limit = max;
        assertThatCode(() -> ListenSocket.checkBacklog((int) limit, ListenSocket.SOMAXCONN)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ListenSocket.checkBacklog((int) limit + 1, ListenSocket.SOMAXCONN))
                .hasMessageContaining("(" + limit + ")");
    }

    @Test
    void aUnixSocketGetsChmodSocketsModeAndChownSocketsOwner() throws Exception {
        UnixSocketOptions options = new UnixSocketOptions(0640, "0:0", -1, false, false);
        ListenSocket socket = ListenSocket.bind(SocketSpec.parse("app.sock"), dir, 10, options);
        try {
            Path file = dir.resolve("app.sock");
            org.assertj.core.api.Assertions.assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
            org.assertj.core.api.Assertions.assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(0);
        } finally {
            socket.close();
        }
        assertThatThrownBy(() -> ListenSocket.bind(SocketSpec.parse("b.sock"), dir, 10,
                new UnixSocketOptions(-1, "no-such-user-imperium", -1, false, false)))
                .isInstanceOf(IOException.class).hasMessageContaining("unable to find user no-such-user-imperium");
    }

    @Test
    void anAbstractSocketHasNoFileAndIsNamedWithAnAt() throws Exception {
        String name = "imperium-test-" + ProcessHandle.current().pid();
        ListenSocket socket = ListenSocket.bind(SocketSpec.parse("@" + name), dir, 10);
        try {
            org.assertj.core.api.Assertions.assertThat(socket.address()).isEqualTo("@" + name);
            org.assertj.core.api.Assertions.assertThat(socket.unixPath()).isNull();
            org.assertj.core.api.Assertions.assertThat(socket.family()).isEqualTo("UNIX");
            org.assertj.core.api.Assertions.assertThat(Files.readString(Path.of("/proc/net/unix")))
                    .contains("@" + name);
            org.assertj.core.api.Assertions.assertThat(socket.sameAddress(SocketSpec.parse("@" + name), dir)).isTrue();
            // the same name as a path under abstract-socket
            assertThatThrownBy(() -> ListenSocket.bind(SocketSpec.parse(name), dir, 10,
                    new UnixSocketOptions(-1, null, -1, true, false)))
                    .as("the name is taken").isInstanceOf(IOException.class).hasMessageContaining("in use");
        } finally {
            socket.close();
        }
    }
}
