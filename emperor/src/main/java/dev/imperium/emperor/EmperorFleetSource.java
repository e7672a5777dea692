package dev.imperium.emperor;

import dev.imperium.emperor.dashboard.FleetSnapshot;
import dev.imperium.emperor.dashboard.FleetSource;
import dev.imperium.emperor.dashboard.VassalRow;
import dev.imperium.emperor.stats.StatsReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    private final StatsReportCache reports;
    private final String host = hostName();

    /**
     * Creates a source.
     *
     * @param snapshots takes a snapshot on the emperor's event loop ({@code Emperor::snapshot})
     * @param recentLog a vassal's last output lines by name, oldest first (thread-safe); empty when none are kept
     * @param reports the vassals' parsed stats reports, shared with the emperor's other readers
     */
    EmperorFleetSource(Supplier<CompletableFuture<EmperorSnapshot>> snapshots,
                       Function<String, List<String>> recentLog, StatsReportCache reports) {
        this.snapshots = snapshots;
        this.recentLog = recentLog;
        this.reports = reports;
    }

    @Override
    public FleetSnapshot snapshot(Duration timeout) throws TimeoutException, InterruptedException {
        EmperorSnapshot s;
        try {
            s = snapshots.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the emperor's state", e.getCause());
        }
        return toFleet(s, host, recentLog, reports);
    }

    /**
     * Turns the emperor's snapshot into the fleet page's.
     *
     * @param s the emperor's snapshot
     * @param host the host's name
     * @param recentLog a vassal's last output lines by name
     * @param reports the vassals' parsed stats reports
     * @return the page's snapshot
     */
    static FleetSnapshot toFleet(EmperorSnapshot s, String host, Function<String, List<String>> recentLog,
                                 StatsReportCache reports) {
        List<VassalRow> rows = new ArrayList<>(s.vassals().size());
        Set<String> names = new HashSet<>();
        for (VassalSnapshot v : s.vassals()) {
            names.add(v.name());
            StatsReport stats = reports.report(v.name(), v.statsJson());
            // workers busy and running only from a report that lists workers; requests only from one that counts some
            boolean listed = stats != null && stats.hasWorkers();
            long requests = stats == null ? -1 : stats.requests();
            VassalRow.Problem problem = v.lastError() == null ? null
                    : new VassalRow.Problem(v.lastError(), v.lastErrorAt() * 1000, recentLog.apply(v.name()));
            rows.add(new VassalRow(v.name(), v.state().name(), v.waiting(),
                    v.pid() > 0 ? v.pid() : null,
                    v.generation() > 0 ? v.generation() : null,
                    (int) Math.min(Integer.MAX_VALUE, v.restartsTotal()), v.failures(),
                    v.state() == VassalState.BACKOFF ? v.backoffRemainingMillis() : null,
                    v.processStartMillis() > 0 ? Math.max(0, s.takenAtMillis() - v.processStartMillis()) : null,
                    listed ? stats.busyWorkers() : null, listed ? stats.runningWorkers() : null,
                    requests >= 0 ? requests : null, problem));
        }
        reports.retain(names);
        return new FleetSnapshot(s.takenAtMillis(), s.pid(), s.startedAtMillis(), host, s.monitor(), // or the glob
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
