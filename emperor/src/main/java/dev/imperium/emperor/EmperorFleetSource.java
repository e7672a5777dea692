package dev.imperium.emperor;

import dev.imperium.emperor.dashboard.FleetSnapshot;
import dev.imperium.emperor.dashboard.FleetSource;
import dev.imperium.emperor.dashboard.VassalRow;
import dev.imperium.emperor.dashboard.WorkerStats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The emperor's {@link FleetSource}: the {@link EmperorSnapshot} the stats server and {@code /metrics} read too
 * (taken on the event loop, which owns every vassal's state), turned into the fleet page's rows on the caller's
 * thread (parsing stats reports, fetching log lines).
 */
final class EmperorFleetSource implements FleetSource {
    private final Supplier<CompletableFuture<EmperorSnapshot>> snapshots;
    private final Function<String, List<String>> recentLog;
    private final String host = hostName();

    /**
     * Creates a source.
     *
     * @param snapshots takes a snapshot on the emperor's event loop ({@code Emperor::snapshot})
     * @param recentLog a vassal's last output lines by name, oldest first (thread-safe); empty when none are kept
     */
    EmperorFleetSource(Supplier<CompletableFuture<EmperorSnapshot>> snapshots,
                       Function<String, List<String>> recentLog) {
        this.snapshots = snapshots;
        this.recentLog = recentLog;
    }

    @Override
    public FleetSnapshot snapshot(Duration timeout) throws TimeoutException, InterruptedException {
        EmperorSnapshot s;
        try {
            s = snapshots.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the emperor's state", e.getCause());
        }
        return toFleet(s, host, recentLog);
    }

    /**
     * Turns the emperor's snapshot into the fleet page's.
     *
     * @param s the emperor's snapshot
     * @param host the host's name
     * @param recentLog a vassal's last output lines by name
     * @return the page's snapshot
     */
    static FleetSnapshot toFleet(EmperorSnapshot s, String host, Function<String, List<String>> recentLog) {
        List<VassalRow> rows = new ArrayList<>(s.vassals().size());
        for (VassalSnapshot v : s.vassals()) {
            WorkerStats stats = WorkerStats.parse(v.statsJson());
            VassalRow.Problem problem = v.lastError() == null ? null
                    : new VassalRow.Problem(v.lastError(), v.lastErrorAt() * 1000, recentLog.apply(v.name()));
            rows.add(new VassalRow(v.name(), v.state().name(), v.waiting(),
                    v.pid() > 0 ? v.pid() : null,
                    v.generation() > 0 ? v.generation() : null,
                    (int) Math.min(Integer.MAX_VALUE, v.restartsTotal()), v.failures(),
                    v.state() == VassalState.BACKOFF ? v.backoffRemainingMillis() : null,
                    v.processStartMillis() > 0 ? Math.max(0, s.takenAtMillis() - v.processStartMillis()) : null,
                    stats.busy(), stats.total(), stats.requests(), problem));
        }
        return new FleetSnapshot(s.takenAtMillis(), s.pid(), s.startedAtMillis(), host, s.vassalDir().toString(),
                rows);
    }

    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
