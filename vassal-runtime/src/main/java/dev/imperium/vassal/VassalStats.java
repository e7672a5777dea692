package dev.imperium.vassal;

import dev.imperium.os.ListenQueue;
import dev.imperium.os.Posix;
import dev.imperium.stats.ImperiumTotals;
import dev.imperium.stats.RestartReason;
import dev.imperium.stats.StatsDocument;
import dev.imperium.stats.WorkerCounters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The master's side of the stats: what it keeps across its workers' lives, and the values of the stats document and
 * of the emperor report, read from its state and its workers' scoreboards.
 *
 * <p>As in uWSGI, whose counters live in shared memory per worker slot, a slot's counters are totals since the master
 * started: when a worker process exits, the master adds what its scoreboard counted to its slot's totals and to the
 * vassal's, so that a reload, a respawn or a recycle loses nothing. It also counts each slot's spawns and harakiri
 * kills, and the worker restarts by reason. Touched only on the master's event loop.
 */
final class VassalStats {
    /** One worker slot (uWSGI's worker id). */
    private static final class Slot {
        final WorkerCounters retired = new WorkerCounters();
        long spawns;
        long lastSpawnSeconds;
        long harakiri;
        long lastAvgRtMicros;
    }

    private final Map<Integer, Slot> slots = new HashMap<>();
    private final WorkerCounters retired = new WorkerCounters();
    private final long[] restarts = new long[RestartReason.values().length];
    private final Map<WorkerHandle, RestartReason> marks = new IdentityHashMap<>();
    private long harakiriTotal;

    private Slot slot(int id) {
        return slots.computeIfAbsent(id, k -> new Slot());
    }

    /** A worker process is being started in its slot (uWSGI's {@code respawn_count}, {@code last_spawn}). */
    void spawned(WorkerHandle handle) {
        Slot slot = slot(handle.id);
        slot.spawns++;
        slot.lastSpawnSeconds = System.currentTimeMillis() / 1000;
    }

    /** The master triggered harakiri on a worker (once per stuck worker, as uWSGI's {@code harakiri_count}). */
    void harakiri(WorkerHandle handle) {
        slot(handle.id).harakiri++;
        harakiriTotal++;
    }

    /** Notes why the master is about to retire or kill a worker, for when it exits. */
    void mark(WorkerHandle handle, RestartReason reason) {
        marks.put(handle, reason);
    }

    /**
     * A worker process exited: its counters join its slot's and the vassal's totals, and its restart is counted by
     * reason. Call before its scoreboard is closed and before its state becomes {@code DEAD}.
     *
     * @param masterStopping whether the whole vassal is stopping (no restart then)
     * @param currentGeneration the number of the generation serving now
     */
    void exited(WorkerHandle handle, boolean masterStopping, int currentGeneration) {
        Scoreboard board = handle.scoreboard;
        long served = board == null ? 0 : board.requests();
        RestartReason reason = reason(masterStopping, handle.harakiriTries > 0, marks.remove(handle), handle.cheaped,
                handle.recycling, handle.generation.settings.recycleAfterRequests(handle.id), served,
                handle.state == WorkerHandle.State.STOPPING, handle.generation.number, currentGeneration);
        if (reason != null) {
            restarts[reason.ordinal()]++;
        }
        if (board != null) {
            WorkerCounters counters = new WorkerCounters();
            board.addCountersTo(counters);
            Slot slot = slot(handle.id);
            slot.retired.add(counters);
            slot.lastAvgRtMicros = board.avgRtMicros();
            retired.add(counters);
        }
    }

    /**
     * Returns why a worker that exited was replaced, or null when it was no restart (the vassal stopping, or a new
     * generation's worker that failed before the reload committed).
     *
     * @param masterStopping the vassal is stopping
     * @param harakiri the master triggered harakiri on it
     * @param mark what the master noted before retiring or killing it ({@link #mark}), or null
     * @param cheaped cheaper or idle stopped it
     * @param recycling it retired itself ({@code max-requests} or {@code reload-on-rss}) or reached
     *     {@code max-worker-lifetime}
     * @param recycleAfter its {@code max-requests} limit, 0 for none
     * @param served the requests it served
     * @param wasStopping it had been told to stop
     * @param generation its generation
     * @param currentGeneration the generation serving now
     */
    static RestartReason reason(boolean masterStopping, boolean harakiri, RestartReason mark, boolean cheaped,
            boolean recycling, long recycleAfter, long served, boolean wasStopping, int generation,
            int currentGeneration) {
        if (masterStopping) {
            return null;
        }
        if (harakiri) {
            return RestartReason.HARAKIRI;
        }
        if (mark != null) {
            return mark;
        }
        if (cheaped) {
            return RestartReason.CHEAPER;
        }
        if (recycling) {
            return recycleAfter > 0 && served >= recycleAfter ? RestartReason.MAX_REQUESTS
                    : RestartReason.RELOAD_ON_RSS;
        }
        if (generation > currentGeneration) {
            return null;
        }
        return wasStopping ? RestartReason.RELOAD : RestartReason.CRASH;
    }

    /** What the master knows beyond this class: its generations, the workers finishing, its own facts. */
    record MasterView(Generation current, Generation pending, Collection<WorkerHandle> retiring, boolean paused,
            List<StatsDocument.Daemon> daemons, Path cwd) {
    }

    /** Returns the values of uWSGI's stats document now. */
    StatsDocument.Snapshot snapshot(MasterView view) {
        Generation current = view.current();
        List<StatsDocument.Socket> sockets = new ArrayList<>();
        long listenQueue = 0;
        for (ListenSocket socket : current.sockets) {
            long queue = 0;
            long max = 0;
            if (!socket.spec().isUnix()) {
                long[] tcp = ListenQueue.tcpQueue(socket.fd());
                if (tcp != null) {
                    queue = tcp[0];
                    max = tcp[1];
                }
            }
            listenQueue = Math.max(listenQueue, queue);
            sockets.add(new StatsDocument.Socket(socket.address(), protoName(socket.spec().protocol()), queue, max,
                    socket.spec().sharedIndex() >= 0, false));
        }
        Set<WorkerHandle> live = live(view);
        List<StatsDocument.Worker> workers = new ArrayList<>();
        for (int id = 1; id <= current.settings.processes(); id++) {
            workers.add(worker(id, view, live));
        }
        return new StatsDocument.Snapshot(Version.VERSION, listenQueue, 0, 0, listenQueue,
                ProcessHandle.current().pid(), Posix.getuid(), Posix.getgid(), view.cwd().toString(), view.daemons(),
                sockets, workers);
    }

    private StatsDocument.Worker worker(int id, MasterView view, Set<WorkerHandle> live) {
        Slot slot = slot(id);
        WorkerCounters totals = new WorkerCounters();
        totals.add(slot.retired);
        for (WorkerHandle h : live) {
            if (h.id == id && h.scoreboard != null) {
                h.scoreboard.addCountersTo(totals);
            }
        }
        WorkerHandle serving = view.current().workers.get(id);
        if ((serving == null || !serving.alive()) && view.pending() != null) {
            serving = view.pending().workers.get(id);
        }
        boolean cheap = serving == null || !serving.alive() || serving.cheaped;
        Scoreboard board = cheap ? null : serving.scoreboard;
        boolean busy = board != null && board.busy();
        String status = cheap ? "cheap" : busy ? "busy" : view.paused() ? "pause" : "idle";
        ProcMemory memory = cheap || serving.pid <= 0 ? ProcMemory.NONE : ProcMemory.of(serving.pid);
        List<StatsDocument.Core> cores = new ArrayList<>();
        for (int core = 0; core < view.current().settings.threads(); core++) {
            long start = board != null && core < board.cores() ? board.startMillis(core) : 0;
            cores.add(new StatsDocument.Core(core, totals.get(core, WorkerCounters.REQUESTS),
                    totals.get(core, WorkerCounters.STATIC_REQUESTS), totals.get(core, WorkerCounters.ROUTED_REQUESTS),
                    totals.get(core, WorkerCounters.WRITE_ERRORS), totals.get(core, WorkerCounters.READ_ERRORS),
                    start > 0, start > 0 ? vars(board.description(core)) : List.of(), start / 1000));
        }
        return new StatsDocument.Worker(id, cheap ? 0 : serving.pid,
                !cheap && serving.state == WorkerHandle.State.ACCEPTING, totals.total(WorkerCounters.REQUESTS),
                board == null ? 0 : board.requests(), totals.exceptions(), slot.harakiri, status, memory.rss(),
                memory.vsz(), totals.total(WorkerCounters.RUNNING_MICROS), slot.lastSpawnSeconds, slot.spawns,
                totals.total(WorkerCounters.TX), board == null ? slot.lastAvgRtMicros : board.avgRtMicros(), cores);
    }

    /** Returns the vassal's totals for the emperor report now. */
    ImperiumTotals totals(MasterView view) {
        WorkerCounters all = new WorkerCounters();
        all.add(retired);
        long rss = ProcMemory.self().rss();
        for (WorkerHandle h : live(view)) {
            if (h.scoreboard != null) {
                h.scoreboard.addCountersTo(all);
            }
            if (h.pid > 0) {
                rss += ProcMemory.of(h.pid).rss();
            }
        }
        return new ImperiumTotals(view.current().number, all, harakiriTotal, restarts.clone(), rss);
    }

    /** Every worker process alive: current, starting and finishing. */
    private static Set<WorkerHandle> live(MasterView view) {
        Set<WorkerHandle> all = new LinkedHashSet<>(view.current().workers.values());
        if (view.pending() != null) {
            all.addAll(view.pending().workers.values());
        }
        all.addAll(view.retiring());
        all.removeIf(h -> !h.alive());
        return all;
    }

    /**
     * Returns the variables of the request a scoreboard describes ({@code "ADDR - METHOD URI"}) as uWSGI lists an
     * in-flight request's: {@code REQUEST_METHOD=...}, {@code REQUEST_URI=...}, {@code REMOTE_ADDR=...} (uWSGI lists
     * every variable; the scoreboard keeps these three); none when the worker writes no descriptions.
     */
    static List<String> vars(String description) {
        int dash = description.indexOf(" - ");
        if (dash < 0) {
            return List.of();
        }
        String request = description.substring(dash + 3);
        int space = request.indexOf(' ');
        String address = "REMOTE_ADDR=" + description.substring(0, dash);
        if (space < 0) {
            return List.of("REQUEST_METHOD=" + request, address);
        }
        // in uWSGI's order: the method, the URI, then the address
        return List.of("REQUEST_METHOD=" + request.substring(0, space), "REQUEST_URI=" + request.substring(space + 1),
                address);
    }

    /** Returns uWSGI's name of a socket's protocol ({@code core/uwsgi.c}: the option's protocol string). */
    static String protoName(SocketProtocol protocol) {
        return switch (protocol) {
            case HTTP -> "http";
            case UWSGI -> "uwsgi";
            case FASTCGI -> "fastcgi";
            case SCGI -> "scgi";
            case FASTCGI_NPH -> "fastcgi-nph";
            case SCGI_NPH -> "scgi-nph";
        };
    }
}
