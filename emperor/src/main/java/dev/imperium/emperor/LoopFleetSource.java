package dev.imperium.emperor;

import dev.imperium.emperor.Vassal.Incarnation;
import dev.imperium.emperor.dashboard.FleetSnapshot;
import dev.imperium.emperor.dashboard.FleetSource;
import dev.imperium.emperor.dashboard.VassalRecord;
import dev.imperium.emperor.dashboard.WorkerStats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The emperor's {@link FleetSource}: copies each vassal's fields in one task on the {@link EventLoop} (the thread
 * that owns them), waits for that copy, then builds the records on the caller's thread (parsing stats reports,
 * fetching log lines), so the loop spends only a copy per request.
 */
final class LoopFleetSource implements FleetSource {
    private final EventLoop loop;
    private final Supplier<Supervisor> supervisor;
    private final String vassalDir;
    private final Function<String, List<String>> recentLog;
    private final long emperorPid = ProcessHandle.current().pid();
    private final long startedMillis = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli)
            .orElse(0L);
    private final String host = hostName();

    /**
     * Creates a source.
     *
     * @param loop the emperor's loop
     * @param supervisor the supervisor (null before the emperor started: an empty fleet)
     * @param vassalDir the vassal directory, for display
     * @param recentLog a vassal's last output lines by name, oldest first (thread-safe); empty when none are kept
     */
    LoopFleetSource(EventLoop loop, Supplier<Supervisor> supervisor, String vassalDir,
                    Function<String, List<String>> recentLog) {
        this.loop = loop;
        this.supervisor = supervisor;
        this.vassalDir = vassalDir;
        this.recentLog = recentLog;
    }

    @Override
    public FleetSnapshot snapshot(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<List<Copy>> copied = new CompletableFuture<>();
        loop.post(() -> {
            try {
                copied.complete(copy());
            } catch (RuntimeException | Error e) {
                copied.completeExceptionally(e);
            }
        });
        List<Copy> copies;
        try {
            copies = copied.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the emperor's state", e.getCause());
        }
        List<VassalRecord> records = new ArrayList<>(copies.size());
        for (Copy c : copies) {
            records.add(c.toRecord(recentLog));
        }
        return new FleetSnapshot(System.currentTimeMillis(), emperorPid, startedMillis, host, vassalDir, records);
    }

    /** Copies what the records need; loop thread only. */
    private List<Copy> copy() {
        Supervisor s = supervisor.get();
        if (s == null) {
            return List.of();
        }
        long now = System.nanoTime();
        List<Copy> copies = new ArrayList<>(s.size());
        for (Vassal v : s.vassals()) {
            Incarnation inc = v.state.hasProcess() ? v.current : null;
            boolean launched = inc != null && inc.pid() > 0 && !inc.waiting;
            Long backoff = v.state == VassalState.BACKOFF && v.timer != null
                    ? Math.max(0, v.timer.remainingNanos()) / 1_000_000 : null;
            copies.add(new Copy(v.name, v.state.name(),
                    launched ? inc.pid() : null,
                    inc != null && inc.generation > 0 ? inc.generation : null,
                    Math.max(0, v.spawns - 1), v.failures, backoff,
                    launched ? (now - inc.spawnedNanos) / 1_000_000 : null,
                    launched ? v.lastStatsJson : null,
                    v.lastError, v.lastErrorMillis));
        }
        return copies;
    }

    /** One vassal's fields as copied on the loop. */
    private record Copy(String name, String state, Long pid, Integer generation, int restarts, int failures,
                        Long backoffMillis, Long uptimeMillis, String statsJson, String lastError,
                        long lastErrorMillis) {
        VassalRecord toRecord(Function<String, List<String>> recentLog) {
            WorkerStats stats = WorkerStats.parse(statsJson);
            VassalRecord.Problem problem = lastError == null ? null
                    : new VassalRecord.Problem(lastError, lastErrorMillis, recentLog.apply(name));
            return new VassalRecord(name, state, pid, generation, restarts, failures, backoffMillis, uptimeMillis,
                    stats.busy(), stats.total(), stats.requests(), problem);
        }
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
