package dev.imperium.emperor;

import dev.imperium.emperor.client.ControlSocketPath;
import dev.imperium.os.Credentials;
import dev.imperium.os.Signals;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code emperor} command: {@code emperor --vassals DIR}. Options follow uWSGI's names
 * ({@code --emperor}, {@code --emperor-freq}, {@code --reload-mercy}, {@code --emperor-pidfile};
 * uwsgi-features.md §1.2).
 *
 * <p>Signals: SIGINT and SIGTERM start Ragnarok (graceful stop of every vassal, then exit 0); SIGHUP reloads every
 * vassal; SIGUSR1 logs each vassal's state; SIGWINCH rescans the directory. Unlike uWSGI, SIGQUIT cannot be
 * handled: the JVM keeps it for thread dumps.
 *
 * <p>systemd: with {@code NOTIFY_SOCKET} set it notifies systemd ({@link ServiceNotifications}).
 *
 * <p>Exit codes: 0 after Ragnarok (or for --help/--version), 1 if the emperor cannot start, 2 for a usage error.
 */
@Command(name = "emperor", mixinStandardHelpOptions = true, versionProvider = EmperorMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Watches a directory of vassal files (.ini .yaml .yml .json .xml .js) and runs one vassal per file.",
            "Drop a file to deploy an app (rename it into place), touch it to reload it, remove it to stop it.",
            "",
            "Signals: INT/TERM stop every vassal gracefully and exit; HUP reloads every vassal; USR1 logs "
                + "the state of each vassal; WINCH rescans the directory. (QUIT is the JVM's thread dump.)",
            "",
            "Under systemd (Type=notify, NOTIFY_SOCKET set) it sends READY=1 once its first scan has started the "
                + "vassals, STATUS=The Emperor is governing N vassals, STOPPING=1, and WATCHDOG=1 every "
                + "WATCHDOG_USEC/2."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Stopped after SIGINT/SIGTERM (all vassals stopped), or --help/--version.",
            "1:Could not start (missing directory, pid file, control socket, stats, metrics or dashboard address "
                + "error, no vassal command).",
            "2:Invalid command line."})
public final class EmperorMain implements Callable<Integer> {
    /** Exit code when the emperor cannot start. */
    public static final int EXIT_START_FAILED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Every --emperor monitor, in order: uWSGI's repeatable --emperor (issue 7: monitors). */
    @Option(names = {"--vassals", "--emperor"}, order = 1, paramLabel = "DIR|GLOB|pg://...", required = true,
            description = "A vassal directory to watch (uWSGI's --emperor DIR or dir://DIR), a glob of vassal "
                    + "files ('/srv/*/vassal.ini' or glob://...; each file is a vassal named by its path), or a "
                    + "PostgreSQL query ('pg://CONNINFO;QUERY', also pgsql://). Repeatable: several monitors at once.")
    private List<String> vassals = new java.util.ArrayList<>();

    @Option(names = "--emperor-freq", order = 2, paramLabel = "SECONDS", defaultValue = "3",
            description = "Full rescan period in seconds, a safety net behind inotify (default: ${DEFAULT-VALUE}).")
    private int freq;

    @Option(names = "--reload-mercy", order = 3, paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds a stopping vassal gets before SIGKILL of its process group "
                    + "(default: ${DEFAULT-VALUE}).")
    private int reloadMercy;

    @Option(names = "--emperor-pidfile", order = 4, paramLabel = "FILE",
            description = "Write the emperor's pid to FILE.")
    private Path pidFile;

    @Option(names = "--start-concurrency", order = 5, paramLabel = "N",
            description = "How many vassals may be starting at once (launched, not yet accepting requests); the "
                    + "others wait their turn. 0: no limit (default: the number of CPUs).")
    private Integer startConcurrency;

    @Option(names = "--ini", order = 6, paramLabel = "FILE", preprocessor = UwsgiConfigFile.class,
            description = "Read emperor options from a uWSGI config file's [uwsgi] section (FILE[:section]), where it "
                    + "stands on the command line: emperor = DIR, emperor-freq, reload-mercy, emperor-pidfile and the "
                    + "other options here, with placeholders and includes as in a vassal file. Later options win.")
    private String iniFile;

    @Option(names = "--yaml", order = 7, paramLabel = "FILE", preprocessor = UwsgiConfigFile.class,
            description = "The same from a YAML file (also --yml).")
    private String yamlFile;

    @Option(names = "--json", order = 8, paramLabel = "FILE", preprocessor = UwsgiConfigFile.class,
            description = "The same from a JSON file (also --js).")
    private String jsonFile;

    @Option(names = "--yml", hidden = true, preprocessor = UwsgiConfigFile.class)
    private String ymlFile;

    @Option(names = "--js", hidden = true, preprocessor = UwsgiConfigFile.class)
    private String jsFile;

    @Option(names = "--xml", order = 9, paramLabel = "FILE", preprocessor = UwsgiConfigFile.class,
            description = "The same from an XML file.")
    private String xmlFile;

    @Option(names = {"--master", "--die-on-term"}, hidden = true,
            description = "Accepted for uWSGI emperor command lines; no effect (SIGTERM always stops gracefully).")
    private boolean compatibility;

    // Stats and metrics (issue 6: the emperor stats server and /metrics).
    @Option(names = {"--emperor-stats", "--emperor-stats-server"}, order = 10, paramLabel = "ADDR",
            description = "Serve the emperor's stats JSON (uWSGI's format) on ADDR: HOST:PORT, :PORT, a UNIX "
                    + "socket path or @abstract. Each client gets one document, then the connection closes.")
    private String emperorStats;

    @Option(names = "--stats-http", order = 11,
            description = "The emperor stats server answers HTTP requests (uWSGI's stats-http).")
    private boolean statsHttp;

    @Option(names = {"--stats-minified", "--stats-min"}, order = 12,
            description = "The emperor stats JSON without indentation (uWSGI's stats-minified).")
    private boolean statsMinified;

    @Option(names = "--emperor-metrics", order = 13, paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics of every vassal and of the emperor at http://HOST:PORT/metrics, "
                    + "for example 127.0.0.1:9191 (off unless set).")
    private String emperorMetrics;

    @Option(names = "--emperor-dashboard", order = 14, paramLabel = "HOST:PORT",
            description = "Serve a read-only web page of the fleet at http://HOST:PORT/, for example "
                    + "127.0.0.1:9192 (off unless set).")
    private String emperorDashboard;

    @Option(names = "--control-socket", order = 15, paramLabel = "PATH",
            description = "The socket the imperium command talks to (mode 0600: only this user and root may use it). "
                    + "Default: " + ControlSocketPath.ROOT_PATH + " as root, else $XDG_RUNTIME_DIR/imperium/emperor.sock"
                    + " (/tmp/imperium-UID/emperor.sock without XDG_RUNTIME_DIR).")
    private Path controlSocket;

    @Option(names = "--log-format", order = 16, paramLabel = "FORMAT", defaultValue = "text",
            description = "text: uWSGI's lines, each vassal line tagged [NAME]; plain: vassal lines untagged, as "
                    + "uWSGI; json: one JSON object per line for log shippers (default: ${DEFAULT-VALUE}).")
    private String logFormat;

    // Issue 7: emperor options.
    @Option(names = "--vassals-include", order = 20, paramLabel = "FILE",
            description = "Give every vassal FILE as extra config, read after its own file (uWSGI's --include on the "
                    + "vassal's command line); repeatable. A relative path is relative to the vassal directory.")
    private List<String> vassalsInclude = new java.util.ArrayList<>();

    @Option(names = "--vassals-include-before", order = 21, paramLabel = "FILE",
            description = "The same, read before the vassal's file, so that the file overrides it; repeatable.")
    private List<String> vassalsIncludeBefore = new java.util.ArrayList<>();

    @Option(names = "--vassals-inherit", order = 22, paramLabel = "FILE",
            description = "Give every vassal FILE as a template (uWSGI's --inherit: read after everything else, so its "
                    + "single values win); repeatable.")
    private List<String> vassalsInherit = new java.util.ArrayList<>();

    @Option(names = "--vassals-inherit-before", order = 23, paramLabel = "FILE",
            description = "The same, placed before the vassal's file on its command line (as in uWSGI, inherited "
                    + "files are still read last); repeatable.")
    private List<String> vassalsInheritBefore = new java.util.ArrayList<>();

    @Option(names = {"--vassal-set", "--vassals-set"}, order = 24, paramLabel = "KEY=VALUE",
            description = "Set an option or placeholder in every vassal (uWSGI's --set on its command line); "
                    + "repeatable.")
    private List<String> vassalSet = new java.util.ArrayList<>();

    @Option(names = "--emperor-throttle", order = 25, paramLabel = "MS", defaultValue = "1000",
            description = "Backoff before the second respawn of a failing vassal, in ms; it doubles at each failure "
                    + "in a row (default: ${DEFAULT-VALUE}).")
    private long emperorThrottle;

    @Option(names = "--emperor-max-throttle", order = 26, paramLabel = "MS", defaultValue = "180000",
            description = "Longest backoff between respawns of a failing vassal, in ms (default: ${DEFAULT-VALUE}).")
    private long emperorMaxThrottle;

    @Option(names = "--emperor-no-blacklist", order = 27,
            description = "No backoff: respawn a failing vassal at once, every time.")
    private boolean emperorNoBlacklist;

    @Option(names = "--emperor-required-heartbeat", order = 28, paramLabel = "SECONDS", defaultValue = "30",
            description = "Kill (SIGKILL) and respawn a vassal that sent a heartbeat (its heartbeat option) and then "
                    + "none for SECONDS (default: ${DEFAULT-VALUE}).")
    private int requiredHeartbeat;

    @Option(names = "--emperor-graceful-shutdown", order = 29,
            description = "Accepted for uWSGI: the emperor always stops its vassals gracefully.")
    private boolean gracefulShutdown;

    @Option(names = "--emperor-tyrant", order = 30,
            description = "Run each vassal as the user and group owning its file (files owned by root, or by group "
                    + "root, are refused).")
    private boolean tyrant;

    @Option(names = "--emperor-tyrant-nofollow", order = 31,
            description = "In tyrant mode, a symbolic link's own owner counts, not its target's.")
    private boolean tyrantNofollow;

    @Option(names = "--emperor-tyrant-allow-root", order = 32,
            description = "In tyrant mode, run root-owned vassal files as the emperor's user instead of refusing "
                    + "them.")
    private boolean tyrantAllowRoot;

    // Issue 7: foreign vassals.
    @Option(names = "--emperor-wrapper", order = 33, paramLabel = "BIN",
            description = "Run vassals with the uWSGI binary BIN, speaking uWSGI's emperor protocol (default: only "
                    + "vassal files with imperium-runtime = uwsgi, with uwsgi from the PATH). A file with "
                    + "imperium-runtime = imperium still runs under Imperium.")
    private String emperorWrapper;

    @Option(names = "--emperor-wrapper-override", order = 34, paramLabel = "BIN",
            description = "A uWSGI binary to try before --emperor-wrapper (repeatable; the first executable one is "
                    + "used).")
    private List<String> emperorWrapperOverrides = new java.util.ArrayList<>();

    @Option(names = "--emperor-wrapper-fallback", order = 35, paramLabel = "BIN",
            description = "A uWSGI binary to try after --emperor-wrapper (repeatable).")
    private List<String> emperorWrapperFallbacks = new java.util.ArrayList<>();

    // Issue 7: monitors.
    @Option(names = {"--emperor-extra-extension", "--emperor-extra-ext"}, order = 36, paramLabel = "EXT",
            description = "Files whose names end with EXT (e.g. .conf) are vassal files too, read as ini files "
                    + "(uWSGI runs them with --config); repeatable.")
    private List<String> extraExtensions = new java.util.ArrayList<>();

    /** Issue 7: monitors. Reads every --emperor monitor and the extra extensions. */
    private MonitorSettings monitorSettings(List<EmperorMonitor> monitors) {
        for (String ext : extraExtensions) {
            if (ext.isEmpty() || ext.indexOf('/') >= 0) {
                throw new IllegalArgumentException("--emperor-extra-extension: '" + ext + "' is no file name ending");
            }
        }
        EmperorMonitor first = monitors.getFirst();
        boolean single = monitors.size() == 1 && first.pgsql() == null; // as before: the first monitor's settings
        return new MonitorSettings(single ? List.of() : monitors, extraExtensions);
    }

    /** Returns the foreign-vassal settings of this command line. */
    dev.imperium.emperor.foreign.ForeignSettings foreignSettings() {
        return new dev.imperium.emperor.foreign.ForeignSettings(emperorWrapper, emperorWrapperOverrides,
                emperorWrapperFallbacks);
    }

    // Issue 7: broodlord.
    @Option(names = "--emperor-broodlord", order = 40, paramLabel = "N",
            description = "Broodlord mode: a vassal that asks for reinforcements (vassal-sos, vassal-sos-backlog) gets "
                    + "a zerg, NAME:zerg, run from the [zerg] section of its file, while fewer than N zergs run in all "
                    + "(default 0: off).")
    private int emperorBroodlord;

    // Issue 7: ondemand.
    @Option(names = {"--emperor-on-demand-extension", "--emperor-on-demand-ext"}, order = 36, paramLabel = "EXT",
            description = "On-demand vassals: for vassal app.ini, the first line of app.ini<EXT> names a socket the "
                    + "emperor binds; the vassal starts at its first connection (the socket is its fd 0) and goes "
                    + "back to sleep after idle + die-on-idle.")
    private String onDemandExtension;

    @Option(names = {"--emperor-on-demand-directory", "--emperor-on-demand-dir"}, order = 37, paramLabel = "DIR",
            description = "On-demand vassals: the socket of vassal app.ini is the UNIX socket DIR/app.socket.")
    private Path onDemandDirectory;

    @Option(names = "--emperor-on-demand-exec", order = 38, paramLabel = "CMD",
            description = "On-demand vassals: the first line CMD \"<vassal file>\" prints (run by /bin/sh in the "
                    + "vassal directory) names the socket.")
    private String onDemandExec;

    /** Returns the on-demand options of this command line (issue 7: ondemand). */
    dev.imperium.emperor.ondemand.OnDemandSettings onDemandSettings() {
        return new dev.imperium.emperor.ondemand.OnDemandSettings(onDemandExtension,
                onDemandDirectory == null ? null : onDemandDirectory.toAbsolutePath(), onDemandExec);
    }

    // Issue 7: scale.
    @Option(names = "--emperor-use-clone", order = 36, paramLabel = "FLAGS",
            description = "Start each vassal in new Linux namespaces, through unshare(1): a comma-separated list of "
                    + "net, ipc, uts, mount (ns, fs, mnt), user (uWSGI's names; pid, files, io, parent and sysvsem "
                    + "are refused).")
    private String emperorUseClone;

    /** Returns emperor-use-clone's namespaces (issue 7: scale). */
    private CloneFlags cloneFlags() {
        return emperorUseClone == null ? CloneFlags.NONE : CloneFlags.parse(emperorUseClone);
    }

    @Option(names = "--vassal-command", paramLabel = "CMD", hidden = true,
            description = "Program running one vassal, split on spaces (default: $IMPERIUM_HOME/bin/vassal).")
    private String vassalCommand;

    @Option(names = "--settle-ms", paramLabel = "MS", hidden = true, defaultValue = "50",
            description = "Quiet time in ms before a changed vassal file is acted on.")
    private long settleMs;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", hidden = true, defaultValue = "60",
            description = "Seconds a vassal may take to accept requests after a spawn or reload.")
    private long startTimeout;

    @Option(names = "--stable-after", paramLabel = "SECONDS", hidden = true, defaultValue = "10",
            description = "Seconds of accepting after which a vassal's failures are forgiven.")
    private long stableAfter;

    private final LineSink sink;

    /** Creates the command writing to the process's stdout/stderr. */
    public EmperorMain() {
        this(null);
    }

    EmperorMain(LineSink sink) {
        this.sink = sink;
    }

    /**
     * Runs the emperor until SIGINT/SIGTERM, then exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine(new EmperorMain()).execute(args));
    }

    /**
     * Returns the command line of {@code emperor}: as with uWSGI, an option given twice (on the command line, or in
     * a file read with {@code --ini}) takes its last value.
     */
    static CommandLine commandLine(EmperorMain main) {
        return new CommandLine(main).setOverwrittenOptionsAllowed(true);
    }

    @Override
    public Integer call() throws Exception {
        CommandLine.Model.CommandSpec spec = new CommandLine(this).getCommandSpec();
        EmperorSettings settings;
        EmperorLogFormat format;
        try {
            settings = settings();
            format = EmperorLogFormat.parse(logFormat);
        } catch (IllegalArgumentException e) {
            System.err.println("emperor: " + e.getMessage());
            return spec.exitCodeOnInvalidInput();
        }
        if (settings == null) {
            System.err.println("emperor: no vassal command: the system property imperium.home is not set "
                    + "(start the emperor with bin/emperor)");
            return EXIT_START_FAILED;
        }
        MonitoringSettings monitoring;
        try {
            monitoring = monitoring();
        } catch (IllegalArgumentException e) {
            System.err.println("emperor: " + e.getMessage());
            return spec.exitCodeOnInvalidInput();
        }
        ConsoleWriter console = sink == null ? new ConsoleWriter(8192) : null;
        LineSink out = format.wrap(sink != null ? sink : console, java.time.Clock.systemDefaultZone());
        if (console != null && format == EmperorLogFormat.JSON) {
            EmperorLogFormat.Json json = (EmperorLogFormat.Json) out; // the console's own notices, as JSON too
            console.formatNotices(text -> json.object(null, ProcessHandle.current().pid(), false, text));
        }
        Emperor emperor = new Emperor(settings, out).withMonitoring(monitoring);
        // Issue 7: packaging. systemd's Type=notify: READY, STATUS, STOPPING and WATCHDOG when NOTIFY_SOCKET is set.
        try {
            emperor.withSystemd(NotifyEnvironment.of(System.getenv(), ProcessHandle.current().pid()));
        } catch (IllegalArgumentException e) {
            System.err.println("emperor: " + e.getMessage());
        }
        int euid = Credentials.effectiveUid();
        emperor.clientControlSocket(ControlSocketPath.resolve(controlSocket, euid, System.getenv()),
                controlSocket == null);
        try {
            emperor.start();
        } catch (EmperorStartException e) {
            if (console != null) {
                console.close();
            }
            System.err.println("emperor: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        Signals.on("INT", emperor::shutdown);
        Signals.on("TERM", emperor::shutdown);
        Signals.on("HUP", emperor::reloadAll);
        Signals.on("USR1", emperor::logStatus);
        Signals.on("WINCH", emperor::rescan);
        int code = emperor.awaitBuried();
        if (console != null) {
            console.close();
        }
        return code;
    }

    /** Reads the stats and metrics options; malformed addresses are usage errors. */
    private MonitoringSettings monitoring() {
        if (emperorStats != null) {
            try {
                dev.imperium.vassal.SocketSpec.parse(emperorStats);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--emperor-stats: " + e.getMessage(), e);
            }
        }
        if (emperorMetrics != null) {
            MetricsServer.parseAddress(emperorMetrics);
        }
        if (emperorDashboard != null) {
            dev.imperium.emperor.dashboard.DashboardAddress.parse(emperorDashboard);
        }
        if ((statsHttp || statsMinified) && emperorStats == null) {
            throw new IllegalArgumentException("--stats-http and --stats-minified need --emperor-stats");
        }
        return new MonitoringSettings(emperorStats, statsHttp, statsMinified, emperorMetrics, emperorDashboard);
    }

    /** Returns the settings the parsed command line gives (for tests). */
    EmperorSettings settingsForTest() {
        return settings();
    }

    private EmperorSettings settings() {
        List<String> command = vassalCommand != null
                ? Arrays.stream(vassalCommand.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList()
                : EmperorSettings.defaultVassalCommand();
        if (command == null || command.isEmpty()) {
            return null;
        }
        if (freq < 1) {
            throw new IllegalArgumentException("--emperor-freq must be at least 1 second");
        }
        if (reloadMercy < 0 || settleMs < 0) {
            throw new IllegalArgumentException("--reload-mercy must not be negative");
        }
        if (startConcurrency != null && startConcurrency < 0) {
            throw new IllegalArgumentException("--start-concurrency must not be negative");
        }
        Path cwd = Path.of("").toAbsolutePath();
        List<EmperorMonitor> monitors = vassals.stream().distinct()
                .map(v -> EmperorMonitor.parse(v, cwd)).toList(); // issue 7
        EmperorMonitor monitor = monitors.getFirst();
        return EmperorSettings.defaults(monitor.dir(), command)
                .withStartConcurrency(startConcurrency != null ? startConcurrency
                        : EmperorSettings.defaultStartConcurrency())
                .withRescanPeriod(Duration.ofSeconds(freq))
                .withReloadMercy(Duration.ofSeconds(reloadMercy))
                .withPidFile(pidFile)
                .withSettle(Duration.ofMillis(settleMs))
                .withStartTimeout(Duration.ofSeconds(startTimeout))
                .withStableAfter(Duration.ofSeconds(stableAfter))
                .withBackoff(backoff())
                .withFleet(fleet().withGlob(monitor.glob()))
                .withForeign(foreignSettings()) // issue 7: foreign vassals
                .withBroodlord(new dev.imperium.emperor.broodlord.BroodlordSettings(emperorBroodlord)) // broodlord
                .withMonitors(monitorSettings(monitors)) // issue 7: monitors
                .withOnDemand(onDemandSettings()) // issue 7: ondemand
                .withClone(cloneFlags()); // issue 7: scale
    }

    /** emperor-throttle and emperor-max-throttle (issue 7: emperor options). */
    private BackoffPolicy backoff() {
        if (emperorThrottle < 1) {
            throw new IllegalArgumentException("--emperor-throttle must be at least 1 ms");
        }
        if (emperorMaxThrottle < emperorThrottle) {
            throw new IllegalArgumentException("--emperor-max-throttle (" + emperorMaxThrottle
                    + " ms) must not be below --emperor-throttle (" + emperorThrottle + " ms)");
        }
        return new BackoffPolicy(Duration.ofMillis(emperorThrottle), Duration.ofMillis(emperorMaxThrottle),
                BackoffPolicy.DEFAULT.jitter());
    }

    /** The other emperor options of issue 7. */
    private FleetOptions fleet() {
        if (requiredHeartbeat < 1) {
            throw new IllegalArgumentException("--emperor-required-heartbeat must be at least 1 second");
        }
        return new FleetOptions(new VassalArguments(vassalsInheritBefore, vassalsIncludeBefore, vassalSet,
                vassalsInherit, vassalsInclude), emperorNoBlacklist, Duration.ofSeconds(requiredHeartbeat),
                gracefulShutdown, new Tyrant(tyrant, tyrantNofollow, tyrantAllowRoot));
    }

    /**
     * Expands {@code --ini FILE} (and {@code --yaml}, {@code --json}, {@code --xml}) in place into the emperor options
     * its {@code [uwsgi]} section sets, as uWSGI reads {@code uwsgi --ini emperor.ini}: {@code emperor = DIR} becomes
     * {@code --emperor DIR}, a flag set to true becomes {@code --flag}. A key that is no uWSGI option is a placeholder
     * and is skipped; a uWSGI option the emperor does not take is a usage error naming the file and line.
     */
    static final class UwsgiConfigFile implements CommandLine.IParameterPreprocessor {
        /** Entries that the loader has already acted on (reading files, setting placeholders). */
        private static final java.util.Set<String> LOADER_KEYS = java.util.Set.of("include", "ini", "yaml", "json",
                "xml", "inherit", "set", "set-placeholder", "declare-option", "declare-option2", "strict");

        @Override
        public boolean preprocess(java.util.Stack<String> args, CommandLine.Model.CommandSpec spec,
                                  CommandLine.Model.ArgSpec argSpec, java.util.Map<String, Object> info) {
            if (args.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter for option"
                        + " '" + ((CommandLine.Model.OptionSpec) argSpec).longestName() + "' (FILE)");
            }
            String file = args.pop();
            dev.imperium.config.VassalConfig config;
            try {
                config = new dev.imperium.config.ConfigLoader(dev.imperium.config.LoaderOptions.defaults())
                        .loadUnchecked(file);
            } catch (dev.imperium.config.ConfigException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.join("\n",
                        e.diagnostics().stream().map(dev.imperium.config.Diagnostic::format).toList()));
            }
            java.util.List<String> expanded = new java.util.ArrayList<>();
            for (dev.imperium.config.ConfigEntry entry : config.entries()) {
                dev.imperium.config.Option known = dev.imperium.config.OptionTable.lookup(entry.key());
                String key = known == null ? entry.key() : known.name();
                // Imperium's own emperor options (emperor-metrics, emperor-dashboard, control-socket, log-format)
                // are no uWSGI options: only a key that is neither is a placeholder
                CommandLine.Model.OptionSpec own = known == null ? spec.findOption("--" + entry.key()) : null;
                if (known == null && own == null) {
                    String close = closeOption(spec, entry.key());
                    if (close != null) { // a placeholder a letter away from an emperor option is a typo
                        throw new CommandLine.ParameterException(spec.commandLine(), entry.origin()
                                + ": unknown option '" + entry.key() + "' (did you mean '" + close + "'?)");
                    }
                    continue; // a placeholder
                }
                if (LOADER_KEYS.contains(key)) {
                    continue; // an include already read
                }
                CommandLine.Model.OptionSpec option = own != null ? own : spec.findOption("--" + key);
                if (option == null) {
                    option = spec.findOption("--" + entry.key());
                }
                if (option == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), entry.origin() + ": option '" + key
                            + "' is not an emperor option Imperium supports (see emperor --help)");
                }
                if (option.arity().max() == 0 || option.type() == boolean.class) {
                    if (dev.imperium.config.VassalConfig.parseBoolean(key, entry.value())) {
                        expanded.add(option.longestName());
                    }
                } else {
                    expanded.add(option.longestName());
                    expanded.add(entry.value());
                }
            }
            for (int i = expanded.size() - 1; i >= 0; i--) {
                args.push(expanded.get(i));
            }
            return true;
        }
    }

    /**
     * Returns the emperor option (without dashes) a few edits away from {@code key} ("did you mean", as for vassal
     * files), or null: {@code emperor-metrix} is {@code emperor-metrics} misspelt, not a placeholder.
     */
    static String closeOption(CommandLine.Model.CommandSpec spec, String key) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                String bare = name.replaceFirst("^-+", "");
                if (bare.length() > 3) {
                    names.add(bare);
                }
            }
        }
        return dev.imperium.config.Suggestions.closest(key, names);
    }

    /** Reads the version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = EmperorMain.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // fall through
            }
            return new String[] {"Imperium emperor " + p.getProperty("version", "(development build)"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
