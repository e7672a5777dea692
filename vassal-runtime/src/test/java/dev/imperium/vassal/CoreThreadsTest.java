package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CoreThreadsTest {
    @Test
    void eachCoreRunsItsRequestsOnOneReusedPlatformThread() throws Exception {
        CoreThreads cores = new CoreThreads(2, 256);
        Set<Thread> seen = new HashSet<>();
        AtomicReference<Thread> thread = new AtomicReference<>();
        for (int i = 0; i < 100; i++) {
            int core = i % 2;
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    cores.run(core, () -> thread.set(Thread.currentThread()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            caller.join();
            assertThat(thread.get().isVirtual()).isFalse();
            assertThat(thread.get().getName()).isEqualTo("uwsgi-core-" + core);
            seen.add(thread.get());
        }
        assertThat(seen).as("threads = 2: two threads in all").hasSize(2);
    }

    @Test
    void whatTheRequestThrowsReachesTheCaller() throws Exception {
        CoreThreads cores = new CoreThreads(1, 0);
        assertThatThrownBy(() -> cores.run(0, () -> {
            throw new IOException("client gone");
        })).isInstanceOf(IOException.class).hasMessage("client gone");
        assertThatThrownBy(() -> cores.run(0, () -> {
            throw new StackOverflowError("deep");
        })).isInstanceOf(StackOverflowError.class);
        AtomicReference<String> ran = new AtomicReference<>();
        cores.run(0, () -> ran.set("after failures the core still serves"));
        assertThat(ran.get()).isEqualTo("after failures the core still serves");
    }
}
