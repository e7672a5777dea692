package dev.imperium.emperor.foreign;

import dev.imperium.config.ConfigException;
import dev.imperium.config.ConfigFiles;
import dev.imperium.config.ConfigLoader;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.VassalConfig;
import dev.imperium.control.EmperorMessage;
import dev.imperium.emperor.EmperorLog;
import dev.imperium.emperor.SpawnRequest;
import dev.imperium.emperor.Tyrant;
import dev.imperium.emperor.VassalLauncher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs each vassal file with what it asks for (emperor/README.md "Foreign vassals"): Imperium's own vassal by
 * default, the uWSGI binary ({@link UwsgiVassal}) or any command with its sockets as {@code LISTEN_FDS}
 * ({@link CommandVassal}). It decorates the emperor's launcher, so the supervisor does not know the difference: a
 * foreign vassal talks to it over the control socket like an Imperium vassal, through a translator inside the
 * emperor.
 *
 * <p>The choice is the file's {@code imperium-runtime} key, which must be written in the file itself (it is looked
 * for there before the file is parsed, so that Imperium vassals cost nothing more), or else the emperor's default
 * ({@link ForeignSettings#defaultRuntime()}). Files are read on a thread of this launcher, never on the emperor's
 * event loop.
 */
public final class ForeignLauncher implements VassalLauncher {
    private final VassalLauncher delegate;
    private final ForeignSettings settings;
    private final EmperorLog log;
    private final Duration startTimeout;
    private final Duration reloadMercy;
    /** How many leading words of a spawn's command are the Imperium vassal program (the emperor's vassal command). */
    private final int programWords;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("imperium-foreign").factory());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("imperium-foreign-timer").factory());
    /** Issue 7: scale. util-linux's setsid and setpriv, which start a program without sockets; null if missing. */
    private final String setsid = UwsgiVassal.findOnPath("setsid", System.getenv("PATH"));
    private final String setpriv = Tyrant.findSetpriv(System.getenv("PATH"));
    /** Issue 7: scale. The sockets of crashed command vassals, kept for their next start. */
    private final HeldSockets held = new HeldSockets();

    /**
     * Creates the launcher.
     *
     * @param delegate launches processes (and copies their output to the emperor's log)
     * @param settings the emperor's wrapper options
     * @param log the emperor's log
     * @param startTimeout how long a vassal may take to be ready (the emperor's start timeout)
     * @param reloadMercy how long a stopping process gets before SIGKILL
     * @param programWords how many leading words of a spawn's command run Imperium's vassal (the emperor's vassal
     *     command); the words after them are uWSGI options for the vassal ({@code --include F}, {@code --set K=V}...),
     *     which a uWSGI vassal gets too
     */
    public ForeignLauncher(VassalLauncher delegate, ForeignSettings settings, EmperorLog log, Duration startTimeout,
                           Duration reloadMercy, int programWords) {
        this.delegate = delegate;
        this.settings = settings;
        this.log = log;
        this.startTimeout = startTimeout;
        this.reloadMercy = reloadMercy;
        this.programWords = programWords;
    }

    @Override
    public void launch(SpawnRequest request, Callback callback) {
        reader.execute(() -> {
            ForeignSpec spec;
            try {
                spec = read(request);
            } catch (IllegalArgumentException e) {
                callback.failed(new IOException(e.getMessage(), e));
                return;
            }
            try {
                switch (spec.runtime()) {
                    case IMPERIUM -> {
                        callback.spawning(request.command());
                        delegate.launch(request, callback);
                    }
                    case UWSGI -> UwsgiVassal.launch(this, request, spec, callback);
                    case COMMAND -> CommandVassal.launch(this, request, spec, callback);
                }
            } catch (IOException e) {
                callback.failed(e);
            } catch (RuntimeException e) {
                callback.failed(new IOException(String.valueOf(e.getMessage()), e));
            }
        });
    }

    /** Tells the true command of each spawn: a foreign vassal's program, not {@code bin/vassal}. */
    @Override
    public boolean describesSpawns() {
        return true;
    }

    /** Closes the sockets kept since the vassal's program crashed. */
    @Override
    public void vassalGone(String name) {
        held.release(name);
    }

    /**
     * Decides how to run a vassal file. A file that cannot be read or parsed runs with the default runtime, whose
     * program reports the error.
     *
     * @throws IllegalArgumentException for a foreign file with a bad foreign key
     */
    private ForeignSpec read(SpawnRequest request) {
        return read(request, false);
    }

    /**
     * Reads a vassal file's foreign settings.
     *
     * @param strict whether a file that cannot be read or parsed is an error (a reload) rather than a file for the
     *     default runtime (a spawn: its own program reports the error)
     * @throws IllegalArgumentException for a bad foreign key, or with {@code strict} an unreadable file
     */
    ForeignSpec read(SpawnRequest request, boolean strict) {
        Path file = request.workingDirectory().resolve(request.vassalName());
        VassalRuntime fallback = settings.defaultRuntime();
        String text;
        try {
            // issue 8: bad configs: never a FIFO (which would block this launcher's only thread) nor /dev/zero
            text = new String(ConfigFiles.read(file, ConfigFiles.MAX_CONFIG_BYTES), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            if (strict) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
            return ForeignSpec.of(fallback);
        }
        if (!mentionsRuntime(text) && fallback == VassalRuntime.IMPERIUM) {
            return ForeignSpec.of(fallback);
        }
        VassalConfig config;
        try {
            LoaderOptions options = new LoaderOptions(request.environment(), false, request.workingDirectory());
            config = new ConfigLoader(options).loadUnchecked(file.toString());
        } catch (ConfigException e) {
            if (strict) {
                throw new IllegalArgumentException(String.join("; ",
                        e.diagnostics().stream().map(dev.imperium.config.Diagnostic::format).toList()), e);
            }
            return ForeignSpec.of(fallback);
        } catch (RuntimeException e) {
            if (strict) {
                throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
            }
            return ForeignSpec.of(fallback);
        }
        return ForeignSpec.from(config, fallback);
    }

    /** Returns whether a vassal file's text names {@code imperium-runtime} (in any format, {@code _} or {@code -}). */
    static boolean mentionsRuntime(String text) {
        return ForeignSpec.mentionsRuntime(text);
    }

    // ------------------------------------------------------------------ for the vassal kinds

    /** Returns the launcher that starts processes. */
    VassalLauncher delegate() {
        return delegate;
    }

    /** Returns the emperor's wrapper options. */
    ForeignSettings settings() {
        return settings;
    }

    /** Logs {@code [emperor] text}. */
    void log(String text) {
        log.emperor(text);
    }

    /** Returns the emperor's start timeout. */
    Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Returns the uWSGI options the emperor gives a vassal around its file name ({@code --include F} before or after
     * it...): the spawn's command without the vassal program's words; the vassal file name stands as {@code null}.
     */
    List<String> vassalArguments(SpawnRequest request) {
        List<String> words = request.command();
        List<String> args = new ArrayList<>();
        boolean named = false;
        int first = tyrantPrefix(words).size() + programWords; // issue 7: scale. After tyrant mode's setpriv
        for (int i = Math.min(first, words.size()); i < words.size(); i++) {
            if (!named && words.get(i).equals(request.vassalName())) {
                named = true;
                args.add(null);
            } else {
                args.add(words.get(i));
            }
        }
        if (!named) {
            args.add(null);
        }
        return args;
    }

    /** Returns util-linux's setsid, or null when it is not on the PATH. */
    String setsid() {
        return setsid;
    }

    /** Returns util-linux's setpriv, or null when it is not on the PATH. */
    String setpriv() {
        return setpriv;
    }

    /** Returns the sockets of crashed command vassals, kept for their next start. */
    HeldSockets held() {
        return held;
    }

    /**
     * Issue 7: scale. Returns tyrant mode's {@code setpriv OPTIONS --} at the head of a spawn's command (the supervisor
     * puts it before {@code bin/vassal}: {@code Tyrant#runAs}), or an empty list: a foreign vassal's program runs
     * through it too, so that it runs as its file's owner.
     */
    static List<String> tyrantPrefix(List<String> command) {
        if (command.size() > 2 && Path.of(command.getFirst()).getFileName().toString().equals(Tyrant.SETPRIV_NAME)) {
            int end = command.indexOf("--");
            if (end > 0) {
                return List.copyOf(command.subList(0, end + 1));
            }
        }
        return List.of();
    }

    /** Issue 7: scale. Tyrant mode's setpriv options of a spawn ({@code --reuid=U --regid=G --clear-groups}), or none. */
    static List<String> tyrantOptions(List<String> command) {
        List<String> prefix = tyrantPrefix(command);
        return prefix.isEmpty() ? List.of() : prefix.subList(1, prefix.size() - 1);
    }

    /** Returns the emperor's reload mercy. */
    Duration reloadMercy() {
        return reloadMercy;
    }

    /** Returns the scheduler for the kinds' timers (one daemon thread; tasks must not block long). */
    ScheduledExecutorService timers() {
        return timers;
    }

    /** Returns the emperor's private runtime directory: where its control socket is. */
    static Path runtimeDir(SpawnRequest request) throws IOException {
        String socket = request.environment().get(EmperorMessage.ENV_SOCKET);
        if (socket == null) {
            throw new IOException("no " + EmperorMessage.ENV_SOCKET + " in the vassal environment");
        }
        return Path.of(socket).getParent();
    }

    /** Returns the control socket the translator connects to. */
    static Path controlSocket(SpawnRequest request) {
        return Path.of(request.environment().get(EmperorMessage.ENV_SOCKET));
    }

    /** Returns the token the translator says HELLO with. */
    static String token(SpawnRequest request) {
        return request.environment().get(EmperorMessage.ENV_TOKEN);
    }
}
