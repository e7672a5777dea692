package dev.imperium.emperor;

import java.io.IOException;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Keeps systemd informed about the emperor when it runs as a {@code Type=notify} service: {@code READY=1} once the
 * first scan of the vassal directory has started (or queued) every vassal found, {@code STATUS=The Emperor is
 * governing N vassals} whenever that number changes (looked at every second), {@code STOPPING=1} when Ragnarok
 * begins, {@code STATUS=The Emperor is buried.} at the end, and {@code WATCHDOG=1} every half
 * {@code WATCHDOG_USEC}. Every notification is sent from the emperor's {@link EventLoop}: a loop that hangs sends no
 * more pings, and systemd's watchdog then restarts the emperor.
 *
 * <p>"Ready" does not wait for vassals to accept requests: one slow or broken app would hold {@code systemctl start}
 * (and every unit ordered after it) for up to the start timeout. Each vassal's own readiness is in the log
 * ({@code vassal X is ready to accept requests}) and in {@code imperium status}.
 *
 * <p>Threading: {@link #start()} and {@link #ready()} may be called from any thread; {@link #stopping()} and
 * {@link #buried()} on the loop thread.
 */
final class ServiceNotifications {
    /** How often the number of vassals is compared with the last one sent. */
    static final Duration STATUS_CHECK = Duration.ofSeconds(1);

    private final NotifyEnvironment env;
    private final SystemdNotifier notifier;
    private final EventLoop loop;
    private final IntSupplier vassals;
    private final EmperorLog log;

    // Loop-thread state.
    private boolean ready;
    private boolean stopping;
    private boolean done;
    private int lastCount = -1;
    private boolean failing;

    /**
     * Creates the notifications; nothing is sent before {@link #start()}.
     *
     * @param env what systemd asked for
     * @param notifier the open socket
     * @param loop the emperor's loop
     * @param vassals how many vassals the emperor knows (read on the loop thread)
     * @param log the emperor log, for the start line and send failures
     */
    ServiceNotifications(NotifyEnvironment env, SystemdNotifier notifier, EventLoop loop, IntSupplier vassals,
                         EmperorLog log) {
        this.env = env;
        this.notifier = notifier;
        this.loop = loop;
        this.vassals = vassals;
        this.log = log;
    }

    /** Logs where notifications go and starts the watchdog pings and the status checks (on the loop). */
    void start() {
        loop.post(() -> {
            Duration ping = env.pingPeriod();
            log.emperor("notifying systemd on " + env.socket() + (ping == null ? ""
                    : " (watchdog " + millis(env.watchdog()) + ", pinged every " + millis(ping) + ")"));
            if (env.warning() != null) {
                log.emperor(env.warning());
            }
            if (ping != null) {
                pingWatchdog(ping);
            }
            loop.schedule(STATUS_CHECK, this::checkStatus);
        });
    }

    /** Sends {@code READY=1} with the vassal count, after the tasks already queued on the loop. */
    void ready() {
        loop.post(() -> {
            if (ready || done || stopping) {
                return;
            }
            ready = true;
            lastCount = vassals.getAsInt();
            send(NotifyMessages.ready(lastCount));
        });
    }

    /** Sends {@code STOPPING=1}: Ragnarok has begun (loop thread). */
    void stopping() {
        if (stopping || done) {
            return;
        }
        stopping = true;
        lastCount = vassals.getAsInt();
        send(NotifyMessages.stopping(lastCount));
    }

    /** Sends the last status and closes the socket; nothing is sent afterwards (loop thread). */
    void buried() {
        if (done) {
            return;
        }
        done = true;
        send(NotifyMessages.buried());
        notifier.close();
    }

    private void pingWatchdog(Duration period) {
        if (done) {
            return;
        }
        send(NotifyMessages.watchdog());
        loop.schedule(period, () -> pingWatchdog(period));
    }

    private void checkStatus() {
        if (done) {
            return;
        }
        if (ready || stopping) {
            int count = vassals.getAsInt();
            if (count != lastCount) {
                lastCount = count;
                send(NotifyMessages.status(count, stopping));
            }
        }
        loop.schedule(STATUS_CHECK, this::checkStatus);
    }

    private void send(String message) {
        try {
            notifier.send(message);
            if (failing) {
                failing = false;
                log.emperor("notifying systemd on " + env.socket() + " again");
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) { // once per outage, not once per ping
                failing = true;
                log.emperor("cannot notify systemd on " + env.socket() + ": " + e.getMessage());
            }
        }
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
