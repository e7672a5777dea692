package dev.imperium.vassal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One set of workers started from one reading of the vassal file. A reload starts generation N+1 beside N and
 * retires N once every worker of N+1 accepts. Touched only on the master's event-loop thread.
 */
final class Generation {
    final int number;
    final VassalSettings settings;
    /** The listening sockets, in the order of {@code settings.sockets()}. */
    final List<ListenSocket> sockets;
    /** The worker limits the master checks ({@code max-worker-lifetime}, {@code evil-reload-on-rss}). */
    final WorkerLimits limits;
    final Map<Integer, WorkerHandle> workers = new TreeMap<>();
    final long startedNanos = System.nanoTime();
    /** How many workers it starts with: {@code processes}, or fewer in cheaper mode ({@code cheaper-initial}). */
    int startWorkers;

    Generation(int number, VassalSettings settings, List<ListenSocket> sockets) {
        this.number = number;
        this.settings = settings;
        this.sockets = List.copyOf(sockets);
        this.limits = settings.config() == null ? WorkerLimits.NONE : WorkerLimits.from(settings.config());
        this.startWorkers = settings.processes();
    }

    boolean allAccepting() {
        return workers.size() == startWorkers
                && workers.values().stream().allMatch(w -> w.state == WorkerHandle.State.ACCEPTING);
    }

    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
