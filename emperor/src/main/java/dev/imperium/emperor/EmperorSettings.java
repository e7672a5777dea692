package dev.imperium.emperor;

import dev.imperium.emperor.foreign.ForeignSettings;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link Emperor} needs to know, with uWSGI's defaults where uWSGI has the setting.
 *
 * @param vassalDir the vassal directory ({@code --vassals} / {@code --emperor})
 * @param rescanPeriod the full-rescan period ({@code --emperor-freq}, uWSGI default 3 s)
 * @param reloadMercy how long a stopping vassal gets before SIGKILL of its group ({@code --reload-mercy}, uWSGI's
 *     emperor default 30 s)
 * @param pidFile where to write the emperor's pid ({@code --emperor-pidfile}), or null
 * @param vassalCommand the program (and leading arguments) that runs one vassal; the vassal file name is
 *     appended. Default {@code $imperium.home/bin/vassal}
 * @param settle how long a vassal file must stay quiet before it is acted on (50 ms)
 * @param startTimeout how long a vassal may take to report ACCEPTING after a spawn or a reload (60 s)
 * @param stableAfter how long a vassal must accept requests before its failures are forgiven (10 s)
 * @param backoff the restart backoff
 * @param runtimeBase where to create the private runtime directory, or null for {@code $XDG_RUNTIME_DIR}, else
 *     {@code java.io.tmpdir}
 * @param startConcurrency how many vassals may be starting at once (launched, not yet accepting requests); the
 *     others wait in the order they came; 0 means no limit. Default: the number of CPUs
 * @param fleet uWSGI's emperor options for every vassal (issue 7: vassal includes and sets, blacklist, heartbeat,
 *     tyrant); {@link FleetOptions#DEFAULT} by default
 * @param onDemand where on-demand vassals' sockets are named (issue 7: on-demand vassals);
 *     {@code OnDemandSettings.NONE} by default
 * @param foreign how vassals that are not Imperium's run ({@code emperor-wrapper}...; issue 7: foreign vassals)
 * @param broodlord {@code emperor-broodlord}: how many zergs may run (issue 7: broodlord)
 * @param monitors several monitors and {@code emperor-extra-extension} (issue 7: monitors)
 * @param namespaces the namespaces each vassal starts in ({@code emperor-use-clone}; issue 7: scale);
 *     {@link CloneFlags#NONE} by default
 */
public record EmperorSettings(Path vassalDir, Duration rescanPeriod, Duration reloadMercy, Path pidFile,
                              List<String> vassalCommand, Duration settle, Duration startTimeout,
                              Duration stableAfter, BackoffPolicy backoff, Path runtimeBase, int startConcurrency,
                              FleetOptions fleet, ForeignSettings foreign,
                              dev.imperium.emperor.broodlord.BroodlordSettings broodlord,
                              MonitorSettings monitors,
                              dev.imperium.emperor.ondemand.OnDemandSettings onDemand,
                              CloneFlags namespaces) {
    /** uWSGI's {@code emperor-freq} default: 3 s. */
    public static final Duration DEFAULT_RESCAN = Duration.ofSeconds(3);
    /** uWSGI's emperor {@code reload-mercy} default: 30 s. */
    public static final Duration DEFAULT_MERCY = Duration.ofSeconds(30);
    /** Quiet time before a file counts as settled: 50 ms (a config file is written in one go, or renamed in). */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(50);
    /** Longest time from spawn or reload to ACCEPTING: 60 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** Accepting this long forgives past failures: 10 s (uWSGI's min-worker-lifetime is 10 s too). */
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(10);

    /** Checks the values; copies the command. */
    public EmperorSettings {
        Objects.requireNonNull(vassalDir, "vassalDir");
        vassalCommand = List.copyOf(vassalCommand);
        if (vassalCommand.isEmpty()) {
            throw new IllegalArgumentException("the vassal command is empty");
        }
        requirePositive(rescanPeriod, "rescan period");
        requirePositive(startTimeout, "start timeout");
        requirePositive(stableAfter, "stable-after time");
        if (reloadMercy.isNegative() || settle.isNegative()) {
            throw new IllegalArgumentException("reload mercy and settle time must not be negative");
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(fleet, "fleet");
        if (startConcurrency < 0) {
            throw new IllegalArgumentException("the start concurrency must not be negative: " + startConcurrency);
        }
        Objects.requireNonNull(foreign, "foreign");
        Objects.requireNonNull(broodlord, "broodlord");
        Objects.requireNonNull(monitors, "monitors");
        Objects.requireNonNull(onDemand, "onDemand");
        Objects.requireNonNull(namespaces, "namespaces");
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /**
     * Returns the defaults for a directory, running {@code vassalCommand}.
     *
     * @param vassalDir the vassal directory
     * @param vassalCommand the vassal program and leading arguments
     * @return settings with uWSGI's and Imperium's defaults
     */
    public static EmperorSettings defaults(Path vassalDir, List<String> vassalCommand) {
        return new EmperorSettings(vassalDir, DEFAULT_RESCAN, DEFAULT_MERCY, null, vassalCommand, DEFAULT_SETTLE,
                DEFAULT_START_TIMEOUT, DEFAULT_STABLE_AFTER, BackoffPolicy.DEFAULT, null, defaultStartConcurrency(),
                FleetOptions.DEFAULT, ForeignSettings.NONE, dev.imperium.emperor.broodlord.BroodlordSettings.NONE,
                MonitorSettings.NONE, dev.imperium.emperor.ondemand.OnDemandSettings.NONE,
                CloneFlags.NONE);
    }

    /**
     * Returns the default vassal command, {@code <imperium.home>/bin/vassal}.
     *
     * @return the command, or null when the system property {@code imperium.home} is not set
     */
    public static List<String> defaultVassalCommand() {
        String home = System.getProperty("imperium.home");
        return home == null || home.isBlank() ? null : List.of(Paths.get(home, "bin", "vassal").toString());
    }

    /** Returns a copy with another rescan period. */
    public EmperorSettings withRescanPeriod(Duration d) {
        return new EmperorSettings(vassalDir, d, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another reload mercy. */
    public EmperorSettings withReloadMercy(Duration d) {
        return new EmperorSettings(vassalDir, rescanPeriod, d, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another pid file (null: none). */
    public EmperorSettings withPidFile(Path p) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, p, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another settle time. */
    public EmperorSettings withSettle(Duration d) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, d, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another start timeout. */
    public EmperorSettings withStartTimeout(Duration d) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, d,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another stability time. */
    public EmperorSettings withStableAfter(Duration d) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                d, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another backoff policy. */
    public EmperorSettings withBackoff(BackoffPolicy b) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, b, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy creating its runtime directory under {@code base} (null: the default). */
    public EmperorSettings withRuntimeBase(Path base) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, base, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy letting {@code n} vassals start at once (0: no limit). */
    public EmperorSettings withStartConcurrency(int n) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, n, fleet, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with other emperor options (issue 7). */
    public EmperorSettings withFleet(FleetOptions f) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, f, foreign, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with other foreign-vassal settings (issue 7: foreign vassals). */
    public EmperorSettings withForeign(ForeignSettings f) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, f, broodlord, monitors, onDemand, namespaces);
    }

    /** Returns a copy with another {@code emperor-broodlord} (issue 7: broodlord). */
    public EmperorSettings withBroodlord(dev.imperium.emperor.broodlord.BroodlordSettings b) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, b, monitors, onDemand, namespaces);
    }

    /** Returns a copy with other monitors (issue 7: monitors). */
    EmperorSettings withMonitors(MonitorSettings m) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, m, onDemand, namespaces);
    }

    /** Returns a copy with other on-demand options (issue 7: on-demand vassals). */
    public EmperorSettings withOnDemand(dev.imperium.emperor.ondemand.OnDemandSettings o) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, o, namespaces);
    }

    /**
     * The default start concurrency: the number of CPUs. A vassal's start is CPU-bound (its JVMs load and compile
     * classes), so starting more at once only makes each slower and leaves the host unresponsive.
     */
    public static int defaultStartConcurrency() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Returns a copy with other namespaces for vassals ({@code emperor-use-clone}; issue 7: scale). */
    public EmperorSettings withClone(CloneFlags c) {
        return new EmperorSettings(vassalDir, rescanPeriod, reloadMercy, pidFile, vassalCommand, settle, startTimeout,
                stableAfter, backoff, runtimeBase, startConcurrency, fleet, foreign, broodlord, monitors, onDemand, c);
    }
}
