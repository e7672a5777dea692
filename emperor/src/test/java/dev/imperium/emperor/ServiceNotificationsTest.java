package dev.imperium.emperor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * systemd notifications sent from a real {@link EventLoop} to a real UNIX datagram socket standing in for systemd's
 * {@code NOTIFY_SOCKET}: what is sent, when, and that a hung loop stops the watchdog pings.
 */
@Timeout(60)
class ServiceNotificationsTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final EventLoop loop = new EventLoop(errors::add);
    private final Thread loopThread = new Thread(loop::run, "test-loop");
    private final CapturingSink out = new CapturingSink();
    private final EmperorLog log = new EmperorLog(out, Clock.systemDefaultZone());
    private final AtomicInteger vassals = new AtomicInteger();

    @AfterEach
    void stopLoop() throws Exception {
        loop.stop();
        loopThread.join(5000);
        assertThat(errors).isEmpty();
    }

    private ServiceNotifications start(Map<String, String> env) throws Exception {
        NotifyEnvironment e = NotifyEnvironment.of(env, ProcessHandle.current().pid());
        ServiceNotifications n = new ServiceNotifications(e, SystemdNotifier.open(e.socket()), loop, vassals::get,
                log);
        loopThread.start();
        n.start();
        return n;
    }

    @Test
    void readyThenTheCountWhenItChangesThenStoppingAndBuried() throws Exception {
        try (NotifyReceiver systemd = NotifyReceiver.at(dir.resolve("notify"))) {
            vassals.set(2);
            ServiceNotifications n = start(Map.of("NOTIFY_SOCKET", systemd.address()));
            out.await(0, "\\[emperor] notifying systemd on " + dir.resolve("notify") + "$", T);
            n.ready();
            assertThat(systemd.next(T)).isEqualTo("READY=1\nSTATUS=The Emperor is governing 2 vassals");
            vassals.set(3);
            assertThat(systemd.next(T)).isEqualTo("STATUS=The Emperor is governing 3 vassals");
            assertThat(systemd.next(Duration.ofMillis(1500))).as("no change, no message").isNull();
            n.ready(); // only once
            loop.post(n::stopping);
            assertThat(systemd.next(T)).isEqualTo("STOPPING=1\nSTATUS=The Emperor is stopping 3 vassals");
            vassals.set(1);
            assertThat(systemd.next(T)).isEqualTo("STATUS=The Emperor is stopping 1 vassals");
            loop.post(n::buried);
            assertThat(systemd.next(T)).isEqualTo("STATUS=The Emperor is buried.");
            vassals.set(0);
            assertThat(systemd.next(Duration.ofMillis(1500))).as("nothing after buried").isNull();
        }
    }

    @Test
    void anAbstractSocketIsReachedToo() throws Exception {
        try (NotifyReceiver systemd = NotifyReceiver.abstractName()) {
            ServiceNotifications n = start(Map.of("NOTIFY_SOCKET", systemd.address()));
            n.ready();
            assertThat(systemd.next(T)).isEqualTo("READY=1\nSTATUS=The Emperor is governing 0 vassals");
        }
    }

    @Test
    void theWatchdogIsPingedFromTheLoopSoAHungLoopStopsThePings() throws Exception {
        try (NotifyReceiver systemd = NotifyReceiver.at(dir.resolve("notify"))) {
            start(Map.of("NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "200000"));
            out.await(0, "notifying systemd on .* \\(watchdog 200 ms, pinged every 100 ms\\)$", T);
            for (int i = 0; i < 3; i++) {
                assertThat(systemd.next(T)).isEqualTo("WATCHDOG=1");
            }
            CountDownLatch hung = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.post(() -> {
                hung.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(hung.await(10, TimeUnit.SECONDS)).isTrue();
            while (systemd.next(Duration.ofMillis(150)) != null) {
                // pings sent before the loop hung
            }
            assertThat(systemd.next(Duration.ofMillis(800))).as("a ping while the loop hangs").isNull();
            release.countDown();
            assertThat(systemd.next(T)).isEqualTo("WATCHDOG=1");
        }
    }

    @Test
    void aReceiverThatIsGoneIsLoggedOnceAndNotifiedAgainWhenBack() throws Exception {
        Path socket = dir.resolve("notify");
        start(Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "100000"));
        out.await(0, "\\[emperor] cannot notify systemd on " + socket + ": ", T);
        try (NotifyReceiver systemd = NotifyReceiver.at(socket)) {
            assertThat(systemd.next(T)).isEqualTo("WATCHDOG=1");
            out.await(0, "\\[emperor] notifying systemd on " + socket + " again$", T);
        }
        assertThat(out.count(0, "cannot notify systemd")).isEqualTo(1);
    }
}
