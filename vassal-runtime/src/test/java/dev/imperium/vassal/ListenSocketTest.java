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
}
