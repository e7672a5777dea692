package dev.imperium.vassal;

import dev.imperium.apps.Mount;
import dev.imperium.cgi.CgiConfig;
import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;
import dev.imperium.routing.RoutingRules;
import dev.imperium.statics.StaticSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed view of a vassal's options that the master and its workers act on, read once from a
 * {@link VassalConfig}. Defaults are uWSGI 2.0's (uwsgi-docs "Options"; {@code core/init.c}).
 *
 * @param config the resolved config it was read from
 * @param sockets the sockets ({@code http-socket}, {@code socket}, {@code uwsgi-socket}), in the file's order
 * @param processes the number of workers ({@code processes}/{@code workers}, default 1)
 * @param threads the concurrent requests per worker ({@code threads}, default 1)
 * @param chdir the directory apps run in ({@code chdir}), or null for the master's working directory
 * @param env extra environment for workers ({@code env = KEY=VALUE}), in order
 * @param jvmClasspath the app's class path entries ({@code jvm-classpath})
 * @param jvmOptions extra JVM options for worker JVMs ({@code jvm-opt})
 * @param jwsgi the JWSGI entry point ({@code jwsgi = Class[:method]}), or null
 * @param imperiumApp the typed-API app class ({@code imperium-app}), or null
 * @param needApp exit when the app cannot be loaded ({@code need-app})
 * @param disableLogging no request log lines ({@code disable-logging})
 * @param logto the log file ({@code logto}), or null
 * @param pidfile the master's pidfile ({@code pidfile}), or null
 * @param vacuum remove pidfile and UNIX socket files at exit ({@code vacuum})
 * @param workerMercySeconds how long a stopping worker may take before SIGKILL ({@code worker-reload-mercy},
 *     default 60; {@code reload-mercy} when set and lower)
 * @param bufferSize the largest request head in bytes ({@code buffer-size}, default 4096)
 * @param limitPost the largest request body in bytes, 0 for no limit ({@code limit-post})
 * @param socketTimeoutSeconds the socket read timeout ({@code socket-timeout}, default 4)
 * @param listenBacklog the accept queue length ({@code listen}, default 100)
 * @param harakiriSeconds the longest a request may run before the master kills its worker ({@code harakiri}, 0 =
 *     never)
 * @param maxRequests a worker is recycled after this many requests ({@code max-requests}, 0 = never)
 * @param maxRequestsDelta worker N recycles after {@code maxRequests + (N - 1) * delta} requests, so that the
 *     workers do not all restart at once ({@code max-requests-delta}, default 0)
 * @param minWorkerLifetimeSeconds a worker younger than this is not recycled ({@code min-worker-lifetime},
 *     default 10)
 * @param responseHeaders the {@code add-header} and {@code del-header} rules
 * @param touchReload files whose touch reloads the vassal gracefully ({@code touch-reload}), relative to the
 *     working directory of the workers
 * @param routing the internal routing rules ({@code route*}, {@code error-route*}, {@code response-route*},
 *     {@code final-route*}, {@code collect-header}, {@code pull-header}); {@link RoutingRules#NONE} without any
 * @param staticFiles the static-file options ({@code static-map}, {@code static-map2}, {@code static-expires*},
 *     {@code static-gzip*}, {@code honour-range}, ...), already checked
 * @param touchChainReload files whose touch chain-reloads the vassal ({@code touch-chain-reload}), relative as
 *     {@code touchReload}
 * @param masterFifo the master FIFOs ({@code master-fifo}), in order; the first is active at start
 * @param harakiriVerbose log the stuck request's stack before a harakiri kill ({@code harakiri-verbose})
 * @param harakiriGracefulTimeoutSeconds seconds between the graceful harakiri signal and the SIGKILL
 *     ({@code harakiri-graceful-timeout}, 0 = SIGKILL at once)
 * @param harakiriGracefulSignal the signal number of the graceful harakiri attempt ({@code harakiri-graceful-signal},
 *     default 15)
 * @param cgi the {@code cgi*} options (CGI and mounts)
 * @param mounts the {@code mount} values, in order (CGI and mounts)
 * @param manageScriptName {@code manage-script-name} (CGI and mounts)
 * @param noDefaultApp {@code no-default-app} (CGI and mounts)
 * @param cheaper the cheaper options ({@code cheaper}, {@code cheaper-initial}, {@code cheaper-step},
 *     {@code cheaper-algo}, ...): the adaptive number of workers
 * @param idleSeconds after this many seconds without a request the master cheaps every worker ({@code idle}, 0 =
 *     never)
 * @param dieOnIdle stop the vassal instead ({@code die-on-idle})
 * @param virtualThreads serve requests on virtual threads rather than on {@code threads} platform threads per worker
 *     ({@code imperium-virtual-threads})
 * @param threadStackSizeKb the stack of each platform request thread in KiB ({@code thread-stacksize}, 0 = the JVM's
 *     default)
 * @param daemons the external processes the master runs ({@code attach-daemon}, {@code smart-attach-daemon},
 *     {@code attach-daemon2}, ...)
 * @param stats the stats server's address ({@code stats}/{@code stats-server}: {@code 127.0.0.1:PORT},
 *     {@code :PORT}, a UNIX path or {@code @abstract}), or null for none
 * @param statsHttp send the stats document as an HTTP/1.0 response ({@code stats-http})
 * @param statsMinified send it without whitespace ({@code stats-minified}/{@code stats-min})
 * @param statsNoCores leave each worker's {@code cores} out of it ({@code stats-no-cores})
 * @param logging the logging options ({@code logto2}, {@code log-format}, {@code logger}, {@code log-maxsize}, ...;
 *     Logging, issue 6)
 * @param heartbeatSeconds how often the master tells the emperor it is alive ({@code heartbeat}, uWSGI's option;
 *     0: never; emperor options, issue 7)
 * @param zerg {@code vassal-sos}, {@code vassal-sos-backlog}, {@code zerg-server} and {@code zerg} (issue 7:
 *     broodlord)
 * @param emperorSockets whether the master gives the emperor a copy of its listening sockets and takes them back
 *     after a crash ({@code imperium-emperor-sockets}, issue 8: chaos)
 * @param emperorGraceSeconds how long the vassal keeps serving after its emperor died, waiting for a new one to take
 *     it over; 0: it stops at once and dies with the emperor, as uWSGI's ({@code imperium-emperor-grace}, issue 8)
 * @param maxConnections the most client connections each worker holds at once ({@code imperium-max-connections},
 *     default 1000; issue 8: slow clients)
 */
public record VassalSettings(
        VassalConfig config,
        List<SocketSpec> sockets,
        int processes,
        int threads,
        Path chdir,
        Map<String, String> env,
        List<String> jvmClasspath,
        List<String> jvmOptions,
        String jwsgi,
        String imperiumApp,
        boolean needApp,
        boolean disableLogging,
        String logto,
        String pidfile,
        boolean vacuum,
        int workerMercySeconds,
        int bufferSize,
        long limitPost,
        int socketTimeoutSeconds,
        int listenBacklog,
        int harakiriSeconds,
        int maxRequests,
        int maxRequestsDelta,
        int minWorkerLifetimeSeconds,
        ResponseHeaderRules responseHeaders,
        List<String> touchReload,
        // Internal routing.
        RoutingRules routing,
        // Static files.
        StaticSpec staticFiles,
        // Master operations: chain reload, master FIFO, harakiri extras, signals.
        List<String> touchChainReload,
        List<String> masterFifo,
        boolean harakiriVerbose,
        int harakiriGracefulTimeoutSeconds,
        int harakiriGracefulSignal,
        // CGI and mounts.
        CgiConfig cgi,
        List<Mount> mounts,
        boolean manageScriptName,
        boolean noDefaultApp,
        // Workers: cheaper, idle, threads, attached daemons.
        Cheaper.Settings cheaper,
        int idleSeconds,
        boolean dieOnIdle,
        boolean virtualThreads,
        int threadStackSizeKb,
        List<DaemonSpec> daemons,
        // Stats server (issue 6).
        String stats,
        boolean statsHttp,
        boolean statsMinified,
        boolean statsNoCores,
        // Logging (issue 6).
        LogSettings logging,
        // Emperor options (issue 7).
        int heartbeatSeconds,
        // Issue 7: broodlord.
        dev.imperium.zerg.ZergSettings zerg,
        // Issue 8: chaos (master and emperor loss).
        boolean emperorSockets,
        int emperorGraceSeconds,
        // Issue 8: slow clients.
        int maxConnections) {

    /**
     * Stands for the internal uwsgi socket bound for the {@code http} router when the vassal declares none; the
     * master binds it as {@code uwsgi.sock} in its private directory.
     */
    static final String AUTO_ROUTER_SOCKET = "127.0.0.1:0";

    /** {@code imperium-max-connections}' default: the most client connections a worker or router process holds. */
    static final int DEFAULT_MAX_CONNECTIONS = 1000;

    /**
     * Reads the settings from a resolved config.
     *
     * @throws IllegalArgumentException naming the option and its origin when a value is invalid
     */
    public static VassalSettings from(VassalConfig config) {
        requireImperiumRuntime(config); // Issue 7: foreign vassals.
        UnixSocketOptions unix = UnixSocketOptions.from(config);
        PostBuffering.from(config, Path.of(".")); // checks post-buffering and body-read-warning in the master
        List<SocketSpec> shared = sharedSockets(config);
        List<SocketSpec> sockets = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            String key = VassalConfig.canonicalKey(e);
            SocketProtocol protocol = SocketProtocol.forOption(key);
            if (protocol == null) {
                continue;
            }
            try {
                sockets.add(resolveShared(SocketSpec.parse(e.value(), protocol), shared));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.origin() + ": " + key + ": " + ex.getMessage(), ex);
            }
        }
        // the router connects with the JDK, which cannot reach an abstract socket: such a one does not count
        if (config.isSet("http") && !config.isSet("http-to")
                && sockets.stream().noneMatch(s -> s.protocol() == SocketProtocol.UWSGI
                        && !(s.isAbstract() || unix.abstractAll() && s.isUnix()))) {
            // uWSGI's --http alone: the workers get an internal uwsgi socket for the router (uWSGI binds a free
            // loopback port; the master binds a UNIX socket in its private directory, a cheaper hop)
            sockets.addFirst(SocketSpec.parse(AUTO_ROUTER_SOCKET, SocketProtocol.UWSGI));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (ConfigEntry e : config.entries("env")) {
            int eq = e.value().indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(e.origin() + ": env: expected KEY=VALUE, got '" + e.value() + "'");
            }
            env.put(e.value().substring(0, eq), e.value().substring(eq + 1));
        }
        int processes = positive(config, "processes", 1);
        int threads = positive(config, "threads", 1);
        int mercy = config.intValue("worker-reload-mercy", 60);
        if (config.isSet("reload-mercy")) {
            int reloadMercy = config.intValue("reload-mercy", mercy);
            if (reloadMercy > 0) {
                mercy = Math.min(mercy, reloadMercy);
            }
        }
        String chdir = config.value("chdir").orElse(null);
        return new VassalSettings(
                config,
                List.copyOf(sockets),
                processes,
                threads,
                chdir == null ? null : Path.of(chdir),
                java.util.Collections.unmodifiableMap(env),
                config.values("jvm-classpath"),
                config.values("jvm-opt"),
                config.value("jwsgi").orElse(null),
                config.value("imperium-app").orElse(null),
                config.flag("need-app"),
                config.flag("disable-logging"),
                config.value("logto").orElse(null),
                config.value("pidfile").orElse(null),
                config.flag("vacuum"),
                Math.max(mercy, 1),
                positive(config, "buffer-size", 4096),
                Math.max(0L, Long.parseLong(config.string("limit-post", "0").trim())),
                positive(config, "socket-timeout", 4),
                positive(config, "listen", 100),
                notNegative(config, "harakiri"),
                notNegative(config, "max-requests"),
                notNegative(config, "max-requests-delta"),
                config.intValue("min-worker-lifetime", 10),
                headerRules(config),
                config.values("touch-reload"),
                // Internal routing.
                routingRules(config),
                // Static files.
                StaticSettings.from(config),
                // Master operations: chain reload, master FIFO, harakiri extras, signals.
                config.values("touch-chain-reload"),
                config.values("master-fifo"),
                config.flag("harakiri-verbose"),
                notNegative(config, "harakiri-graceful-timeout"),
                signalNumber(config, "harakiri-graceful-signal", 15),
                // CGI and mounts.
                cgi(config),
                config.entries("mount").stream().map(e -> checked(e, Mount::parse)).toList(),
                config.flag("manage-script-name"),
                config.flag("no-default-app"),
                // Workers: cheaper, idle, threads, attached daemons.
                Cheaper.Settings.from(config, processes),
                notNegative(config, "idle"),
                config.flag("die-on-idle"),
                config.flag("imperium-virtual-threads"),
                notNegative(config, "thread-stacksize"),
                DaemonSpec.from(config),
                // Stats server (issue 6).
                config.value("stats").map(String::trim).filter(v -> !v.isEmpty()).orElse(null),
                config.flag("stats-http"),
                config.flag("stats-minified"),
                config.flag("stats-no-cores"),
                // Logging (issue 6).
                LogSettings.from(config),
                // Emperor options (issue 7).
                notNegative(config, "heartbeat"),
                // Issue 7: broodlord.
                dev.imperium.zerg.ZergSettings.from(config),
                // Issue 8: chaos (master and emperor loss).
                config.flag("imperium-emperor-sockets"),
                notNegative(config, "imperium-emperor-grace"),
                // Issue 8: slow clients.
                positive(config, "imperium-max-connections", DEFAULT_MAX_CONNECTIONS));
    }

    /** Reads the routing options; a bad rule is an error naming its file, line and option. */
    private static RoutingRules routingRules(VassalConfig config) {
        List<ConfigEntry> canonical = new ArrayList<>(config.entries().size());
        for (ConfigEntry e : config.entries()) {
            canonical.add(new ConfigEntry(VassalConfig.canonicalKey(e), e.value(), e.origin()));
        }
        return RoutingRules.from(canonical);
    }

    /**
     * Reads the {@code shared-socket} addresses, in order: {@code =N} in a socket option names the N-th (uWSGI,
     * {@code core/socket.c}).
     *
     * @throws IllegalArgumentException naming the entry when an address is malformed
     */
    static List<SocketSpec> sharedSockets(VassalConfig config) {
        List<SocketSpec> shared = new ArrayList<>();
        for (ConfigEntry e : config.entries("shared-socket")) {
            SocketSpec spec = checked(e, v -> SocketSpec.parse(v, SocketProtocol.HTTP));
            if (spec.isShared()) {
                throw new IllegalArgumentException(e.origin() + ": shared-socket: a shared socket needs an address,"
                        + " got '" + e.value().trim() + "'");
            }
            shared.add(spec);
        }
        return List.copyOf(shared);
    }

    /**
     * Returns the address a socket written {@code =N} stands for, or the socket itself.
     *
     * @throws IllegalArgumentException {@code unable to use shared socket N} (uWSGI's words) when there is no
     *     such shared socket
     */
    static SocketSpec resolveShared(SocketSpec spec, List<SocketSpec> shared) {
        if (!spec.isShared()) {
            return spec;
        }
        if (spec.sharedIndex() >= shared.size()) {
            throw new IllegalArgumentException("unable to use shared socket " + spec.sharedIndex() + " ("
                    + shared.size() + " shared-socket option(s) given)");
        }
        return spec.mappedTo(shared.get(spec.sharedIndex()));
    }

    /** Reads a signal number option: 1 to 64 (Linux's signals). */
    private static int signalNumber(VassalConfig config, String name, int fallback) {
        int value = config.intValue(name, fallback);
        if (value < 1 || value > 64) {
            throw new IllegalArgumentException("option '" + name + "' must be a signal number (1-64), got " + value);
        }
        return value;
    }

    /** CGI and mounts: the {@code cgi*} options; a bad value names its entry's file and line. */
    private static CgiConfig cgi(VassalConfig config) {
        for (ConfigEntry e : config.entries("cgi")) {
            checked(e, CgiConfig::parseMountpoint);
        }
        for (ConfigEntry e : config.entries("cgi-helper")) {
            checked(e, CgiConfig::parseHelper);
        }
        return CgiConfig.parse(config.values("cgi"), config.values("cgi-helper"), config.values("cgi-allowed-ext"),
                config.values("cgi-index"), config.values("cgi-unset"), config.values("cgi-safe"),
                notNegative(config, "cgi-timeout"), notNegative(config, "cgi-buffer-size"),
                config.flag("cgi-optimize"), config.flag("cgi-from-docroot"),
                config.flag("cgi-do-not-kill-on-error"));
    }

    private static ResponseHeaderRules headerRules(VassalConfig config) {
        List<String[]> add = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        for (ConfigEntry e : config.entries("add-header")) {
            add.add(checked(e, ResponseHeaderRules::parseAdd));
        }
        for (ConfigEntry e : config.entries("del-header")) {
            delete.add(checked(e, ResponseHeaderRules::parseDelete));
        }
        return new ResponseHeaderRules(List.copyOf(add), List.copyOf(delete));
    }

    /** Applies {@code parse} to an entry's value; a failure names the entry's file and line. */
    private static <T> T checked(ConfigEntry entry, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(entry.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(entry.origin() + ": " + e.getMessage(), e);
        }
    }

    private static int notNegative(VassalConfig config, String name) {
        int value = config.intValue(name, 0);
        if (value < 0) {
            throw new IllegalArgumentException("option '" + name + "' must not be negative, got " + value);
        }
        return value;
    }

    private static int positive(VassalConfig config, String name, int fallback) {
        int value = config.intValue(name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException("option '" + name + "' must be at least 1, got " + value);
        }
        return value;
    }

    /**
     * Returns after how many requests worker {@code id} recycles itself, or 0 for never (uWSGI 2.0
     * {@code uwsgi_close_request}: {@code max-requests + (id - 1) * max-requests-delta}).
     */
    public long recycleAfterRequests(int id) {
        return maxRequests == 0 ? 0 : maxRequests + (long) (id - 1) * maxRequestsDelta;
    }

    /** Returns the directory workers run in and relative socket paths resolve against. */
    public Path workDir(Path masterCwd) {
        return chdir == null ? masterCwd : masterCwd.resolve(chdir).normalize();
    }

    // Issue 7: foreign vassals.
    /**
     * Refuses a file the emperor runs with another program ({@code imperium-runtime = uwsgi} or {@code command}):
     * {@code bin/vassal} runs only Imperium vassals (emperor/README.md "Foreign vassals").
     *
     * @throws IllegalArgumentException naming the option's origin, for any other value than {@code imperium}
     */
    static void requireImperiumRuntime(VassalConfig config) {
        for (ConfigEntry e : config.entries("imperium-runtime")) {
            String runtime = e.value().trim().toLowerCase(java.util.Locale.ROOT);
            if (!runtime.equals("imperium")) {
                throw new IllegalArgumentException(e.origin() + ": imperium-runtime = " + e.value().trim()
                        + (runtime.equals("uwsgi") || runtime.equals("command")
                        ? ": this file is run by the emperor with " + (runtime.equals("uwsgi") ? "the uWSGI binary"
                        : "its imperium-command") + ", not by bin/vassal"
                        : ": expected imperium, uwsgi or command"));
            }
        }
    }
}
