package dev.imperium.vassal;

import dev.imperium.os.ListenQueue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Applies {@link Cheaper} and {@link IdleWatch} to the serving generation, once a master cycle (a second): reads each
 * worker's scoreboard (busy or idle, when its last request ended) and the listen queue, then spawns or cheaps
 * workers through the master ({@link Host}). In cheap mode (after {@code idle}) no worker runs; a platform thread
 * waits in {@code poll(2)} on the listening sockets, and the first connection wakes the vassal: the master spawns the
 * workers again ({@code cheaper}, or {@code processes} of them) while the client waits in the accept queue, so it is
 * served as soon as the first worker accepts. Touched only on the master's event loop.
 */
final class WorkerScaling {
    /** What the master lets this class do. All calls happen on the master's event loop. */
    interface Host {
        /** Returns the generation serving requests, or null before the first one exists. */
        Generation current();

        /** Returns true while nothing else (start, reload, stop) is changing the workers. */
        boolean serving();

        /** Starts worker {@code id} of {@code generation}; {@code again} logs it as a respawn. */
        void spawn(Generation generation, int id, boolean again);

        /** Stops a worker for good: it finishes its requests and exits, and its slot stays empty. */
        void cheap(WorkerHandle worker);

        /**
         * {@code die-on-idle}: ends the vassal, or asks its emperor to; returns false if the vassal keeps running
         * (then it goes cheap instead).
         */
        boolean dieOnIdle();
    }

    private final Host host;
    private final Consumer<Runnable> post;
    private final Consumer<String> log;
    private final LongSupplier clock;
    private Generation followed;
    private Cheaper cheaper;
    private IdleWatch idle;
    /** The worker ids started so far in the followed generation: a later start of one is a "respawn". */
    private final Set<Integer> spawnedIds = new HashSet<>();
    private boolean cheapMode;
    private volatile boolean waiting;

    /**
     * Creates the scaling for one master.
     *
     * @param host the master
     * @param post runs an event on the master's event loop (used by the thread waiting in cheap mode)
     * @param log receives the log lines
     */
    WorkerScaling(Host host, Consumer<Runnable> post, Consumer<String> log) {
        this(host, post, log, System::currentTimeMillis);
    }

    /** The same, with the clock (epoch ms) that {@code idle} counts with. */
    WorkerScaling(Host host, Consumer<Runnable> post, Consumer<String> log, LongSupplier clock) {
        this.host = host;
        this.post = post;
        this.log = log;
        this.clock = clock;
    }

    /** Returns true if the master must give each worker a scoreboard for this (busy/idle, last request). */
    static boolean needsScoreboard(VassalSettings settings) {
        return settings.cheaper().enabled() || settings.idleSeconds() > 0;
    }

    /**
     * Returns how many workers a new generation starts with: {@code processes}; in cheaper mode
     * {@code cheaper-initial}, or on a reload as many as the serving generation runs now (at most {@code processes}),
     * so that a reload under load keeps the capacity it has.
     *
     * @param generation the generation about to start
     * @param serving the generation serving now, or null (or {@code generation} itself) at the first start
     */
    int startCount(Generation generation, Generation serving) {
        Cheaper.Settings c = generation.settings.cheaper();
        if (!c.enabled()) {
            return generation.settings.processes();
        }
        if (serving == null || serving == generation) {
            return c.initialWorkers();
        }
        return Math.max(c.initialWorkers(), Math.min(activeWorkers(serving), c.maxWorkers()));
    }

    /**
     * Asks for {@code delta} more (or fewer) workers at the next cycle: the master FIFO's {@code +} and {@code -}.
     *
     * @return false if cheaper mode is off (nothing happens, as in uWSGI)
     */
    boolean adjustWorkers(int delta) {
        return cheaper != null && cheaper.adjustWorkers(delta);
    }

    /** Returns the cheaper decisions of the serving generation, or null before the first cycle. */
    Cheaper cheaper() {
        return cheaper;
    }

    /** Returns true while the vassal is in cheap mode (no worker; waiting for a connection). */
    boolean inCheapMode() {
        return cheapMode;
    }

    /** The master cycle: follows a new generation, then checks idle and cheaper. */
    void check() {
        Generation g = host.current();
        if (g == null) {
            return;
        }
        if (g != followed) {
            follow(g);
        }
        if (cheapMode) {
            if (activeWorkers(g) == 0) {
                return; // asleep (the cheaped workers may still be finishing)
            }
            leaveCheapMode(); // a reload started workers again
        }
        if (!host.serving()) {
            return;
        }
        long now = clock.getAsLong();
        boolean anyBusy = false;
        long lastEnd = 0;
        int active = 0;
        int busy = 0;
        for (WorkerHandle w : g.workers.values()) {
            if (!w.alive() || w.cheaped || w.state == WorkerHandle.State.STOPPING) {
                continue;
            }
            active++;
            Scoreboard board = w.scoreboard;
            if (board != null) {
                if (board.busy()) {
                    busy++;
                    anyBusy = true;
                }
                lastEnd = Math.max(lastEnd, board.lastEndMillis());
            }
        }
        if (idle != null && idle.isIdle(now, anyBusy, lastEnd)) {
            goCheap(g, now);
            return;
        }
        if (cheaper != null && cheaper.settings().enabled()) {
            Cheaper.Settings s = cheaper.settings();
            long backlog = s.algo() == Cheaper.Algo.BACKLOG ? backlog(g) : 0;
            long rss = s.rssSoftBytes() > 0 ? residentBytes(g) : 0;
            int free = g.settings.processes() - liveWorkers(g);
            apply(g, cheaper.decide(new Cheaper.Sample(active, busy, free, backlog, rss)));
        }
    }

    private void follow(Generation g) {
        if (followed != null) {
            announce(g.settings); // a reload: its settings may say something new
        }
        followed = g;
        spawnedIds.clear();
        for (int id = 1; id <= g.startWorkers; id++) {
            spawnedIds.add(id);
        }
        cheaper = new Cheaper(g.settings.cheaper(), log);
        idle = g.settings.idleSeconds() > 0 ? new IdleWatch(g.settings.idleSeconds(), clock.getAsLong())
                : null;
    }

    /**
     * Logs what uWSGI logs about these settings when it starts: the warnings about the cheaper options and the
     * threads' stack size.
     */
    void announce(VassalSettings s) {
        s.cheaper().warnings().forEach(log);
        if (s.threadStackSizeKb() > 0) {
            log.accept(s.virtualThreads() ? "thread-stacksize has no effect with imperium-virtual-threads (virtual"
                    + " threads grow their stacks as needed)" : "threads stack size set to " + s.threadStackSizeKb()
                    + "k");
        }
    }

    /** Spawns {@code delta} workers in the lowest free slots, or cheaps {@code -delta} idle ones, oldest first. */
    private void apply(Generation g, int delta) {
        for (int id = 1; id <= g.settings.processes() && delta > 0; id++) {
            if (slotFree(g, id)) {
                host.spawn(g, id, !spawnedIds.add(id));
                delta--;
            }
        }
        while (delta < 0) {
            WorkerHandle oldest = null;
            for (WorkerHandle w : g.workers.values()) {
                if (w.state == WorkerHandle.State.ACCEPTING && !w.cheaped && w.scoreboard != null
                        && !w.scoreboard.busy() && (oldest == null || w.spawnedAtNanos < oldest.spawnedAtNanos)) {
                    oldest = w;
                }
            }
            if (oldest == null) {
                if (cheaper != null) {
                    cheaper.adjustWorkers(delta); // uWSGI: "return it to the pool", tried again next cycle
                }
                return;
            }
            host.cheap(oldest);
            delta++;
        }
    }

    private static boolean slotFree(Generation g, int id) {
        WorkerHandle w = g.workers.get(id);
        return w == null || !w.alive();
    }

    private static int liveWorkers(Generation g) {
        int live = 0;
        for (WorkerHandle w : g.workers.values()) {
            if (w.alive()) {
                live++;
            }
        }
        return live;
    }

    private static int activeWorkers(Generation g) {
        int active = 0;
        for (WorkerHandle w : g.workers.values()) {
            if (w.alive() && !w.cheaped && w.state != WorkerHandle.State.STOPPING) {
                active++;
            }
        }
        return active;
    }

    /** The fullest accept queue of the generation's TCP sockets (uWSGI reads only TCP ones on Linux). */
    private static long backlog(Generation g) {
        long max = 0;
        for (ListenSocket socket : g.sockets) {
            long[] queue = socket.unixPath() == null ? ListenQueue.tcpQueue(socket.fd()) : null;
            if (queue != null) {
                max = Math.max(max, queue[0]);
            }
        }
        return max;
    }

    private static long residentBytes(Generation g) {
        long total = 0;
        for (WorkerHandle w : g.workers.values()) {
            if (w.alive() && !w.cheaped && w.pid > 0) {
                total += Math.max(0, WorkerLimits.residentBytes(Long.toString(w.pid)));
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- cheap mode

    /** uWSGI's {@code uwsgi_master_check_idle}: every worker goes (or the vassal, with {@code die-on-idle}). */
    private void goCheap(Generation g, long now) {
        log.accept(idle.inactiveLine(now));
        if (g.settings.dieOnIdle() && host.dieOnIdle()) {
            return;
        }
        sleep(g);
    }

    /**
     * The master FIFO's {@code C} (uWSGI's {@code uwsgi_go_cheap}): every worker goes now (after its requests in
     * flight; uWSGI kills them), and the next connection brings them back, as after {@code idle}.
     *
     * @return false if the vassal is not serving or is already cheap
     */
    boolean goCheapNow() {
        Generation g = host.current();
        if (g == null || cheapMode || !host.serving()) {
            return false;
        }
        log.accept("going cheap...");
        sleep(g);
        return true;
    }

    /** Cheaps every worker and waits for a connection on the sockets. */
    private void sleep(Generation g) {
        for (WorkerHandle w : new ArrayList<>(g.workers.values())) {
            if (w.alive() && w.state != WorkerHandle.State.STOPPING) {
                host.cheap(w);
            }
        }
        cheapMode = true;
        log.accept("cheap mode enabled: waiting for socket connection...");
        int[] fds = g.sockets.stream().mapToInt(ListenSocket::fd).toArray();
        if (fds.length == 0) {
            return;
        }
        waiting = true;
        Thread.ofPlatform().name("cheap-mode-wait").daemon(true).start(() -> {
            while (waiting) {
                if (ListenQueue.awaitConnection(fds, 200)) {
                    post.accept(this::wake);
                    return;
                }
            }
        });
    }

    /**
     * A connection arrived in cheap mode (uWSGI's {@code master_events.c}): the workers come back, {@code cheaper}
     * of them in cheaper mode, else {@code processes}; the connection waits in the accept queue for the first.
     */
    private void wake() {
        if (!cheapMode) {
            return;
        }
        leaveCheapMode();
        Generation g = host.current();
        if (g == null || !host.serving()) {
            return;
        }
        int needed = g.settings.cheaper().enabled() ? g.settings.cheaper().minWorkers() : g.settings.processes();
        for (int id = 1; id <= g.settings.processes() && needed > 0; id++) {
            if (slotFree(g, id) || g.workers.get(id).cheaped) {
                spawnedIds.add(id);
                host.spawn(g, id, true);
                needed--;
            }
        }
    }

    private void leaveCheapMode() {
        cheapMode = false;
        waiting = false;
        if (idle != null) {
            idle.restart(clock.getAsLong());
        }
    }

    /** Stops waiting for connections (the vassal stops). */
    void stop() {
        waiting = false;
    }
}
