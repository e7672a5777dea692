package dev.imperium.emperor;

import dev.imperium.emperor.dashboard.DashboardServer;
import dev.imperium.emperor.dashboard.FleetSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * The emperor: watches one vassal directory and keeps one vassal process per vassal file, as uWSGI's
 * {@code --emperor DIR} (uwsgi-features.md §1). Wires the {@link VassalWatcher}, the {@link ControlServer}, the
 * {@link Supervisor} and the {@link EventLoop}, and runs the emperor's own lifecycle: start, reload-all, status,
 * and Ragnarok (stop every vassal gracefully, SIGKILL after the reload mercy, then be buried).
 *
 * <p>Usage: {@link #start()}, then {@link #awaitBuried()} on some thread; {@link #shutdown()} (SIGINT/SIGTERM),
 * {@link #reloadAll()} (SIGHUP), {@link #rescan()} (SIGWINCH) and {@link #logStatus()} (SIGUSR1) may be called
 * from any thread, signal handlers included.
 */
public final class Emperor {
    /** Extra time after the reload mercy before Ragnarok gives up on vassals that do not die. */
    private static final Duration RAGNAROK_GRACE = Duration.ofSeconds(5);

    private final EmperorSettings settings;
    private final VassalLauncher launcher;
    private final EmperorLog log;
    private final Clock clock;
    private final RandomGenerator random;
    private final EventLoop loop;
    private final CompletableFuture<Integer> buried = new CompletableFuture<>();
    /** Each vassal's recent output, for {@code imperium logs} and the fleet page. */
    private final VassalLogs logs;
    /** How many of a failing vassal's last output lines the fleet page shows with its last error. */
    private static final int RECENT_LOG_LINES = 10;
    /** Each vassal's latest stats report, parsed once for /metrics, the fleet page and {@code imperium status}. */
    private final StatsReportCache statsReports = new StatsReportCache();

    private ControlServer control;
    /** Issue 8: chaos. The copies of the Imperium vassals' sockets. */
    private SocketKeeper keeper;
    /** Where {@code imperium} connects ({@link #clientControlSocket(Path, boolean)}), or null for none. */
    private Path clientSocket;
    private boolean clientSocketIsDefault;
    private ClientControlServer clientServer;
    private volatile Supervisor supervisor;
    private volatile VassalWatcher watcher;
    /** Issue 7: monitors. Every monitor's watcher (the first is {@link #watcher}). */
    private volatile java.util.List<VassalWatcher> watchers = java.util.List.of();
    /** Issue 7: monitors. The PostgreSQL monitors ({@code --emperor pg://...}). */
    private final java.util.List<dev.imperium.emperor.pgsql.PgsqlMonitor> pgsqlMonitors =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private Thread loopThread;
    private Thread cleanupHook;

    // The stats server and /metrics (--emperor-stats, --emperor-metrics).
    private MonitoringSettings monitoring = MonitoringSettings.NONE;
    private long startedAtMillis;
    private volatile EmperorStatsServer statsServer;
    private volatile MetricsServer metricsServer;
    private volatile DashboardServer dashboard; // the fleet page (--emperor-dashboard)

    // Issue 7: packaging. systemd notifications (Type=notify) when NOTIFY_SOCKET is set.
    private NotifyEnvironment systemdEnv;
    private volatile ServiceNotifications systemd;

    // Loop-thread state.
    private long ragnarokNanos;
    private boolean ragnarok;
    private boolean isBuried;

    /**
     * Creates an emperor that launches vassals with Commons Exec and logs to {@code sink}.
     *
     * @param settings what to watch and how
     * @param sink where the emperor's log and the vassals' output go
     */
    public Emperor(EmperorSettings settings, LineSink sink) {
        this(settings, sink, new VassalLogs());
    }

    private Emperor(EmperorSettings settings, LineSink sink, VassalLogs logs) {
        this(settings, sink, new dev.imperium.emperor.foreign.ForeignLauncher(
                CloneLauncher.wrap(new CommonsExecLauncher(sink, logs), settings.namespaces()), // issue 7: scale
                settings.foreign(), new EmperorLog(sink, Clock.systemDefaultZone()), settings.startTimeout(),
                settings.reloadMercy(), settings.vassalCommand().size()), Clock.systemDefaultZone(), new Random(),
                logs); // issue 7: foreign vassals
    }

    /**
     * Creates an emperor with explicit collaborators (for tests).
     *
     * @param settings what to watch and how
     * @param sink where the emperor's log goes
     * @param launcher starts vassal processes
     * @param clock the wall clock for log stamps and file ages
     * @param random the source of backoff jitter
     */
    public Emperor(EmperorSettings settings, LineSink sink, VassalLauncher launcher, Clock clock,
                   RandomGenerator random) {
        this(settings, sink, launcher, clock, random, new VassalLogs());
    }

    private Emperor(EmperorSettings settings, LineSink sink, VassalLauncher launcher, Clock clock,
                    RandomGenerator random, VassalLogs logs) {
        this.logs = logs;
        this.settings = settings;
        this.launcher = launcher;
        this.clock = clock;
        this.random = random;
        this.log = new EmperorLog(sink, clock);
        this.loop = new EventLoop(this::internalError);
    }

    /**
     * Serves {@code imperium} on a control socket at {@code path} (mode 0600; see {@link ClientControlServer}). Call
     * before {@link #start()}.
     *
     * @param path the socket path
     * @param isDefault whether it is the default location: then its directory is created if missing, and a socket
     *     already taken by another emperor only gets a warning (this emperor runs without one) instead of stopping
     *     the start
     */
    public synchronized void clientControlSocket(Path path, boolean isDefault) {
        if (loopThread != null) {
            throw new IllegalStateException("already started");
        }
        this.clientSocket = path;
        this.clientSocketIsDefault = isDefault;
    }

    /** Returns the socket {@code imperium} connects to, or null when there is none (after {@link #start()}). */
    public Path clientControlSocket() {
        ClientControlServer s = clientServer;
        return s == null ? null : s.path();
    }

    /**
     * Starts the emperor: logs the banner, writes the pid file, opens the control socket, starts the event loop
     * and the watcher. Vassal files already in the directory are spawned at once.
     *
     * @throws EmperorStartException if the directory is missing or the pid file or control socket cannot be made
     */
    public synchronized void start() throws EmperorStartException {
        if (loopThread != null) {
            throw new IllegalStateException("already started");
        }
        Path dir = settings.vassalDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new EmperorStartException("vassal directory " + dir + " does not exist or is not a directory");
        }
        for (EmperorMonitor m : settings.monitors().monitors()) { // issue 7: monitors: every directory must exist
            if (m.pgsql() == null && m.glob() == null && !Files.isDirectory(m.dir())) {
                throw new EmperorStartException("vassal directory " + m.dir().toAbsolutePath().normalize()
                        + " does not exist or is not a directory");
            }
        }
        String setpriv = null; // emperor-tyrant (issue 7): vassals start through setpriv(1)
        if (settings.fleet().tyrant().enabled()) {
            setpriv = Tyrant.findSetpriv(System.getenv("PATH"));
            if (setpriv == null) {
                throw new EmperorStartException("emperor-tyrant needs setpriv (util-linux) to run vassals as their "
                        + "file's owner, and none is on the PATH");
            }
        }
        log.line("*** starting Imperium Emperor ***");
        try {
            // tyrant mode: the vassals' users must reach their sockets, and $XDG_RUNTIME_DIR is private to this user:
            // /run as root (issue 8: resource limits; each user's socket in its own 0700 directory), else /tmp
            Path base = settings.runtimeBase() == null && setpriv != null ? tyrantRuntimeBase() : settings.runtimeBase();
            // Issue 8: chaos. The vassals of a dead emperor, before its runtime directory is removed
            java.util.List<SocketKeeper.Orphan> orphans = SocketKeeper.collectOrphans(
                    base != null ? base : ControlServer.defaultBase(), log::emperor);
            control = ControlServer.open(base, new ControlListener() {
                @Override
                public void onHello(ControlConnection c, String token, long pid) {
                    Supervisor s = supervisor;
                    if (s == null) {
                        c.close();
                    } else {
                        s.onHello(c, token, pid);
                    }
                }

                @Override
                public void onFrame(ControlConnection c, dev.imperium.control.Frame f) {
                    Supervisor s = supervisor;
                    if (s != null) {
                        s.onFrame(c, f);
                    }
                }

                @Override
                public void onClosed(ControlConnection c) {
                    Supervisor s = supervisor;
                    if (s != null) {
                        s.onClosed(c);
                    }
                }
            }, log::emperor);
            keeper = SocketKeeper.open(control.runtimeDir(), log::emperor, orphans); // Issue 8: chaos
        } catch (IOException e) {
            if (control != null) {
                control.close();
            }
            throw new EmperorStartException("cannot create the control socket: " + e.getMessage(), e);
        }
        if (setpriv != null) {
            tyrantNotes(setpriv).forEach(log::emperor);
        }
        if (settings.namespaces().enabled()) { // issue 7: scale
            log.emperor("vassals start in new namespaces (emperor-use-clone " + String.join(",",
                    settings.namespaces().names()) + "): unshare " + String.join(" ",
                    settings.namespaces().unshareOptions()) + " -- ...");
        }
        EmperorSettings absolute = new EmperorSettings(dir, settings.rescanPeriod(), settings.reloadMercy(),
                settings.pidFile(), settings.vassalCommand(), settings.settle(), settings.startTimeout(),
                settings.stableAfter(), settings.backoff(), settings.runtimeBase(), settings.startConcurrency(),
                settings.fleet(), settings.foreign(), settings.broodlord(), settings.monitors(), settings.onDemand(), settings.namespaces());
        supervisor = new Supervisor(absolute, loop, launcher, log, random, control.socketPath(), setpriv);
        supervisor.keeper(keeper); // Issue 8: chaos
        if (setpriv != null) {
            supervisor.userSockets(control::socketFor); // issue 8: resource limits: each user its own socket
        }
        String clientSocketLine = openClientSocket(new ClientControl(supervisor, loop, logs, absolute,
                statsReports));
        startedAtMillis = clock.millis();
        try {
            openMonitoring();
        } catch (IOException e) {
            closeMonitoring();
            control.close();
            if (clientServer != null) {
                clientServer.close();
            }
            throw new EmperorStartException(e.getMessage(), e);
        }
        if (settings.pidFile() != null) {
            try {
                Files.writeString(settings.pidFile(), ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                closeMonitoring();
                control.close();
                if (clientServer != null) {
                    clientServer.close();
                }
                throw new EmperorStartException("cannot write the pid file " + settings.pidFile() + ": " + e, e);
            }
        }
        cleanupHook = new Thread(this::cleanUp, "imperium-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        // Issue 7: monitors. One watcher per monitor (directories, globs, PostgreSQL), joined by a MonitorSet.
        MonitorSet set = monitorSet(absolute);
        supervisor.locator(set);
        if (set.monitors().size() == 1 && pgsqlMonitors.isEmpty()) {
            WatchScope scope = set.monitors().getFirst().scope();
            log.emperor((scope instanceof GlobScope g ? "vassals glob " + g.pattern() + " in " + dir
                    : "vassals directory " + dir) + " (inotify, rescan every " + Supervisor.seconds(settings.rescanPeriod())
                    + ", reload mercy " + Supervisor.seconds(settings.reloadMercy()) + "), pid "
                    + ProcessHandle.current().pid() + ", control socket " + control.socketPath());
        } else {
            log.emperor(set.monitors().size() + " monitors (inotify, rescan every "
                    + Supervisor.seconds(settings.rescanPeriod()) + ", reload mercy "
                    + Supervisor.seconds(settings.reloadMercy()) + "), pid " + ProcessHandle.current().pid()
                    + ", control socket " + control.socketPath());
            for (MonitorSet.Entry e : set.monitors()) {
                log.emperor("monitor: " + e.description());
            }
        }
        if (clientSocketLine != null) {
            log.emperor(clientSocketLine);
        }
        loopThread = new Thread(loop::run, "imperium-emperor");
        loopThread.start();
        java.util.List<VassalWatcher> started = new java.util.ArrayList<>();
        for (int i = 0; i < set.monitors().size(); i++) {
            VassalWatcher w = startWatcher(set.monitors().get(i).scope(), set.listener(i));
            started.add(w);
            if (set.monitors().size() > 1) {
                try { // its files already there are its own before the next monitor reports the same names
                    w.rescan().get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // the next monitor starts anyway
                }
            }
        }
        watchers = java.util.List.copyOf(started);
        watcher = started.getFirst();
        pgsqlMonitors.forEach(dev.imperium.emperor.pgsql.PgsqlMonitor::start);
        startSystemdNotifications();
    }

    /**
     * Issue 7: packaging. Tells systemd how the emperor is doing ({@link ServiceNotifications}) as {@code env} asks:
     * READY, STATUS, STOPPING and WATCHDOG notifications. Call before {@link #start()}.
     *
     * @param env what systemd asked for, or null for nothing
     * @return this emperor
     */
    synchronized Emperor withSystemd(NotifyEnvironment env) {
        if (loopThread != null) {
            throw new IllegalStateException("already started");
        }
        systemdEnv = env;
        return this;
    }

    /** Issue 7: monitors. Starts a watcher of one scope; without inotify, rescans only. */
    private VassalWatcher startWatcher(WatchScope scope, java.util.function.Consumer<VassalFileChange> listener)
            throws EmperorStartException {
        VassalWatcher w = new VassalWatcher(scope, settings.settle(), settings.rescanPeriod(), clock, listener,
                line -> loop.post(() -> log.emperor(line)), stamper());
        try {
            w.start();
        } catch (IOException e) {
            log.emperor("cannot watch " + scope.root() + " (" + e.getMessage() + "): relying on rescans every "
                    + Supervisor.seconds(settings.rescanPeriod()));
            try {
                w.close();
                w = new VassalWatcher(scope, settings.settle(), settings.rescanPeriod(), clock, listener,
                        line -> loop.post(() -> log.emperor(line)), stamper());
                w.start(false);
            } catch (IOException impossible) {
                throw new EmperorStartException("cannot scan " + scope.root(), impossible);
            }
        }
        return w;
    }

    /**
     * Issue 7: monitors. The monitors of the settings, each a scope: a directory, a glob, or for PostgreSQL the private
     * directory its rows are written to (a {@link dev.imperium.emperor.pgsql.PgsqlMonitor} is made for each, started
     * after the watchers).
     */
    private MonitorSet monitorSet(EmperorSettings absolute) throws EmperorStartException {
        java.util.List<String> extra = settings.monitors().extraExtensions();
        java.util.List<MonitorSet.Entry> entries = new java.util.ArrayList<>();
        if (settings.monitors().monitors().isEmpty()) {
            WatchScope scope = WatchScope.of(absolute);
            entries.add(new MonitorSet.Entry((scope instanceof GlobScope g ? "glob " + g.pattern() : "directory "
                    + absolute.vassalDir()), scope));
        }
        int pg = 0;
        for (EmperorMonitor m : settings.monitors().monitors()) {
            if (m.pgsql() != null) {
                Path dir = control.socketPath().getParent().resolve("pgsql-" + (++pg));
                dev.imperium.emperor.pgsql.VassalMaterializer files;
                try {
                    // a row's socket column becomes the on-demand file emperor-on-demand-extension names
                    files = new dev.imperium.emperor.pgsql.VassalMaterializer(dir, settings.fleet().tyrant().enabled(),
                            settings.onDemand().extension());
                } catch (IOException e) {
                    throw new EmperorStartException("cannot create " + dir + " for " + m.describe() + ": " + e, e);
                }
                pgsqlMonitors.add(new dev.imperium.emperor.pgsql.PgsqlMonitor(m.pgsql(), files,
                        settings.rescanPeriod(), settings.fleet().tyrant().enabled(),
                        name -> name.indexOf('/') < 0 && VassalFiles.isVassalName(name, extra),
                        line -> loop.post(() -> log.stamped(line))));
                entries.add(new MonitorSet.Entry(m.describe(), new DirectoryScope(dir, extra)));
            } else if (m.glob() != null) {
                entries.add(new MonitorSet.Entry(m.describe(), new GlobScope(m.glob(), m.dir(), extra)));
            } else {
                Path d = m.dir().toAbsolutePath().normalize();
                if (!Files.isDirectory(d)) {
                    throw new EmperorStartException("vassal directory " + d + " does not exist or is not a directory");
                }
                entries.add(new MonitorSet.Entry("directory " + d, new DirectoryScope(d, extra)));
            }
        }
        return new MonitorSet(entries, supervisor::fileChanged, line -> loop.post(() -> log.emperor(line)));
    }

    /** Starts systemd notifications; READY follows the watcher's first scan (a rescan runs after it). */
    private void startSystemdNotifications() {
        if (systemdEnv == null) {
            return;
        }
        ServiceNotifications n;
        try {
            n = new ServiceNotifications(systemdEnv, SystemdNotifier.open(systemdEnv.socket()), loop,
                    supervisor::size, log);
        } catch (IOException | RuntimeException | LinkageError e) {
            log.emperor("cannot notify systemd on " + systemdEnv.socket() + ": " + e);
            return;
        }
        systemd = n;
        n.start();
        CompletableFuture.allOf(watchers.stream().map(VassalWatcher::rescan).toArray(CompletableFuture[]::new))
                .whenComplete((done, closed) -> n.ready()); // every monitor's first scan (issue 7: monitors)
    }

    /** How vassal files are stamped: with their owner in tyrant mode, so that a chown is a change. */
    private java.util.function.Function<Path, java.util.Optional<FileStamp>> stamper() {
        Tyrant tyrant = settings.fleet().tyrant();
        return tyrant.enabled() ? p -> FileStamp.of(p, true, tyrant.nofollow()) : FileStamp::of;
    }

    /** Issue 8: resource limits. Where tyrant mode's runtime directory goes: /run as root, else java.io.tmpdir. */
    private static Path tyrantRuntimeBase() {
        Path run = Path.of("/run");
        if (dev.imperium.os.Credentials.effectiveUid() == 0 && Files.isDirectory(run) && Files.isWritable(run)) {
            return run;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Tyrant mode: vassals of other users must reach the control socket (their token proves who they are), and
     * the emperor must be root to make them those users.
     */
    private java.util.List<String> tyrantNotes(String setpriv) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        try {
            control.allowOtherUsers();
            keeper.allowOtherUsers(); // Issue 8: chaos
        } catch (IOException e) {
            notes.add("cannot open the control socket to the vassals' users: " + e.getMessage());
        }
        notes.add("tyrant mode: each vassal runs as the owner of its file (through " + setpriv + ")"
                + (settings.fleet().tyrant().nofollow() ? ", the owner of a symbolic link itself" : "")
                + (settings.fleet().tyrant().allowRoot() ? "; root's files run as the emperor's user" : ""));
        if (dev.imperium.os.Credentials.effectiveUid() != 0) {
            notes.add("tyrant mode without root: only files owned by this emperor's own user can run (as it is)");
        }
        return notes;
    }

    /** Opens the socket for {@code imperium}; returns the line to log about it, or null when there is none. */
    private String openClientSocket(ClientControl clientControl) throws EmperorStartException {
        if (clientSocket == null) {
            return null;
        }
        try {
            clientServer = ClientControlServer.open(clientSocket, clientSocketIsDefault, clientControl,
                    line -> loop.post(() -> log.emperor(line)));
            return "listening for imperium on " + clientServer.path() + " (mode 0600)";
        } catch (IOException e) {
            if (!clientSocketIsDefault) {
                control.close();
                throw new EmperorStartException("cannot create the control socket " + clientSocket + ": "
                        + e.getMessage(), e);
            }
            return "not listening for imperium: " + e.getMessage()
                    + (e instanceof ClientControlServer.InUseException
                    ? " (give this emperor its own with --control-socket PATH)" : "");
        }
    }

    /**
     * Sets the stats server and /metrics to open at {@link #start()}.
     *
     * @param m the addresses (or {@link MonitoringSettings#NONE})
     * @return this emperor
     */
    public synchronized Emperor withMonitoring(MonitoringSettings m) {
        if (loopThread != null) {
            throw new IllegalStateException("already started");
        }
        monitoring = m;
        return this;
    }

    /**
     * Takes a snapshot of the emperor and every vassal on the event loop (for the stats server and /metrics). The
     * future never completes once the emperor is buried: wait on it with a timeout.
     *
     * @return the snapshot, when the loop has taken it
     */
    CompletableFuture<EmperorSnapshot> snapshot() {
        CompletableFuture<EmperorSnapshot> f = new CompletableFuture<>();
        loop.post(() -> f.complete(supervisor.snapshot(startedAtMillis)));
        return f;
    }

    /** Returns the URL of /metrics, or null without --emperor-metrics (after {@link #start()}). */
    String metricsUrl() {
        MetricsServer m = metricsServer;
        return m == null ? null : m.url();
    }

    private void openMonitoring() throws IOException {
        if (monitoring.statsAddress() != null) {
            statsServer = EmperorStatsServer.open(monitoring.statsAddress(), monitoring.statsHttp(),
                    monitoring.statsMinified(), this::snapshot, log);
        }
        if (monitoring.metricsAddress() != null) {
            metricsServer = MetricsServer.open(monitoring.metricsAddress(), this::snapshot, statsReports, log);
        }
        if (monitoring.dashboardAddress() != null) {
            dashboard = DashboardServer.open(monitoring.dashboardAddress(), fleet());
            log.emperor("fleet page on " + dashboard.url());
        }
    }

    /**
     * Returns the fleet page's view of this emperor: snapshots taken on its event loop, which time out once it is
     * buried.
     */
    FleetSource fleet() {
        return new EmperorFleetSource(this::snapshot, name -> logs.recent(name, RECENT_LOG_LINES), statsReports);
    }

    private void closeMonitoring() {
        EmperorStatsServer stats = statsServer;
        if (stats != null) {
            stats.close();
        }
        MetricsServer metrics = metricsServer;
        if (metrics != null) {
            metrics.close();
        }
        DashboardServer page = dashboard;
        if (page != null) {
            page.close();
        }
    }

    /** Returns the control socket vassals connect to (after {@link #start()}). */
    public Path controlSocket() {
        return control.socketPath();
    }

    /**
     * Starts Ragnarok: every vassal gets STOP_GRACEFUL, and SIGKILL (its whole process group) if still alive after
     * the reload mercy; then the emperor is buried. A second call only logs, like uWSGI's
     * "RAGNAROK ALREADY EVOKED".
     */
    public void shutdown() {
        loop.post(this::ragnarok);
    }

    /** Sends RELOAD to every vassal and retries every vassal in backoff at once (SIGHUP). */
    public void reloadAll() {
        loop.post(() -> {
            if (!ragnarok) {
                log.emperor("reloading all vassals");
                supervisor.reloadAll();
            }
        });
    }

    /** Rescans the vassal directory now (SIGWINCH, as uWSGI's emperor_wakeup). */
    public void rescan() {
        watchers.forEach(VassalWatcher::rescan); // every monitor (issue 7: monitors)
        pgsqlMonitors.forEach(dev.imperium.emperor.pgsql.PgsqlMonitor::pollSoon);
    }

    /** Logs the state of every vassal (SIGUSR1). */
    public void logStatus() {
        supervisor.logStatus();
    }

    /**
     * Waits until the emperor is buried.
     *
     * @return the exit code (0)
     * @throws InterruptedException if interrupted while waiting
     */
    public int awaitBuried() throws InterruptedException {
        try {
            return buried.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits until the emperor is buried, at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return true if buried
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitBuried(Duration timeout) throws InterruptedException {
        try {
            buried.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Returns whether the emperor is buried. */
    public boolean isBuried() {
        return buried.isDone();
    }

    /**
     * Returns a vassal's current state (for tests and tools).
     *
     * @param name the vassal file name
     * @return its state, or null if the emperor does not know it
     */
    public VassalState stateOf(String name) {
        if (isBuried()) {
            return null;
        }
        CompletableFuture<VassalState> f = new CompletableFuture<>();
        loop.post(() -> f.complete(supervisor.stateOf(name)));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private void ragnarok() {
        if (isBuried) {
            return;
        }
        if (ragnarok) {
            long left = settings.reloadMercy().toSeconds()
                    - Duration.ofNanos(System.nanoTime() - ragnarokNanos).toSeconds();
            log.line("[emperor] *** RAGNAROK ALREADY EVOKED (mercyless in " + Math.max(0, left) + " seconds)***");
            return;
        }
        ragnarok = true;
        ragnarokNanos = System.nanoTime();
        log.line("[emperor] *** RAGNAROK EVOKED ***");
        if (systemd != null) {
            systemd.stopping();
        }
        watchers.forEach(VassalWatcher::close); // issue 7: monitors
        pgsqlMonitors.forEach(dev.imperium.emperor.pgsql.PgsqlMonitor::stopPolling);
        supervisor.stopAll(this::bury);
        loop.schedule(settings.reloadMercy().plus(RAGNAROK_GRACE), () -> {
            if (!isBuried) {
                log.emperor(supervisor.size() + " vassal(s) not reaped " + Supervisor.seconds(
                        settings.reloadMercy().plus(RAGNAROK_GRACE)) + " after Ragnarok: giving up on them");
                bury();
            }
        });
    }

    private void bury() {
        if (isBuried) {
            return;
        }
        isBuried = true;
        log.stamped("The Emperor is buried.");
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        if (systemd != null) {
            systemd.buried();
        }
        loop.stop();
        buried.complete(0);
    }

    /** Removes the control socket, its directory and our pid file. Safe to call twice. */
    private void cleanUp() {
        watchers.forEach(VassalWatcher::close); // issue 7: monitors
        pgsqlMonitors.forEach(dev.imperium.emperor.pgsql.PgsqlMonitor::close);
        closeMonitoring();
        if (keeper != null) {
            keeper.close(); // Issue 8: chaos
        }
        if (control != null) {
            control.close();
        }
        if (clientServer != null) {
            clientServer.close();
        }
        Path pidFile = settings.pidFile();
        if (pidFile != null) {
            try {
                String content = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
                if (content.equals(Long.toString(ProcessHandle.current().pid()))) {
                    Files.deleteIfExists(pidFile);
                }
            } catch (IOException e) {
                // gone already
            }
        }
    }

    private void internalError(Throwable t) {
        log.emperor("internal error (the emperor goes on): " + t);
        for (StackTraceElement e : t.getStackTrace()) {
            log.line("\tat " + e);
        }
    }
}
