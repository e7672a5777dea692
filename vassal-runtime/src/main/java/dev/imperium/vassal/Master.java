package dev.imperium.vassal;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.ConfigException;
import dev.imperium.config.Diagnostic;
import dev.imperium.config.VassalConfig;
import dev.imperium.control.ControlConnection;
import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.control.WorkerMessage;
import dev.imperium.os.Credentials;
import dev.imperium.os.FileLimits;
import dev.imperium.os.Posix;
import dev.imperium.os.Signals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The vassal master: binds the vassal's sockets once, runs its worker JVMs, replaces them on reload and stops them.
 *
 * <p>Everything the master knows lives on one event-loop thread; other threads (signal handlers, control-channel
 * readers, process-exit callbacks, timers) only {@link #post} work to it. The life of the master:
 * <pre>
 *   STARTING --all generation-1 workers accepting--> RUNNING
 *   RUNNING --reload (emperor, SIGHUP)--> RELOADING --all new workers accepting--> RUNNING (old ones retired)
 *                                                    --a new worker fails / times out--> RUNNING (old ones kept)
 *   RUNNING --chain reload (touch-chain-reload, FIFO c)--> RELOADING, one slot at a time ({@link ChainReload})
 *   any --stop (emperor, SIGTERM graceful; SIGINT brutal; FIFO q/Q)--> STOPPING --all workers gone--> exit
 * </pre>
 * The master FIFO ({@link MasterFifoReader}) and the signals SIGUSR1 (stats) and SIGTSTP (pause) post their
 * commands to the same loop.
 * Worker events follow uWSGI's log lines (uwsgi-measured.md §6); a reload differs from uWSGI's on purpose: the new
 * generation starts beside the old one and the old one is retired only once the new one accepts, so no request
 * fails and a broken config or app leaves the old generation serving.
 */
public final class Master {
    /** Where the master is in its life. */
    enum State { STARTING, RUNNING, RELOADING, STOPPING }

    /** How long a new generation may take until every worker accepts, in seconds. */
    static final int GENERATION_START_TIMEOUT_SECONDS = 60;

    private final String spec;
    private final Path cwd;
    private final VassalConfigSource configSource;
    private final EmperorLink emperor;
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "master-timers");
        t.setDaemon(true);
        return t;
    });
    private final SecureRandom random = new SecureRandom();
    private final Map<String, WorkerHandle> byToken = new HashMap<>();
    private final Set<WorkerHandle> retiring = new LinkedHashSet<>();
    private final Set<ListenSocket> socketsToClose = new LinkedHashSet<>();
    /** Issue 8: chaos. The emperor's socket keeper, or null (no emperor, or imperium-emperor-sockets = false). */
    private EmperorSockets keeper;
    /** Issue 8: chaos. Sockets the emperor kept from a master that died, until start() has matched them. */
    private final List<ListenSocket> keptByEmperor = new ArrayList<>();
    /** Issue 8: chaos. The sockets offered to the next emperor after this one died, or null. */
    private OrphanOffer orphanOffer;
    /** Issue 8: chaos. The fds last given to the keeper, so that it is told only of changes. */
    private List<Integer> offeredFds = List.of();
    /** Issue 7: on-demand vassals. The listening socket inherited as fd 0 (StdinSocket), or null. */
    private ListenSocket stdinSocket;
    /** The {@code http} router processes, or null when the vassal has no {@code http} option. */
    private HttpRouters routers;
    /** Routers a reload replaced, finishing their connections; their sockets close once they are gone. */
    private final List<HttpRouters> retiringRouters = new ArrayList<>();

    private WorkerControlServer controlServer;
    private ScheduledFuture<?> harakiriCheck;
    /** The {@code touch-reload} files of the current generation; checked once a second. */
    private TouchWatch touchWatch;
    private List<String> touchWatchPaths = List.of();
    private WorkerLauncher launcher;
    private State state = State.STARTING;
    private Generation current;
    private Generation pending;
    private ScheduledFuture<?> pendingTimeout;
    private boolean reloadQueued;
    private boolean loyal;
    private boolean graceful;
    private int exitCode;
    private boolean finished;
    /** The vassal's log (Logging, issue 6), or null when run without one (tests). */
    private VassalLogging logging;
    // Master operations: chain reload, master FIFO, pause, harakiri extras.
    /** The chain reload in progress (the new workers form {@link #pending}), or null. */
    private ChainReload chain;
    private MasterFifoReader fifo;
    private List<String> fifoPaths = List.of();
    /** The {@code touch-chain-reload} files of the current generation; checked once a second. */
    private TouchWatch chainTouchWatch;
    private List<String> chainTouchPaths = List.of();
    /** Set by the FIFO's {@code p} (or SIGTSTP): the workers accept no connection. */
    private boolean paused;
    /** Set for the reload in progress when it came from FIFO {@code R} or {@code W}: the old workers are killed. */
    private boolean retireBrutally;

    // Workers: cheaper, idle, threads, attached daemons.
    private WorkerScaling scaling;
    private AttachedDaemons daemons;

    // Stats server (issue 6).
    private final VassalStats stats = new VassalStats();
    private StatsServer statsServer;
    private StatsReporter statsReporter;

    // Issue 7: broodlord. Sockets taken from zerg servers, this master's own zerg server, the SOS check.
    private dev.imperium.zerg.ZergAttachment zergSockets = dev.imperium.zerg.ZergAttachment.NONE;
    private dev.imperium.zerg.ZergServer zergServer;
    private dev.imperium.zerg.SosWatch sos;

    /**
     * Creates a master for one vassal file.
     *
     * @param spec the vassal file, optionally with {@code :section}
     * @param configSource reads and resolves the file (again on every reload)
     * @param emperor the emperor's control channel, or null when run alone
     */
    Master(String spec, VassalConfigSource configSource, EmperorLink emperor) {
        this.spec = spec;
        this.cwd = Path.of("").toAbsolutePath();
        this.configSource = configSource;
        this.emperor = emperor;
    }

    /** Makes the master write the vassal's log, and its children's output, through {@code logging}. */
    Master useLogging(VassalLogging logging) {
        this.logging = logging;
        return this;
    }

    /**
     * Issue 7: broodlord. Makes the master serve the sockets a zerg took from its zerg servers: they are the first
     * sockets of its settings ({@link dev.imperium.zerg.ZergAttachment#inject}), used as they are instead of bound.
     */
    Master useZergSockets(dev.imperium.zerg.ZergAttachment attachment) {
        this.zergSockets = attachment;
        return this;
    }

    /** Hands work to the event-loop thread. Callable from any thread. */
    void post(Runnable event) {
        events.add(event);
    }

    /**
     * Runs the vassal until it stops; returns the exit code (0 after a requested stop).
     *
     * @param settings the settings read from the vassal file at start
     */
    int run(VassalSettings settings) {
        try {
            start(settings);
        } catch (IOException | RuntimeException e) {
            return fatal(e.getMessage() == null ? e.toString() : e.getMessage(), 1);
        }
        while (!finished) {
            try {
                events.take().run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                Log.error("master: internal error", e);
            }
        }
        timers.shutdownNow();
        if (orphanOffer != null) {
            orphanOffer.close(); // Issue 8: chaos
        }
        if (launcher != null) {
            launcher.close();
        }
        if (logging != null) {
            logging.drain(java.time.Duration.ofSeconds(1)); // the children's last lines
        }
        return exitCode;
    }

    private void start(VassalSettings settings) throws IOException {
        stdinSocket = StdinSocket.adopt(); // Issue 7: on-demand vassals
        takeKeptSockets(settings); // Issue 8: chaos
        if (emperor != null && settings.emperorGraceSeconds() > 0) {
            Posix.setParentDeathSignal(0); // Issue 8: chaos. Outlive a killed emperor (imperium-emperor-grace)
        }
        if (settings.sockets().isEmpty() && stdinSocket == null) {
            throw new IOException("no socket defined: set http-socket (e.g. http-socket = 127.0.0.1:8080) or socket"
                    + " (uwsgi protocol, e.g. socket = 127.0.0.1:3031)");
        }
        applyUmask(settings);
        checkPrivileges(settings);
        if (settings.pidfile() != null) {
            Files.writeString(cwd.resolve(settings.pidfile()), ProcessHandle.current().pid() + "\n");
        }
        Path workDir = settings.workDir(cwd);
        if (!Files.isDirectory(workDir)) {
            throw new IOException("chdir(): No such file or directory: " + workDir);
        }
        controlServer = new WorkerControlServer();
        List<ListenSocket> sockets = bindSockets(settings, workDir, List.of());
        RouterSettings router = RouterSettings.from(settings.config());
        List<ListenSocket> routerSockets = List.of();
        if (router != null) {
            try {
                routerSockets = bindRouterSockets(router, settings, workDir, List.copyOf(keptByEmperor));
                keptByEmperor.removeAll(routerSockets); // Issue 8: chaos
            } catch (IOException e) {
                sockets.forEach(ListenSocket::close);
                throw e;
            }
        }
        keptByEmperor.forEach(ListenSocket::close); // Issue 8: chaos. Kept sockets the file no longer declares
        keptByEmperor.clear();
        Log.line("your server socket listen backlog is limited to " + settings.listenBacklog() + " connections");
        Log.line("your mercy for graceful operations on workers is " + settings.workerMercySeconds() + " seconds");
        logFileLimit(settings, router); // Issue 8: slow clients.

        controlServer.start((c, f) -> post(() -> onWorkerFrame(c, f)), c -> { });
        launcher = new WorkerLauncher(controlServer.socketPath());
        if (logging != null) {
            launcher.collectOutputWith(logging);
            timers.scheduleAtFixedRate(() -> post(logging::tick), 1, 1, TimeUnit.SECONDS);
        }

        Signals.on("HUP", () -> post(() -> reload("SIGHUP")));
        Signals.on("TERM", () -> post(() -> stop(true, "SIGTERM received: graceful stop")));
        Signals.on("INT", () -> post(() -> stop(false, "SIGINT/SIGTERM received...killing workers...")));
        Signals.on("USR1", () -> post(this::logStats));
        Signals.on("TSTP", () -> post(this::togglePause));
        if (emperor != null) {
            emperor.start(f -> post(() -> onEmperorFrame(f)), () -> post(this::onEmperorLost));
        }

        Log.line("spawned uWSGI master process (pid: " + ProcessHandle.current().pid() + ")");
        if (emperor != null) {
            emperor.spawned();
        }
        current = new Generation(1, settings, sockets);
        startFifo(settings, workDir);
        startStats(settings, workDir); // Stats server (issue 6)
        startHeartbeat(); // Emperor options (issue 7)
        startBroodlord(settings, workDir); // Issue 7: broodlord
        startWorkerManagement(settings, workDir); // Workers: cheaper, idle, attached daemons
        if (router != null) {
            routers = new HttpRouters(router, routerSockets, routerArguments(router, current), launcher, this::post,
                    timers, this::afterWorkerGone);
            routers.start(settings, workDir);
        }
        watchTouches(settings);
        timers.scheduleAtFixedRate(() -> post(this::checkTouches), 1, 1, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(() -> post(this::checkLimits), 1, 1, TimeUnit.SECONDS);
        offerSockets(); // Issue 8: chaos
        spawnGeneration(current);
        armTimeout(current);
    }

    // ---------------------------------------------------------------- issue 8: chaos (emperor-held sockets)

    /** Takes the sockets the emperor kept from a master of this vassal that died; logs how many. */
    private void takeKeptSockets(VassalSettings settings) {
        if (emperor == null || !settings.emperorSockets()) {
            return;
        }
        keeper = EmperorSockets.fromEnvironment(System.getenv());
        if (keeper == null) {
            return;
        }
        try {
            keptByEmperor.addAll(keeper.take());
        } catch (IOException e) {
            Log.line("cannot take the sockets kept by the emperor: " + e.getMessage());
        }
    }

    /**
     * Returns the socket the emperor kept for {@code spec}'s address (now this master's, described by {@code spec}),
     * or null.
     */
    private ListenSocket keptSocket(SocketSpec spec, Path workDir) {
        for (ListenSocket kept : keptByEmperor) {
            if (kept.sameAddress(spec, workDir)) {
                keptByEmperor.remove(kept);
                return new ListenSocket(spec, kept.fd(), kept.address(), kept.unixPath());
            }
        }
        return null;
    }

    /**
     * Gives the emperor a copy of the sockets clients connect to (the workers' and the http routers'; not the
     * router's internal hop, an on-demand socket or a zerg's, which are someone else's or die with this master), when
     * they changed since the last time.
     */
    private void offerSockets() {
        if (keeper == null) {
            return;
        }
        List<ListenSocket> offer = publicSockets();
        List<Integer> fds = offer.stream().map(ListenSocket::fd).distinct().sorted().toList();
        if (fds.equals(offeredFds)) {
            return;
        }
        try {
            keeper.offer(offer);
            offeredFds = fds;
        } catch (IOException e) {
            Log.line("cannot give the emperor a copy of the sockets: " + e.getMessage());
        }
    }

    /** The sockets clients connect to, this master's own (see {@link #offerSockets}). */
    private List<ListenSocket> publicSockets() {
        List<ListenSocket> offer = new ArrayList<>();
        for (ListenSocket socket : current.sockets) {
            boolean hop = socket.unixPath() != null && controlServer != null
                    && socket.unixPath().startsWith(controlServer.directory());
            boolean foreign = (stdinSocket != null && socket.fd() == stdinSocket.fd())
                    || zergSockets.sockets().stream().anyMatch(z -> z.fd() == socket.fd());
            if (!hop && !foreign) {
                offer.add(socket);
            }
        }
        if (routers != null) {
            offer.addAll(routers.sockets());
        }
        return offer;
    }

    /**
     * The emperor died, and {@code imperium-emperor-grace} is set: keep serving, offer the sockets to the next
     * emperor ({@link OrphanOffer}), and stop gracefully when it says so (SIGTERM) or when the grace has passed.
     */
    private void orphaned(int graceSeconds) {
        orphanOffer = OrphanOffer.open(System.getenv(), publicSockets());
        Log.line("no emperor: serving for " + graceSeconds + " more seconds, until a new emperor takes over"
                + (orphanOffer == null ? "" : " (offering the sockets on " + orphanOffer.file() + ")"));
        timers.schedule(() -> post(() -> {
            if (state != State.STOPPING) {
                Log.line("no emperor took over in " + graceSeconds + " seconds (imperium-emperor-grace)");
                stop(true, "...gracefully killing workers...");
            }
        }), graceSeconds, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- the http router


    /**
     * Logs the file descriptor limit the workers and routers inherit, in uWSGI's words ({@code detected max file
     * descriptor number: N}), and says so when {@code imperium-max-connections} does not fit under it (each process
     * then holds fewer connections). Issue 8: slow clients.
     */
    private static void logFileLimit(VassalSettings settings, RouterSettings router) {
        long limit = FileLimits.softLimit();
        if (limit < 0) {
            return;
        }
        Log.line("detected max file descriptor number: " + limit);
        int workers = FileLimits.connectionsWithin(settings.maxConnections(), limit, 1);
        if (workers < settings.maxConnections()) {
            Log.line("imperium-max-connections = " + settings.maxConnections() + " does not fit the file descriptor"
                    + " limit (" + limit + "): each worker holds at most " + workers + " connections");
        }
        if (router != null) {
            int routers = FileLimits.connectionsWithin(router.maxConnections(), limit, 2);
            if (routers < router.maxConnections()) {
                Log.line("imperium-max-connections = " + router.maxConnections() + " does not fit the file"
                        + " descriptor limit (" + limit + "): each http router holds at most " + routers
                        + " connections");
            }
        }
    }
    /**
     * Binds the router's public addresses, reusing each socket of {@code reusable} (the running routers') whose
     * address is unchanged, and logs {@code uWSGI http bound on ADDR fd N} for each new one. On a failure the sockets
     * bound here are closed.
     *
     * @throws IOException naming the address that could not be bound
     */
    private List<ListenSocket> bindRouterSockets(RouterSettings router, VassalSettings settings, Path workDir,
            List<ListenSocket> reusable) throws IOException {
        List<ListenSocket> result = new ArrayList<>();
        List<ListenSocket> fresh = new ArrayList<>();
        try {
            for (SocketSpec address : router.addresses()) {
                ListenSocket reused = null;
                for (ListenSocket candidate : reusable) {
                    if (!result.contains(candidate) && candidate.sameAddress(address, workDir)) {
                        reused = candidate;
                        break;
                    }
                }
                if (reused != null) {
                    result.add(reused);
                    continue;
                }
                ListenSocket bound = ListenSocket.bind(address, workDir, settings.listenBacklog(),
                        UnixSocketOptions.from(settings.config()));
                fresh.add(bound);
                result.add(bound);
                Log.line("uWSGI http bound on " + bound.address() + " fd " + bound.fd());
            }
        } catch (IOException e) {
            fresh.forEach(ListenSocket::close);
            throw e;
        }
        return result;
    }

    /**
     * Returns the router processes' options for {@code generation}: its own first uwsgi socket unless
     * {@code http-to} names nodes, and the user to drop to (the internal socket is then opened to it).
     */
    private List<String> routerArguments(RouterSettings router, Generation generation) throws IOException {
        VassalSettings settings = generation.settings;
        List<String> nodes = router.nodes().isEmpty() ? List.of(ownNode(generation)) : router.nodes();
        List<String> arguments = new ArrayList<>(router.arguments(nodes, settings.bufferSize(), settings.limitPost()));
        PrivilegeDrop drop = PrivilegeDrop.from(settings.config());
        if (drop.drops(Credentials.effectiveUid())) {
            arguments.addAll(drop.routerArguments());
            grantRouterHop(settings, generation.sockets);
        }
        return arguments;
    }

    /**
     * After a reload committed: when the router's options, its addresses or the node it forwards to changed, starts
     * new routers (on the same sockets where the addresses are unchanged) and retires the old ones gracefully, as
     * the workers are: the public ports never stop accepting. A new address that cannot be bound keeps the old
     * routers and says so.
     */
    private void reconcileRouters() {
        RouterSettings next = RouterSettings.from(current.settings.config());
        Path workDir = current.settings.workDir(cwd);
        List<String> arguments;
        try {
            arguments = next == null ? List.of() : routerArguments(next, current);
        } catch (IOException e) {
            Log.line("the http router keeps its options: " + e.getMessage());
            return;
        }
        if (routers != null && next != null && next.equals(routers.settings())
                && arguments.equals(routers.arguments())) {
            return;
        }
        if (routers == null && next == null) {
            return;
        }
        HttpRouters replacement = null;
        if (next != null) {
            List<ListenSocket> sockets;
            try {
                sockets = bindRouterSockets(next, current.settings, workDir,
                        routers == null ? List.of() : routers.sockets());
            } catch (IOException e) {
                Log.line("the http router keeps its options: " + e.getMessage());
                return;
            }
            replacement = new HttpRouters(next, sockets, arguments, launcher, this::post, timers,
                    this::afterWorkerGone);
        }
        Log.line(replacement == null ? "the http router is no longer configured: retiring it"
                : "the http router changed: starting new router processes, retiring the old ones");
        if (routers != null) {
            retiringRouters.add(routers);
            routers.stop(true, current.settings.workerMercySeconds());
        }
        routers = replacement;
        if (routers != null) {
            routers.start(current.settings, workDir);
        }
    }

    /** Forgets replaced routers that are gone, closing their sockets that the current routers do not use. */
    private void pruneRetiredRouters() {
        for (java.util.Iterator<HttpRouters> it = retiringRouters.iterator(); it.hasNext();) {
            HttpRouters old = it.next();
            if (old.anyAlive()) {
                continue;
            }
            it.remove();
            for (ListenSocket socket : old.sockets()) {
                if (routers == null || !routers.sockets().contains(socket)) {
                    closeSocket(socket);
                }
            }
        }
    }

    /**
     * Refuses workers that would run as root without an explicit yes, and logs the user and group they drop to
     * ({@link PrivilegeDrop}).
     *
     * @throws IllegalArgumentException with the refusal, or when the user or group does not exist
     */
    private static void checkPrivileges(VassalSettings settings) {
        PrivilegeDrop drop = PrivilegeDrop.from(settings.config());
        int euid = Credentials.effectiveUid();
        String refusal = drop.refusal(euid);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        drop.logLines(euid).forEach(Log::line);
    }

    /**
     * Lets routers that drop privileges reach the internal uwsgi socket in the master's private directory: the
     * socket file goes to their user and group, the directory to their group with search permission only (0710).
     */
    private void grantRouterHop(VassalSettings settings, List<ListenSocket> sockets) throws IOException {
        PrivilegeDrop drop = PrivilegeDrop.from(settings.config());
        if (!drop.drops(Credentials.effectiveUid())) {
            return;
        }
        for (ListenSocket socket : sockets) {
            if (socket.unixPath() != null && socket.unixPath().getParent().equals(controlServer.directory())) {
                if (drop.uid() >= 0) {
                    Files.setAttribute(socket.unixPath(), "unix:uid", drop.uid());
                }
                if (drop.gid() >= 0) {
                    Files.setAttribute(socket.unixPath(), "unix:gid", drop.gid());
                    Files.setAttribute(controlServer.directory(), "unix:gid", drop.gid());
                    Files.setPosixFilePermissions(controlServer.directory(),
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x---"));
                }
            }
        }
    }

    /**
     * Sets the process's {@code umask} (uWSGI applies it as soon as the option is read, before anything is created);
     * workers and routers inherit it. A reload applies a changed one.
     */
    private static void applyUmask(VassalSettings settings) {
        int umask = UnixSocketOptions.from(settings.config()).umask();
        if (umask >= 0) {
            Posix.umask(umask);
        }
    }

    // ---------------------------------------------------------------- Workers: cheaper, idle, attached daemons

    /** Starts the cheaper/idle checks and the attached daemons, and the once-a-second cycle that drives them. */
    private void startWorkerManagement(VassalSettings settings, Path workDir) {
        scaling = new WorkerScaling(new ScalingHost(), this::post, Log::line);
        scaling.announce(settings);
        daemons = new AttachedDaemons(launcher::startDaemon, this::post, timers, Log::line,
                this::onControlDaemonDeath, this::afterWorkerGone);
        daemons.start(settings, workDir, current.number);
        timers.scheduleAtFixedRate(() -> post(this::workerChecks), 1, 1, TimeUnit.SECONDS);
    }

    private void workerChecks() {
        if (state == State.STOPPING) {
            return;
        }
        checkSos(); // Issue 7: broodlord
        scaling.check();
        if (state == State.RUNNING && daemons.generation() != current.number) {
            // a reload committed: the daemons follow it
            daemons.reload(current.settings, current.settings.workDir(cwd), current.number);
        }
        daemons.check();
    }

    /**
     * Adds ({@code delta > 0}) or cheaps workers at the next cycle in cheaper mode: the master FIFO's {@code +} and
     * {@code -}. Call on the event loop.
     *
     * @return false if cheaper mode is off (uWSGI ignores the command then)
     */
    boolean adjustWorkers(int delta) {
        return scaling != null && scaling.adjustWorkers(delta);
    }

    /** uWSGI's {@code attach-control-daemon}: its death stops the vassal gracefully. */
    private void onControlDaemonDeath() {
        if (state != State.STOPPING) {
            Log.stamped("graceful shutdown triggered...");
            stop(true, "...gracefully killing workers...");
        }
    }

    /** What {@link WorkerScaling} may do to the master. */
    private final class ScalingHost implements WorkerScaling.Host {
        @Override
        public Generation current() {
            return current;
        }

        @Override
        public boolean serving() {
            return state == State.RUNNING;
        }

        @Override
        public void spawn(Generation generation, int id, boolean again) {
            spawnWorker(generation, id, again);
        }

        @Override
        public void cheap(WorkerHandle handle) {
            if (!handle.alive() || handle.state == WorkerHandle.State.STOPPING) {
                return;
            }
            // uWSGI curses it with SIGWINCH: it ends after its requests in flight
            handle.cheaped = true;
            retiring.add(handle);
            handle.state = WorkerHandle.State.STOPPING;
            handle.stopRequestedAtNanos = System.nanoTime();
            handle.send(Frame.of(WorkerMessage.STOP_GRACEFUL));
            int mercy = handle.generation.settings.workerMercySeconds();
            timers.schedule(() -> post(() -> noMercy(handle)), mercy, TimeUnit.SECONDS);
        }

        @Override
        public boolean dieOnIdle() {
            if (emperor != null) {
                emperor.askToStop(); // uWSGI's message 22; until the emperor acts, the vassal goes cheap
                return false;
            }
            stop(true, "...gracefully killing workers...");
            return true;
        }
    }

    // ---------------------------------------------------------------- workers

    private void spawnGeneration(Generation generation) {
        generation.startWorkers = scaling.startCount(generation, current); // Workers: cheaper-initial
        for (int id = 1; id <= generation.startWorkers; id++) {
            spawnWorker(generation, id, false);
        }
    }

    private void spawnWorker(Generation generation, int id, boolean respawn) {
        byte[] tokenBytes = new byte[16];
        random.nextBytes(tokenBytes);
        WorkerHandle handle = new WorkerHandle(id, generation, HexFormat.of().formatHex(tokenBytes));
        WorkerHandle previous = generation.workers.put(id, handle);
        byToken.put(handle.token, handle);
        watchForHarakiri(handle); // every worker has a scoreboard: its counters feed the stats (issue 6)
        stats.spawned(handle);
        launcher.start(handle, generation.settings.workDir(cwd)).whenComplete((process, error) -> post(() -> {
            if (error != null) {
                handle.fatalReason = error.getMessage();
                Log.line("unable to spawn worker " + id + ": " + error.getMessage());
                onWorkerExit(handle, -1);
                return;
            }
            handle.process = process;
            handle.pid = process.pid();
            if (respawn) {
                Log.line("Respawned uWSGI worker " + id + " (new pid: " + handle.pid + ")");
            } else {
                Log.line("spawned uWSGI worker " + id + " (pid: " + handle.pid + ", cores: "
                        + generation.settings.threads() + ")");
            }
            if (handle.stopRequestedAtNanos != 0) {
                Posix.kill(handle.pid, Posix.SIGKILL);
            }
            process.onExit().thenAccept(p -> post(() -> onWorkerExit(handle, p.exitValue())));
        }));
        if (previous != null) {
            byToken.remove(previous.token);
        }
    }

    private void onWorkerFrame(ControlConnection connection, Frame frame) {
        if (frame.type() == WorkerMessage.HELLO) {
            String[] parts = frame.text().split(" ");
            WorkerHandle handle = parts.length >= 3 ? byToken.get(parts[2]) : null;
            if (handle == null || handle.connection != null) {
                connection.close();
                return;
            }
            handle.connection = connection;
            sendConfig(handle);
            if (paused) {
                handle.send(Frame.of(WorkerMessage.PAUSE));
            }
            if (handle.state == WorkerHandle.State.STOPPING) {
                handle.send(Frame.of(WorkerMessage.STOP));
            }
            return;
        }
        WorkerHandle handle = handleOf(connection);
        if (handle == null) {
            return;
        }
        switch (frame.type()) {
            case WorkerMessage.ACCEPTING -> onWorkerAccepting(handle);
            case WorkerMessage.FIRST_REQUEST -> {
                if (!loyal) {
                    loyal = true;
                    if (emperor != null) {
                        Log.line("announcing my loyalty to the Emperor...");
                        emperor.loyal();
                    }
                }
            }
            case WorkerMessage.FATAL -> handle.fatalReason = frame.text();
            case WorkerMessage.RECYCLING -> onWorkerRecycling(handle);
            default -> { }
        }
    }

    /**
     * A worker served its {@code max-requests} and is finishing its requests in flight: it gets the worker mercy to
     * exit, and its replacement starts now (uWSGI starts it after the exit; a JVM takes long enough to start that
     * overlapping them keeps the vassal's capacity).
     */
    private void onWorkerRecycling(WorkerHandle handle) {
        boolean chained = chain != null && handle.generation == pending; // a new worker of a chain reload
        if (handle.generation != current && !chained || state == State.STOPPING
                || handle.state == WorkerHandle.State.STOPPING) {
            return;
        }
        handle.recycling = true;
        handle.state = WorkerHandle.State.STOPPING;
        handle.stopRequestedAtNanos = System.nanoTime();
        retiring.add(handle);
        int mercy = handle.generation.settings.workerMercySeconds();
        timers.schedule(() -> post(() -> noMercy(handle)), mercy, TimeUnit.SECONDS);
        spawnWorker(handle.generation, handle.id, true);
    }

    /**
     * Once a second, as uWSGI's master ({@code core/master_checks.c}): a worker of the current generation that has
     * lived past {@code max-worker-lifetime} is recycled gracefully ({@code worker N lifetime reached, it was running
     * for S second(s)}: it finishes its requests while its replacement starts); one whose resident memory reached
     * {@code evil-reload-on-rss} is killed at once ({@code *** EVIL RELOAD ON WORKER N RSS: BYTES (pid: P) ***}) and
     * respawned as after any death.
     */
    private void checkLimits() {
        if (current == null || state == State.STOPPING || !current.limits.masterChecks()) {
            return;
        }
        WorkerLimits limits = current.limits;
        for (WorkerHandle handle : new ArrayList<>(current.workers.values())) {
            if (handle.state != WorkerHandle.State.ACCEPTING || handle.pid <= 0) {
                continue;
            }
            if (limits.evilReloadOnRssBytes() > 0) {
                long rss = WorkerLimits.residentBytes(Long.toString(handle.pid));
                if (rss >= limits.evilReloadOnRssBytes()) {
                    Log.line("*** EVIL RELOAD ON WORKER " + handle.id + " RSS: " + rss + " (pid: " + handle.pid
                            + ") ***");
                    stats.mark(handle, dev.imperium.stats.RestartReason.EVIL_RELOAD_ON_RSS);
                    Posix.kill(handle.pid, Posix.SIGKILL);
                    continue;
                }
            }
            long lifetime = limits.lifetimeSeconds(handle.id);
            long age = (System.nanoTime() - handle.spawnedAtNanos) / 1_000_000_000L;
            if (lifetime > 0 && age > lifetime) {
                Log.line("worker " + handle.id + " lifetime reached, it was running for " + age + " second(s)");
                if (handle.connection != null) {
                    handle.connection.trySend(Frame.of(WorkerMessage.STOP_GRACEFUL));
                }
                stats.mark(handle, dev.imperium.stats.RestartReason.MAX_WORKER_LIFETIME);
                onWorkerRecycling(handle);
            }
        }
    }

    /** Starts watching a generation's {@code touch-reload} files, unless they are the ones already watched. */
    private void watchTouches(VassalSettings settings) {
        if (chainTouchWatch == null || !settings.touchChainReload().equals(chainTouchPaths)) {
            chainTouchPaths = settings.touchChainReload();
            chainTouchWatch = new TouchWatch(settings.workDir(cwd), chainTouchPaths, Log::line);
        }
        if (touchWatch != null && settings.touchReload().equals(touchWatchPaths)) {
            return;
        }
        touchWatchPaths = settings.touchReload();
        touchWatch = new TouchWatch(settings.workDir(cwd), touchWatchPaths, Log::line);
    }

    /**
     * uWSGI's master cycle check of {@code touch-reload} (a touched file reloads gracefully, once) and of
     * {@code touch-chain-reload} (a chain reload).
     */
    private void checkTouches() {
        if (state != State.RUNNING || touchWatch == null) {
            return; // while starting or reloading the touch waits: the file's new time is compared afterwards
        }
        String touched = touchWatch.check();
        if (touched != null) {
            Log.stamped("*** " + touched + " has been touched... grace them all !!! ***");
            reload("touch-reload");
            return;
        }
        String chained = chainTouchWatch == null ? null : chainTouchWatch.check();
        if (chained != null) {
            Log.stamped("*** " + chained + " has been touched... chain reload !!! ***");
            chainReload("touch-chain-reload");
        }
    }

    private WorkerHandle handleOf(ControlConnection connection) {
        for (WorkerHandle h : byToken.values()) {
            if (h.connection == connection) {
                return h;
            }
        }
        return null;
    }

    private void sendConfig(WorkerHandle handle) {
        for (ConfigEntry entry : handle.generation.settings.config().entries()) {
            handle.send(new Frame(WorkerMessage.CONFIG_ENTRY, ConfigWire.encode(entry)));
        }
        handle.send(Frame.of(WorkerMessage.CONFIG_END, handle.generation.settings.config().file().toString()));
    }

    private void onWorkerAccepting(WorkerHandle handle) {
        if (handle.state != WorkerHandle.State.STARTING) {
            return;
        }
        handle.state = WorkerHandle.State.ACCEPTING;
        Generation generation = handle.generation;
        if (generation == current && state == State.STARTING && generation.allAccepting()) {
            cancelTimeout();
            state = State.RUNNING;
            Log.line("*** generation " + generation.number + " accepting: " + generation.workers.size()
                    + " worker(s) ready in " + generation.elapsedMillis() + " ms ***");
            if (emperor != null) {
                emperor.accepting(generation.number);
            }
            runQueuedReload();
        } else if (generation == pending && chain != null) {
            chain.newAccepting(handle.id);
        } else if (generation == current && chain != null) {
            chain.oldAccepting(handle.id);
        } else if (generation == pending && generation.allAccepting()) {
            commitReload();
        }
    }

    /**
     * Gives a worker a scoreboard file (read by {@link #checkHarakiri}) and starts the once-a-second check, as uWSGI's
     * master checks every cycle. Without a file the worker still runs, without harakiri (logged).
     */
    private void watchForHarakiri(WorkerHandle handle) {
        // one file per process: a replacement starts while the worker it replaces may still finish its requests
        Path file = controlServer.directory().resolve("scoreboard-" + handle.generation.number + "-" + handle.id
                + "-" + Long.toHexString(handle.spawnedAtNanos));
        try {
            handle.scoreboard = Scoreboard.create(file, handle.generation.settings.threads());
            handle.scoreboardFile = file;
        } catch (IOException e) {
            Log.line("cannot create the harakiri scoreboard of worker " + handle.id + ": " + e.getMessage()
                    + "; no harakiri and no stats for it");
            return;
        }
        VassalSettings settings = handle.generation.settings;
        if (harakiriCheck == null && (settings.harakiriSeconds() > 0 || WorkerScaling.needsScoreboard(settings))) {
            harakiriCheck = timers.scheduleAtFixedRate(() -> post(this::checkHarakiri), 1, 1, TimeUnit.SECONDS);
        }
    }

    private static void forgetScoreboard(WorkerHandle handle) {
        if (handle.scoreboard != null) {
            handle.scoreboard.close();
            handle.scoreboard = null;
            try {
                Files.deleteIfExists(handle.scoreboardFile);
            } catch (IOException e) {
                // removed with the private directory at exit
            }
        }
    }

    /**
     * Kills, with SIGKILL, every worker with a request running longer than its generation's {@code harakiri}, logging
     * uWSGI's lines (uWSGI 2.0 {@code uwsgi_master_check_harakiri}, {@code trigger_harakiri},
     * {@code uwsgi_dump_worker}); its exit is then handled as any death: {@code DAMN ! worker ...} and a respawn.
     */
    private void checkHarakiri() {
        long now = System.currentTimeMillis();
        Set<WorkerHandle> watched = new LinkedHashSet<>(byToken.values());
        watched.addAll(retiring); // a worker finishing its requests before it exits still gets its harakiri
        for (WorkerHandle handle : watched) {
            Scoreboard board = handle.scoreboard;
            VassalSettings settings = handle.generation.settings;
            if (board == null || handle.pid <= 0 || !handle.alive()) {
                continue;
            }
            Harakiri.Attempt attempt = Harakiri.due(settings.harakiriSeconds(),
                    settings.harakiriGracefulTimeoutSeconds(), handle.harakiriTries, handle.harakiriNextMillis,
                    board.starts(), now);
            if (attempt != null) {
                harakiri(handle, attempt, now);
            }
        }
    }

    /**
     * One harakiri attempt ({@link Harakiri}): uWSGI's lines, then the graceful signal or SIGKILL. Under
     * {@code harakiri-verbose} the first attempt also logs the worker's system call and wait channel and asks the
     * worker to log the stack of its stuck requests; the signal then follows a second later.
     */
    private void harakiri(WorkerHandle handle, Harakiri.Attempt attempt, long now) {
        VassalSettings settings = handle.generation.settings;
        if (attempt.number() == 1) {
            stats.harakiri(handle);
        }
        handle.harakiriTries = attempt.number();
        int triggeredBy = attempt.core();
        Scoreboard board = handle.scoreboard;
        Log.stamped("*** HARAKIRI ON WORKER " + handle.id + " (pid: " + handle.pid + ", try: " + attempt.number()
                + ", graceful: " + (attempt.graceful() ? "yes" : "no") + ") ***");
        boolean dump = settings.harakiriVerbose() && attempt.number() == 1;
        if (settings.harakiriVerbose()) {
            Harakiri.procLines(handle.pid).forEach(Log::line);
        }
        Log.stamped("HARAKIRI !!! worker " + handle.id + " status !!!");
        for (int core = 0; core < board.cores(); core++) {
            long start = board.startMillis(core);
            if (start > 0) {
                Log.stamped("HARAKIRI [core " + core + "] " + board.description(core) + " since " + start / 1000);
            }
        }
        Log.stamped("HARAKIRI !!! end of worker " + handle.id + " status !!!");
        int signal = attempt.graceful() ? settings.harakiriGracefulSignal() : Posix.SIGKILL;
        long pid = handle.pid;
        Runnable strike = () -> {
            if (handle.alive() && handle.pid == pid) {
                Posix.kill(pid, signal);
            }
        };
        if (dump && handle.connection != null) {
            handle.send(Frame.of(WorkerMessage.HARAKIRI_DUMP));
            timers.schedule(() -> post(strike), 1, TimeUnit.SECONDS);
        } else {
            strike.run();
        }
        if (attempt.graceful()) {
            handle.harakiriNextMillis = now + settings.harakiriGracefulTimeoutSeconds() * 1000L;
            Log.stamped("HARAKIRI: graceful termination attempt on worker " + handle.id + " with signal " + signal
                    + ". Next harakiri: " + handle.harakiriNextMillis / 1000);
            if (signal == Posix.SIGHUP && handle.state == WorkerHandle.State.ACCEPTING) {
                onWorkerRecycling(handle); // it stops accepting and finishes its other requests: replace it now
            }
        }
        Log.stamped("HARAKIRI triggered by worker " + handle.id + " core " + triggeredBy + " !!!");
    }

    private void onWorkerExit(WorkerHandle handle, int exitValue) {
        if (handle.state == WorkerHandle.State.DEAD) {
            return;
        }
        stats.exited(handle, state == State.STOPPING, current == null ? 0 : current.number);
        boolean wasAccepting = handle.state == WorkerHandle.State.ACCEPTING;
        boolean stopping = handle.state == WorkerHandle.State.STOPPING;
        handle.state = WorkerHandle.State.DEAD;
        byToken.remove(handle.token);
        forgetScoreboard(handle);
        if (handle.connection != null) {
            handle.connection.close();
        }
        if (handle.cheaped && retiring.remove(handle)) { // Workers: cheaper/idle, as uWSGI logs it
            handle.generation.workers.remove(handle.id, handle);
            Log.line("worker " + handle.id + " killed successfully (pid: " + handle.pid + ")");
            Log.line("uWSGI worker " + handle.id + " cheaped.");
            afterWorkerGone();
            return;
        }
        if (handle.recycling && retiring.remove(handle)) {
            Log.line("worker " + handle.id + " killed successfully (pid: " + handle.pid + ")");
            afterWorkerGone();
            return;
        }
        if (retiring.remove(handle) || stopping) {
            long seconds = handle.stopRequestedAtNanos == 0 ? 0
                    : (System.nanoTime() - handle.stopRequestedAtNanos) / 1_000_000_000L;
            Log.line("worker " + handle.id + " buried after " + seconds + " seconds");
            handle.generation.workers.remove(handle.id, handle);
            afterWorkerGone();
            return;
        }
        String how = describeExit(exitValue);
        Generation generation = handle.generation;
        if (generation == pending && chain != null) {
            onChainWorkerExit(handle, wasAccepting, exitValue);
            return;
        }
        if (generation == pending) {
            failReload("new worker " + handle.id + " " + how + reasonSuffix(handle) + " before accepting");
            return;
        }
        if (generation != current || state == State.STOPPING) {
            generation.workers.remove(handle.id, handle);
            afterWorkerGone();
            return;
        }
        if (!wasAccepting && state == State.STARTING) {
            if (exitValue == WorkerMessage.EXIT_NO_APP) {
                Log.line("*** no app loaded. GAME OVER ***");
                exitCode = WorkerMessage.EXIT_NO_APP;
            }
            String reason = "worker " + handle.id + " " + how + reasonSuffix(handle) + " before accepting";
            failStart(reason, exitValue == WorkerMessage.EXIT_NO_APP ? WorkerMessage.EXIT_NO_APP : 1);
            return;
        }
        Log.line("DAMN ! worker " + handle.id + " (pid: " + handle.pid + ") died" + uwsgiDeathSuffix(exitValue)
                + " :( trying respawn ...");
        if (!wasAccepting) {
            Log.line("worker respawning too fast !!! i have to sleep a bit (2 seconds)...");
            timers.schedule(() -> post(() -> respawnIfStillCurrent(generation, handle.id)), 2, TimeUnit.SECONDS);
        } else {
            spawnWorker(generation, handle.id, true);
        }
    }

    private void respawnIfStillCurrent(Generation generation, int id) {
        WorkerHandle slot = generation.workers.get(id);
        if (generation == current && state != State.STOPPING && (slot == null || !slot.alive())) {
            spawnWorker(generation, id, true);
        }
    }

    private static String describeExit(int exitValue) {
        if (exitValue > 128 && exitValue < 160) {
            return "was killed by signal " + (exitValue - 128);
        }
        return exitValue < 0 ? "could not be started" : "exited with code " + exitValue;
    }

    private static String uwsgiDeathSuffix(int exitValue) {
        return exitValue > 128 && exitValue < 160 ? ", killed by signal " + (exitValue - 128) : "";
    }

    private static String reasonSuffix(WorkerHandle handle) {
        return handle.fatalReason == null ? "" : " (" + handle.fatalReason + ")";
    }

    private void stopWorker(WorkerHandle handle, boolean gracefully) {
        if (!handle.alive()) {
            return;
        }
        if (handle.state != WorkerHandle.State.STOPPING) {
            handle.state = WorkerHandle.State.STOPPING;
            handle.stopRequestedAtNanos = System.nanoTime();
        }
        if (gracefully) {
            if (handle.pid != 0) {
                Log.line("Gracefully killing worker " + handle.id + " (pid: " + handle.pid + ")...");
            }
            handle.send(Frame.of(WorkerMessage.STOP_GRACEFUL));
            int mercy = handle.generation.settings.workerMercySeconds();
            timers.schedule(() -> post(() -> noMercy(handle)), mercy, TimeUnit.SECONDS);
        } else {
            handle.send(Frame.of(WorkerMessage.STOP));
            if (handle.pid != 0) {
                Posix.kill(handle.pid, Posix.SIGINT);
            }
            timers.schedule(() -> post(() -> noMercy(handle)), 3, TimeUnit.SECONDS);
        }
    }

    private void noMercy(WorkerHandle handle) {
        if (handle.alive() && handle.pid != 0) {
            Log.line("worker " + handle.id + " (pid: " + handle.pid
                    + ") is taking too much time to die...NO MERCY !!!");
            Posix.kill(handle.pid, Posix.SIGKILL);
        }
    }

    // ---------------------------------------------------------------- reload

    private void onEmperorFrame(Frame frame) {
        switch (frame.type()) {
            case EmperorMessage.RELOAD -> {
                Log.stamped("received message 1 from emperor");
                reload("emperor");
            }
            case EmperorMessage.STOP_GRACEFUL -> {
                Log.stamped("received message 2 from emperor");
                stop(true, "...gracefully killing workers...");
            }
            case EmperorMessage.STOP -> {
                Log.stamped("received message 0 from emperor");
                stop(false, "SIGINT/SIGTERM received...killing workers...");
            }
            default -> { }
        }
    }

    private void onEmperorLost() {
        if (state != State.STOPPING) {
            Log.line("lost connection with my emperor !!!");
            int grace = current == null ? 0 : current.settings.emperorGraceSeconds(); // Issue 8: chaos
            if (grace > 0) {
                orphaned(grace);
                return;
            }
            stop(false, "SIGINT/SIGTERM received...killing workers...");
        }
    }

    private void reload(String trigger) {
        reload(trigger, false);
    }

    /**
     * Reads the vassal file again and starts a new generation beside the current one, which is retired once every
     * new worker accepts: gracefully, or killed at once when {@code brutal} (FIFO {@code R}).
     */
    private void reload(String trigger, boolean brutal) {
        if (!reloadAllowed(trigger)) {
            return;
        }
        Log.line("..." + (brutal ? "brutal" : "graceful") + " reload of " + spec + " requested by " + trigger
                + ": starting generation " + (current.number + 1) + "...");
        Reloaded next = loadForReload();
        if (next != null) {
            startGeneration(next.settings(), next.sockets(), brutal);
        }
    }

    /** Returns true if a reload may start now; else queues one (or drops it while stopping). */
    private boolean reloadAllowed(String trigger) {
        if (state == State.STOPPING) {
            return false;
        }
        if (state == State.STARTING || state == State.RELOADING) {
            reloadQueued = true;
            Log.line("reload requested (" + trigger + ") while generation " + (pending != null ? pending.number
                    : current.number) + " is starting: it will follow");
            return false;
        }
        return true;
    }

    /** The vassal file read again for a reload, with its sockets bound. */
    private record Reloaded(VassalSettings settings, List<ListenSocket> sockets) {
    }

    /**
     * Reads the vassal file again and binds its new sockets; on any problem logs it, reports the reload as failed
     * and returns null (the current generation keeps serving).
     */
    private Reloaded loadForReload() {
        VassalSettings settings;
        try {
            VassalConfig config = configSource.load(spec, current.number);
            for (Diagnostic d : config.diagnostics()) {
                Log.line(d.format());
            }
            settings = VassalSettings.from(config);
            if (settings.sockets().isEmpty() && stdinSocket == null) {
                throw new IllegalArgumentException("no socket defined");
            }
            checkPrivileges(settings);
        } catch (ConfigException e) {
            for (Diagnostic d : e.diagnostics()) {
                Log.line(d.format());
            }
            failReloadBeforeSpawn(firstProblem(e));
            return null;
        } catch (RuntimeException e) {
            failReloadBeforeSpawn(e.getMessage());
            return null;
        }
        Path workDir = settings.workDir(cwd);
        if (!Files.isDirectory(workDir)) {
            failReloadBeforeSpawn("chdir(): No such file or directory: " + workDir);
            return null;
        }
        applyUmask(settings);
        List<ListenSocket> sockets;
        try {
            sockets = bindSockets(settings, workDir, current.sockets);
        } catch (IOException e) {
            failReloadBeforeSpawn(e.getMessage());
            return null;
        }
        if (logging != null) {
            logging.reload(settings);
        }
        if (!settings.masterFifo().equals(fifoPaths)) {
            Log.line("the master-fifo options changed: they apply when the vassal restarts");
        }
        if (!Objects.equals(settings.stats(), current.settings.stats())) {
            Log.line("the stats option changed: it applies when the vassal restarts");
        }
        return new Reloaded(settings, sockets);
    }

    private void startGeneration(VassalSettings settings, List<ListenSocket> sockets, boolean brutal) {
        retireBrutally = brutal;
        state = State.RELOADING;
        pending = new Generation(current.number + 1, settings, sockets);
        spawnGeneration(pending);
        armTimeout(pending);
    }

    private static String firstProblem(ConfigException e) {
        String message = e.getMessage();
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
    }

    private void commitReload() {
        cancelTimeout();
        Generation old = current;
        current = pending;
        watchTouches(current.settings);
        pending = null;
        state = State.RUNNING;
        Log.line("*** generation " + current.number + " accepting: " + current.workers.size()
                + " worker(s) ready in " + current.elapsedMillis() + " ms; retiring generation " + old.number + " ***");
        boolean brutal = retireBrutally;
        retireBrutally = false;
        for (WorkerHandle handle : new ArrayList<>(old.workers.values())) {
            retiring.add(handle);
            if (brutal && handle.pid != 0) {
                Log.line("killing worker " + handle.id + " (pid: " + handle.pid + ")");
            }
            stopWorker(handle, !brutal);
        }
        for (ListenSocket socket : old.sockets) {
            if (!current.sockets.contains(socket)) {
                socketsToClose.add(socket);
            }
        }
        if (emperor != null) {
            emperor.accepting(current.number);
        }
        reconcileRouters();
        offerSockets(); // Issue 8: chaos
        afterWorkerGone();
        runQueuedReload();
    }

    private void failReloadBeforeSpawn(String reason) {
        Log.line("reload failed: " + reason + "; generation " + current.number + " keeps serving");
        if (emperor != null) {
            emperor.reloadFailed(reason);
        }
        runQueuedReload();
    }

    private void failReload(String reason) {
        if (state != State.RELOADING) {
            return;
        }
        if (chain != null) {
            chain.newFailed(chain.slot(), reason);
            return;
        }
        retireBrutally = false;
        cancelTimeout();
        Generation failed = pending;
        pending = null;
        state = State.RUNNING;
        for (WorkerHandle handle : new ArrayList<>(failed.workers.values())) {
            if (!handle.alive()) {
                continue;
            }
            retiring.add(handle);
            if (handle.state == WorkerHandle.State.ACCEPTING) {
                stopWorker(handle, true);
            } else {
                handle.state = WorkerHandle.State.STOPPING;
                handle.stopRequestedAtNanos = System.nanoTime();
                if (handle.pid != 0) {
                    Posix.kill(handle.pid, Posix.SIGKILL);
                }
            }
        }
        for (ListenSocket socket : failed.sockets) {
            if (!current.sockets.contains(socket)) {
                socketsToClose.add(socket);
            }
        }
        Log.line("reload failed: " + reason + "; generation " + current.number + " keeps serving");
        if (emperor != null) {
            emperor.reloadFailed(reason);
        }
        afterWorkerGone();
        runQueuedReload();
    }

    private void runQueuedReload() {
        if (reloadQueued && state == State.RUNNING) {
            reloadQueued = false;
            reload("a change made during the previous reload");
        }
    }

    private void armTimeout(Generation generation) {
        cancelTimeout();
        pendingTimeout = timers.schedule(() -> post(() -> onGenerationTimeout(generation)),
                GENERATION_START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void cancelTimeout() {
        if (pendingTimeout != null) {
            pendingTimeout.cancel(false);
            pendingTimeout = null;
        }
    }

    private void onGenerationTimeout(Generation generation) {
        if (state == State.STOPPING) {
            return;
        }
        String reason = "generation " + generation.number + " did not accept within "
                + GENERATION_START_TIMEOUT_SECONDS + " seconds";
        if (generation == pending) {
            failReload(reason);
        } else if (generation == current && state == State.STARTING) {
            failStart(reason, 1);
        }
    }

    // ---------------------------------------------------------------- master operations

    /**
     * Chain reload ({@code touch-chain-reload}, FIFO {@code c}): reads the vassal file again and replaces the
     * workers one at a time ({@link ChainReload}). When the new file changes the sockets or the number of processes,
     * which slot-by-slot replacement cannot apply, it reloads gracefully instead and says why.
     */
    private void chainReload(String trigger) {
        if (chain != null) {
            Log.stamped("chain reload already running...");
            return;
        }
        if (!reloadAllowed(trigger)) {
            return;
        }
        Log.stamped("chain reload starting...");
        Reloaded next = loadForReload();
        if (next == null) {
            return;
        }
        List<Integer> slots = new ArrayList<>(current.workers.keySet());
        String obstacle = slots.isEmpty() ? "no worker runs"
                : ChainReload.obstacle(current.settings, next.settings(), next.sockets().equals(current.sockets));
        if (obstacle != null) {
            Log.line("chain reload cannot replace the workers one at a time: " + obstacle
                    + "; reloading gracefully instead");
            Log.line("...graceful reload of " + spec + " requested by " + trigger + ": starting generation "
                    + (current.number + 1) + "...");
            startGeneration(next.settings(), next.sockets(), false);
            return;
        }
        state = State.RELOADING;
        pending = new Generation(current.number + 1, next.settings(), next.sockets());
        pending.startWorkers = slots.size(); // the live slots: fewer than processes in cheaper mode
        chain = new ChainReload(slots, new ChainSteps());
        chain.start();
    }

    /**
     * FIFO {@code w} / {@code W}: new workers with the same config (the file is not read again), started beside
     * the current ones, which are then retired gracefully ({@code w}) or killed ({@code W}).
     */
    private void reloadWorkers(String trigger, boolean brutal) {
        if (!reloadAllowed(trigger)) {
            return;
        }
        Log.line("..." + (brutal ? "brutal" : "graceful") + " reload of the workers requested by " + trigger
                + ": starting generation " + (current.number + 1) + " with the same config...");
        startGeneration(current.settings, current.sockets, brutal);
    }

    /** A worker of a chain reload's new generation exited without being told to. */
    private void onChainWorkerExit(WorkerHandle handle, boolean wasAccepting, int exitValue) {
        if (chain.phase() == ChainReload.Phase.REPLACING && wasAccepting) {
            Log.line("DAMN ! worker " + handle.id + " (pid: " + handle.pid + ") died" + uwsgiDeathSuffix(exitValue)
                    + " :( trying respawn ...");
            spawnWorker(pending, handle.id, true);
            return;
        }
        pending.workers.remove(handle.id, handle);
        if (chain.phase() == ChainReload.Phase.REPLACING) {
            String reason = "new worker " + handle.id + " " + describeExit(exitValue) + reasonSuffix(handle)
                    + " before accepting";
            Log.line("chain reload: " + reason + "; worker " + handle.id + " of generation " + current.number
                    + " keeps serving");
            chain.newFailed(handle.id, reason);
        }
        afterWorkerGone();
    }

    /** Carries out a chain reload's steps: new workers in {@link #pending}, old ones in {@link #current}. */
    private final class ChainSteps implements ChainReload.Steps {
        @Override
        public void spawnNew(int slot) {
            spawnWorker(pending, slot, true);
            armTimeout(pending);
        }

        @Override
        public void retireOld(int slot) {
            WorkerHandle fresh = pending.workers.get(slot);
            Log.stamped("chain next victim is worker " + slot
                    + (fresh == null ? "" : " (its replacement, pid " + fresh.pid + ", accepts)"));
            WorkerHandle old = current.workers.get(slot);
            if (old != null && old.alive() && old.state != WorkerHandle.State.STOPPING) {
                retiring.add(old);
                stopWorker(old, old.state == WorkerHandle.State.ACCEPTING);
            }
        }

        @Override
        public boolean restoreOld(int slot) {
            WorkerHandle old = current.workers.get(slot);
            if (old != null && old.alive() && old.state == WorkerHandle.State.ACCEPTING) {
                return true; // respawned meanwhile (after a crash): it serves already
            }
            if (old == null || old.state != WorkerHandle.State.STARTING) {
                spawnWorker(current, slot, true);
            }
            return false;
        }

        @Override
        public void retireNew(int slot) {
            WorkerHandle fresh = pending.workers.get(slot);
            if (fresh != null && fresh.alive() && fresh.state != WorkerHandle.State.STOPPING) {
                retiring.add(fresh);
                stopWorker(fresh, true);
            }
        }

        @Override
        public void discardNew(int slot) {
            cancelTimeout();
            WorkerHandle fresh = pending.workers.get(slot);
            if (fresh != null && fresh.alive()) {
                retiring.add(fresh);
                fresh.state = WorkerHandle.State.STOPPING;
                fresh.stopRequestedAtNanos = System.nanoTime();
                if (fresh.pid != 0) {
                    Posix.kill(fresh.pid, Posix.SIGKILL);
                }
            }
        }

        @Override
        public void completed() {
            commitChain();
        }

        @Override
        public void failed(String reason) {
            endChain(false, reason);
        }
    }

    private void commitChain() {
        endChain(true, null);
    }

    /**
     * Ends a chain reload: the new generation becomes the current one ({@code chain reloading complete}), or, after
     * a rollback, is dropped ({@code reload failed: ...}). Any worker left running in the generation that goes (a
     * respawn that raced with the chain) is retired.
     */
    private void endChain(boolean completed, String reason) {
        cancelTimeout();
        Generation gone = completed ? current : pending;
        if (completed) {
            current = pending;
            watchTouches(current.settings);
        }
        pending = null;
        chain = null;
        state = State.RUNNING;
        for (WorkerHandle handle : new ArrayList<>(gone.workers.values())) {
            if (handle.alive() && handle.state != WorkerHandle.State.STOPPING) {
                retiring.add(handle);
                stopWorker(handle, handle.state == WorkerHandle.State.ACCEPTING);
            }
        }
        for (ListenSocket socket : gone.sockets) {
            if (!current.sockets.contains(socket)) {
                socketsToClose.add(socket);
            }
        }
        if (completed) {
            Log.stamped("chain reloading complete");
            Log.line("*** generation " + current.number + " accepting: " + current.workers.size()
                    + " worker(s) replaced one at a time in " + current.elapsedMillis() + " ms ***");
            if (emperor != null) {
                emperor.accepting(current.number);
            }
        } else {
            Log.line("reload failed: chain reload: " + reason + "; generation " + current.number + " keeps serving");
            if (emperor != null) {
                emperor.reloadFailed(reason);
            }
        }
        afterWorkerGone();
        runQueuedReload();
    }

    /** Creates and reads the {@code master-fifo} FIFOs, if any (relative paths: to the workers' directory). */
    private void startFifo(VassalSettings settings, Path workDir) throws IOException {
        fifoPaths = settings.masterFifo();
        if (fifoPaths.isEmpty()) {
            return;
        }
        List<Path> paths = fifoPaths.stream().map(workDir::resolve).toList();
        fifo = new MasterFifoReader(paths, command -> post(() -> onFifoCommand(command)), Log::line);
        fifo.start();
    }

    /** Runs one master FIFO command (uwsgi-docs "The Master FIFO"), on the event loop. */
    private void onFifoCommand(MasterFifo.Command command) {
        String trigger = "the master FIFO";
        switch (command.action()) {
            case GRACEFUL_RELOAD -> reload(trigger, false);
            case BRUTAL_RELOAD -> reload(trigger, true);
            case CHAIN_RELOAD -> chainReload(trigger);
            case GRACEFUL_STOP -> stop(true, Log.now() + " - graceful shutdown triggered...");
            case BRUTAL_STOP -> stop(false, "SIGINT/SIGTERM received...killing workers...");
            case RELOAD_WORKERS -> reloadWorkers(trigger, false);
            case BRUTAL_RELOAD_WORKERS -> reloadWorkers(trigger, true);
            case STATS -> logStats();
            case REOPEN_LOG -> reopenLog(false);
            case ROTATE_LOG -> reopenLog(true);
            case PAUSE -> togglePause();
            case WRITE_PIDFILE -> writePidfile();
            case GO_CHEAP -> {
                if (scaling == null || !scaling.goCheapNow()) {
                    Log.line("master fifo 'C' ignored: the vassal is not serving, or is already cheap");
                }
            }
            case MORE_WORKERS -> fifoWorkers(1);
            case FEWER_WORKERS -> fifoWorkers(-1);
            case SELECT_FIFO -> { } // the reader switches FIFOs itself
            case BROODLORD_SOS -> sos("asking Emperor for reinforcements (master fifo)..."); // Issue 7: broodlord
            case NOT_IMPLEMENTED -> Log.line("master fifo command '" + command.letter()
                    + "' is not implemented by Imperium: ignored");
        }
    }

    /**
     * FIFO {@code +} / {@code -}: one worker more or less, for the cheaper mode (uWSGI's
     * {@code uwsgi_cheaper_increase}/{@code _decrease}).
     *
     * @param delta +1 or -1
     */
    private void fifoWorkers(int delta) {
        if (!adjustWorkers(delta)) {
            Log.line("cheaper mode not enabled: master fifo " + (delta > 0 ? "'+'" : "'-'") + " ignored");
        }
    }

    /** FIFO {@code s} and SIGUSR1: the config and the worker processes ({@link MasterStats}). */
    private void logStats() {
        if (current == null) {
            return;
        }
        List<MasterStats.Worker> rows = new ArrayList<>();
        Set<WorkerHandle> all = new LinkedHashSet<>(current.workers.values());
        if (pending != null) {
            all.addAll(pending.workers.values());
        }
        all.addAll(retiring);
        long now = System.nanoTime();
        for (WorkerHandle h : all) {
            if (h.alive()) {
                rows.add(new MasterStats.Worker(h.id, h.pid, h.state.name().toLowerCase(java.util.Locale.ROOT),
                        h.generation.number, (now - h.spawnedAtNanos) / 1_000_000_000L));
            }
        }
        String status = chain != null ? "chain reloading" : state.name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder out = new StringBuilder();
        for (String line : MasterStats.lines(current.settings.config(), current.number, status, paused, rows)) {
            out.append(line).append('\n');
        }
        System.err.print(out); // one write: the lines stay together
        System.err.flush();
    }

    /**
     * FIFO {@code p} and SIGTSTP: the workers stop accepting connections (new clients wait in the listen queue), or
     * accept again (uWSGI's {@code suspend_resume_them_all}, with its lines).
     */
    private void togglePause() {
        paused = !paused;
        Log.stamped(paused ? "*** PAUSE (press start to resume, if you do not have a joypad send SIGTSTP) ***"
                : "*** (SIGTSTP received) resuming workers ***");
        Frame frame = Frame.of(paused ? WorkerMessage.PAUSE : WorkerMessage.RESUME);
        for (WorkerHandle h : byToken.values()) {
            h.send(frame);
        }
    }

    /** FIFO {@code l} (reopen) and {@code L} (rotate, then reopen) of the log files, which the master alone writes. */
    private void reopenLog(boolean rotate) {
        if (logging == null || !logging.hasFiles()) {
            Log.line("master fifo '" + (rotate ? "L" : "l") + "': no logto file to " + (rotate ? "rotate" : "reopen"));
            return;
        }
        if (rotate) {
            logging.rotate();
        } else {
            logging.reopen();
        }
    }

    /** FIFO {@code P}: writes the pidfile again (uWSGI's {@code uwsgi_update_pidfiles}). */
    private void writePidfile() {
        String pidfile = current == null ? null : current.settings.pidfile();
        if (pidfile == null) {
            return;
        }
        Log.line("writing pidfile to " + pidfile);
        try {
            Files.writeString(cwd.resolve(pidfile), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            Log.line("could not write pidfile.");
        }
    }

    // ---------------------------------------------------------------- Emperor options (issue 7)

    /**
     * Under an emperor, sends the {@code heartbeat} every N seconds from the event loop (the current generation's
     * value, so a reload may change it).
     */
    private void startHeartbeat() {
        if (emperor != null) {
            Heartbeat heartbeat = new Heartbeat();
            timers.scheduleAtFixedRate(() -> post(() -> {
                if (heartbeat.due(System.nanoTime(), current.settings.heartbeatSeconds())) {
                    emperor.heartbeat();
                }
            }), 0, 1, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- Stats server (issue 6)

    /**
     * Starts the {@code stats} server if the vassal has one, and under an emperor the stats report: every
     * {@value StatsReporter#PERIOD_SECONDS} s and right after each generation accepts.
     */
    private void startStats(VassalSettings settings, Path workDir) throws IOException {
        if (settings.stats() != null) {
            statsServer = StatsServer.start(settings.stats(), workDir, settings.listenBacklog(),
                    UnixSocketOptions.from(settings.config()), () -> {
                        java.util.concurrent.CompletableFuture<String> json =
                                new java.util.concurrent.CompletableFuture<>();
                        post(() -> json.complete(statsJson(false, true)));
                        return json;
                    }, timers, statsOptions(settings));
            // a reload may change stats-http and socket-timeout
            timers.scheduleAtFixedRate(() -> post(() -> statsServer.options(statsOptions(current.settings))), 1, 1,
                    TimeUnit.SECONDS);
        }
        if (emperor != null) {
            statsReporter = new StatsReporter(cores -> statsJson(true, cores), emperor::statsReport, Log::line);
            emperor.afterAccepting(this::reportStats);
            timers.scheduleAtFixedRate(() -> post(this::reportStats), StatsReporter.PERIOD_SECONDS,
                    StatsReporter.PERIOD_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static StatsServer.Options statsOptions(VassalSettings settings) {
        return new StatsServer.Options(settings.statsHttp(), settings.socketTimeoutSeconds());
    }

    private void reportStats() {
        if (current != null && state != State.STOPPING) {
            statsReporter.report();
        }
    }

    /**
     * Returns the stats document: as the stats server sends it ({@code stats-minified}, {@code stats-no-cores}), or
     * for the emperor (minified, with the {@code "imperium"} totals). Call on the event loop.
     *
     * @param cores false to leave the workers' cores out whatever {@code stats-no-cores} says
     */
    private String statsJson(boolean forEmperor, boolean cores) {
        VassalStats.MasterView view = new VassalStats.MasterView(current, pending, retiring, paused,
                daemons == null ? List.of() : daemons.statsRows(), cwd);
        Map<String, Object> tree = dev.imperium.stats.StatsDocument.tree(stats.snapshot(view),
                cores && !current.settings.statsNoCores());
        if (forEmperor) {
            dev.imperium.stats.StatsDocument.withImperium(tree, stats.totals(view));
        }
        return dev.imperium.stats.StatsJson.write(tree, forEmperor || current.settings.statsMinified());
    }

    // ---------------------------------------------------------------- stop

    private void stop(boolean gracefully, String logLine) {
        if (state == State.STOPPING && (gracefully || !graceful)) {
            return;
        }
        graceful = gracefully;
        state = State.STOPPING;
        chain = null;
        cancelTimeout();
        Log.line(logLine);
        if (scaling != null) { // Workers: stop waiting in cheap mode; stop the attached daemons
            scaling.stop();
            daemons.stopAll();
        }
        List<WorkerHandle> all = new ArrayList<>(retiring);
        for (Generation g : new Generation[] {current, pending}) {
            if (g != null) {
                for (WorkerHandle handle : g.workers.values()) {
                    retiring.add(handle);
                    all.add(handle);
                }
            }
        }
        for (WorkerHandle handle : all) {
            if (!gracefully) {
                stopWorker(handle, false);
            } else if (handle.state == WorkerHandle.State.ACCEPTING) {
                stopWorker(handle, true);
            } else if (handle.state == WorkerHandle.State.STARTING) {
                stopWorker(handle, false);
            }
            // a worker already STOPPING is draining under its own mercy timer: let it finish
        }
        int routerMercy = current == null ? 60 : current.settings.workerMercySeconds();
        if (routers != null) {
            routers.stop(gracefully, routerMercy);
        }
        for (HttpRouters old : retiringRouters) {
            old.stop(gracefully, routerMercy);
        }
        afterWorkerGone();
    }

    private void failStart(String reason, int code) {
        Log.line("vassal cannot start: " + reason);
        if (emperor != null) {
            emperor.fatal(reason);
        }
        exitCode = code;
        stop(false, "...killing workers...");
    }

    private int fatal(String reason, int code) {
        Log.line("vassal cannot start: " + reason);
        if (emperor != null) {
            emperor.fatal(reason);
        }
        exitCode = code;
        cleanup();
        return code;
    }

    private void afterWorkerGone() {
        retiring.removeIf(h -> !h.alive());
        pruneRetiredRouters();
        boolean anyAlive = !retiring.isEmpty() || routers != null && routers.anyAlive() || !retiringRouters.isEmpty()
                || daemons != null && daemons.anyAlive();
        for (Generation g : new Generation[] {current, pending}) {
            if (g != null) {
                anyAlive |= g.workers.values().stream().anyMatch(WorkerHandle::alive);
            }
        }
        if (state != State.STOPPING) {
            if (retiring.isEmpty()) {
                for (ListenSocket socket : socketsToClose) {
                    if (!current.sockets.contains(socket) && (pending == null || !pending.sockets.contains(socket))) {
                        closeSocket(socket);
                    }
                }
                socketsToClose.clear();
            }
            return;
        }
        if (anyAlive) {
            return;
        }
        cleanup();
        Log.line("goodbye to uWSGI.");
        finished = true;
    }

    private void cleanup() {
        if (fifo != null) {
            fifo.close();
        }
        Set<ListenSocket> sockets = new LinkedHashSet<>(socketsToClose);
        if (current != null) {
            sockets.addAll(current.sockets);
        }
        if (pending != null) {
            sockets.addAll(pending.sockets);
        }
        if (routers != null) {
            sockets.addAll(routers.sockets());
        }
        for (HttpRouters old : retiringRouters) {
            sockets.addAll(old.sockets());
        }
        for (ListenSocket socket : sockets) {
            closeSocket(socket);
        }
        VassalSettings settings = current != null ? current.settings : null;
        if (statsServer != null) {
            statsServer.close(settings != null && settings.vacuum());
        }
        if (settings != null && settings.vacuum() && settings.pidfile() != null) {
            try {
                if (Files.deleteIfExists(cwd.resolve(settings.pidfile()))) {
                    Log.line("VACUUM: pidfile removed.");
                }
            } catch (IOException e) {
                Log.line("VACUUM: unable to remove pidfile: " + e.getMessage());
            }
        }
        if (controlServer != null) {
            controlServer.close();
        }
        if (zergServer != null) { // Issue 7: broodlord
            zergServer.close();
        }
        if (emperor != null) {
            emperor.close();
        }
    }

    // ---------------------------------------------------------------- Issue 7: broodlord

    /** Opens the zerg server ({@code zerg-server}) and the SOS check ({@code vassal-sos}, {@code -backlog}). */
    private void startBroodlord(VassalSettings settings, Path workDir) throws IOException {
        sos = new dev.imperium.zerg.SosWatch(settings.zerg());
        String address = settings.zerg().zergServer();
        if (address != null) {
            zergServer = dev.imperium.zerg.ZergServer.open(address, workDir, settings.listenBacklog(), Log::line);
            zergServer.start(this::post, this::zergOffers);
        }
    }

    /** The sockets a zerg gets now: those of the generation serving, with their protocols. */
    private List<dev.imperium.zerg.ZergServer.Offer> zergOffers() {
        List<dev.imperium.zerg.ZergServer.Offer> offers = new ArrayList<>();
        if (current != null && state != State.STOPPING) {
            for (int i = 0; i < current.sockets.size(); i++) {
                offers.add(new dev.imperium.zerg.ZergServer.Offer(current.sockets.get(i).fd(),
                        current.settings.sockets().get(i).protocol()));
            }
        }
        return offers;
    }

    /** Once a cycle: asks the emperor for a zerg when the workers are all busy or the queue is long. */
    private void checkSos() {
        if (sos == null || !sos.enabled() || emperor == null || state != State.RUNNING || current == null) {
            return;
        }
        int busy = 0;
        for (WorkerHandle w : current.workers.values()) {
            if (w.alive() && !w.cheaped && w.scoreboard != null && w.scoreboard.busy()) {
                busy++;
            }
        }
        long backlog = 0;
        for (ListenSocket socket : current.sockets) {
            long[] queue = socket.spec().isUnix() ? null : dev.imperium.os.ListenQueue.tcpQueue(socket.fd());
            if (queue != null) {
                backlog += queue[0];
            }
        }
        String line = sos.check(System.currentTimeMillis(), busy, current.settings.processes(), backlog);
        if (line != null) {
            sos(line);
        }
    }

    /** Sends uWSGI's message 30 (broodlord SOS) to the emperor, after logging {@code line}. */
    private void sos(String line) {
        if (emperor == null) {
            Log.line("[broodlord] instance not governed by an Emperor !!!");
            return;
        }
        Log.stamped(line);
        emperor.sos();
    }

    /**
     * Binds the sockets of {@code settings}, reusing each socket of {@code bound} whose address is unchanged (its
     * accept queue, and the clients in it, carry over to the new generation) and logging uWSGI's
     * {@code uwsgi socket N bound to ...} line for each new one. On a failure the sockets bound here are closed.
     *
     * @throws IOException naming the address that could not be bound, or the backlog that could not be set
     */
    private List<ListenSocket> bindSockets(VassalSettings settings, Path workDir, List<ListenSocket> bound)
            throws IOException {
        UnixSocketOptions unix = UnixSocketOptions.from(settings.config());
        List<ListenSocket> result = new ArrayList<>();
        List<ListenSocket> fresh = new ArrayList<>();
        boolean stdinUsed = false;
        try {
            for (int i = 0; i < settings.sockets().size(); i++) {
                SocketSpec spec = settings.sockets().get(i);
                if (i < zergSockets.sockets().size()
                        && zergSockets.sockets().get(i).address().equals(spec.spec())) { // Issue 7: broodlord
                    result.add(zergSockets.sockets().get(i)); // a zerg's socket: the lord's, never bound here
                    continue;
                }
                if (!stdinUsed && stdinSocket != null && stdinSocket.sameAddress(spec, workDir)) {
                    // Issue 7: on-demand vassals. The inherited socket serves this entry: no bind
                    result.add(new ListenSocket(spec, stdinSocket.fd(), stdinSocket.address(), stdinSocket.unixPath()));
                    stdinUsed = true;
                    continue;
                }
                UnixSocketOptions options = unix;
                if (spec.spec().equals(VassalSettings.AUTO_ROUTER_SOCKET)) {
                    options = UnixSocketOptions.NONE;
                    // the http router's internal hop: a UNIX socket in the master's private directory
                    spec = SocketSpec.parse(controlServer.directory().resolve("uwsgi.sock").toString(),
                            SocketProtocol.UWSGI);
                }
                ListenSocket reused = null;
                for (ListenSocket candidate : bound) {
                    if (!result.contains(candidate) && candidate.sameAddress(spec, workDir)) {
                        reused = candidate;
                        break;
                    }
                }
                if (reused != null) {
                    if (settings.listenBacklog() != current.settings.listenBacklog()) {
                        reused.setBacklog(settings.listenBacklog());
                    }
                    result.add(reused);
                    continue;
                }
                for (ListenSocket other : result) {
                    if (other.sameAddress(spec, workDir)) {
                        throw new IOException("socket " + spec.spec().trim() + " is declared twice");
                    }
                }
                ListenSocket kept = keptSocket(spec, workDir); // Issue 8: chaos. A socket the emperor kept
                if (kept != null) {
                    result.add(kept);
                    Log.line("uwsgi socket " + i + " inherited " + kept.family() + " address " + kept.address()
                            + " fd " + kept.fd() + " (kept by the emperor)");
                    kept.setBacklog(settings.listenBacklog());
                    continue;
                }
                ListenSocket socket = ListenSocket.bind(spec, workDir, settings.listenBacklog(), options);
                fresh.add(socket);
                result.add(socket);
                if (spec.sharedIndex() >= 0) {
                    Log.line("uwsgi shared socket " + spec.sharedIndex() + " bound to " + socket.family() + " address "
                            + socket.address() + " fd " + socket.fd());
                    Log.line("uwsgi socket " + i + " mapped to shared socket " + spec.sharedIndex() + " ("
                            + socket.address() + ") fd " + socket.fd());
                } else {
                    Log.line("uwsgi socket " + i + " bound to " + socket.family() + " address " + socket.address()
                            + " fd " + socket.fd());
                }
            }
        } catch (IOException e) {
            fresh.forEach(ListenSocket::close);
            throw e;
        }
        if (stdinSocket != null && !stdinUsed) {
            result.addFirst(stdinSocket); // Issue 7: on-demand vassals. No entry of that address: a uwsgi socket
        }
        if (current != null && settings.listenBacklog() != current.settings.listenBacklog()) {
            Log.line("your server socket listen backlog is limited to " + settings.listenBacklog() + " connections");
        }
        return result;
    }

    /**
     * Returns the address the {@code http} router forwards to when no {@code http-to} is given: the vassal's first
     * uwsgi socket, with a wildcard host made loopback.
     */
    private static String ownNode(Generation generation) {
        for (int i = 0; i < generation.sockets.size(); i++) {
            ListenSocket socket = generation.sockets.get(i);
            if (socket.spec().protocol() == SocketProtocol.UWSGI
                    && !(socket.unixPath() == null && socket.spec().isUnix())) {
                if (socket.unixPath() != null) {
                    return socket.unixPath().toString();
                }
                return socket.address().replace("0.0.0.0:", "127.0.0.1:").replace("[::]:", "[::1]:");
            }
        }
        throw new IllegalStateException("no uwsgi socket for the http router");
    }

    private void closeSocket(ListenSocket socket) {
        if (stdinSocket != null && socket.fd() == stdinSocket.fd()) {
            return; // Issue 7: on-demand vassals. The inherited socket stays open, and its file stays
        }
        socket.close();
        VassalSettings settings = current != null ? current.settings : null;
        if (socket.unixPath() != null && settings != null && settings.vacuum()) {
            try {
                if (Files.deleteIfExists(socket.unixPath())) {
                    Log.line("VACUUM: unix socket " + socket.unixPath() + " removed.");
                }
            } catch (IOException e) {
                Log.line("VACUUM: unable to remove " + socket.unixPath() + ": " + e.getMessage());
            }
        }
    }

    /** Encodes config entries for the worker channel: {@code key NUL value NUL file NUL line}. */
    static final class ConfigWire {
        private ConfigWire() {
        }

        static byte[] encode(ConfigEntry entry) {
            String file = entry.origin().file() == null ? "" : entry.origin().file().toString();
            return (entry.key() + '\0' + entry.value() + '\0' + file + '\0' + entry.origin().line())
                    .getBytes(StandardCharsets.UTF_8);
        }

        static ConfigEntry decode(byte[] payload) {
            String[] parts = new String(payload, StandardCharsets.UTF_8).split("\0", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("malformed config entry frame");
            }
            Path file = parts[2].isEmpty() ? null : Path.of(parts[2]);
            return new ConfigEntry(parts[0], parts[1], new dev.imperium.config.Origin(file,
                    Integer.parseInt(parts[3])));
        }
    }
}
