package dev.imperium.emperor;

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
 * <p>Exit codes: 0 after Ragnarok (or for --help/--version), 1 if the emperor cannot start, 2 for a usage error.
 */
@Command(name = "emperor", mixinStandardHelpOptions = true, versionProvider = EmperorMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Watches a directory of vassal files (.ini .yaml .yml .json .xml .js) and runs one vassal per file.",
            "Drop a file to deploy an app (rename it into place), touch it to reload it, remove it to stop it.",
            "",
            "Signals: INT/TERM stop every vassal gracefully and exit; HUP reloads every vassal; USR1 logs "
                + "the state of each vassal; WINCH rescans the directory. (QUIT is the JVM's thread dump.)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Stopped after SIGINT/SIGTERM (all vassals stopped), or --help/--version.",
            "1:Could not start (missing directory, pid file or control socket error, no vassal command).",
            "2:Invalid command line."})
public final class EmperorMain implements Callable<Integer> {
    /** Exit code when the emperor cannot start. */
    public static final int EXIT_START_FAILED = 1;

    @Option(names = {"--vassals", "--emperor"}, paramLabel = "DIR", required = true,
            description = "The vassal directory to watch (uWSGI's --emperor DIR; globs are not supported).")
    private Path vassals;

    @Option(names = "--emperor-freq", paramLabel = "SECONDS", defaultValue = "3",
            description = "Full rescan period in seconds, a safety net behind inotify (default: ${DEFAULT-VALUE}).")
    private int freq;

    @Option(names = "--reload-mercy", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds a stopping vassal gets before SIGKILL of its process group "
                    + "(default: ${DEFAULT-VALUE}).")
    private int reloadMercy;

    @Option(names = "--emperor-pidfile", paramLabel = "FILE", description = "Write the emperor's pid to FILE.")
    private Path pidFile;

    @Option(names = "--start-concurrency", paramLabel = "N",
            description = "How many vassals may be starting at once (launched, not yet accepting requests); the "
                    + "others wait their turn. 0: no limit (default: the number of CPUs).")
    private Integer startConcurrency;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text: uWSGI's lines, each vassal line tagged [NAME]; plain: vassal lines untagged, as "
                    + "uWSGI; json: one JSON object per line for log shippers (default: ${DEFAULT-VALUE}).")
    private String logFormat;

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

    @Option(names = "--backoff-max", paramLabel = "SECONDS", hidden = true, defaultValue = "60",
            description = "Longest backoff between restarts of a failing vassal.")
    private long backoffMax;

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
        System.exit(new CommandLine(new EmperorMain()).execute(args));
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
        ConsoleWriter console = sink == null ? new ConsoleWriter(8192) : null;
        LineSink out = format.wrap(sink != null ? sink : console, java.time.Clock.systemDefaultZone());
        if (console != null && format == EmperorLogFormat.JSON) {
            EmperorLogFormat.Json json = (EmperorLogFormat.Json) out; // the console's own notices, as JSON too
            console.formatNotices(text -> json.object(null, ProcessHandle.current().pid(), false, text));
        }
        Emperor emperor = new Emperor(settings, out);
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
        return EmperorSettings.defaults(vassals, command)
                .withStartConcurrency(startConcurrency != null ? startConcurrency
                        : EmperorSettings.defaultStartConcurrency())
                .withRescanPeriod(Duration.ofSeconds(freq))
                .withReloadMercy(Duration.ofSeconds(reloadMercy))
                .withPidFile(pidFile)
                .withSettle(Duration.ofMillis(settleMs))
                .withStartTimeout(Duration.ofSeconds(startTimeout))
                .withStableAfter(Duration.ofSeconds(stableAfter))
                .withBackoff(new BackoffPolicy(BackoffPolicy.DEFAULT.initial(),
                        Duration.ofSeconds(Math.max(1, backoffMax)), BackoffPolicy.DEFAULT.jitter()));
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
