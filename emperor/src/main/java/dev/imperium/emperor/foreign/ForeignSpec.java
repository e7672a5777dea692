package dev.imperium.emperor.foreign;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;
import dev.imperium.vassal.PrivilegeDrop;
import dev.imperium.vassal.SocketProtocol;
import dev.imperium.vassal.SocketSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the emperor needs to know to run a vassal file that is not an Imperium vassal, read from the file's
 * resolved entries (emperor/README.md "Foreign vassals").
 *
 * @param runtime what runs the file ({@code imperium-runtime}, or the emperor's default)
 * @param command the program and arguments of a {@code command} vassal ({@code imperium-command}); empty otherwise
 * @param sockets the sockets the emperor binds for a {@code command} vassal ({@code http-socket}, {@code socket} /
 *     {@code uwsgi-socket}, {@code fastcgi-socket}, {@code scgi-socket}), in file order; none for a program that
 *     binds its own
 * @param listen the accept-queue length of those sockets ({@code listen}, uWSGI's default 100)
 * @param env variables added to a {@code command} vassal's environment ({@code env = NAME=VALUE})
 * @param chdir the working directory of a {@code command} vassal ({@code chdir}), or null for the vassal directory
 * @param ready when a {@code command} vassal counts as ready ({@code imperium-ready})
 * @param stats a {@code uwsgi} vassal's stats server address ({@code stats}), which the emperor reads, or null
 * @param user who a {@code command} vassal's program runs as ({@code uid}, {@code gid}, {@code no-initgroups}), or
 *     null for the emperor's user
 */
public record ForeignSpec(VassalRuntime runtime, List<String> command, List<SocketSpec> sockets, int listen,
                          Map<String, String> env, String chdir, Readiness ready, String stats, PrivilegeDrop user) {
    /** When a {@code command} vassal counts as ready, as systemd's {@code Type=exec} and {@code Type=notify}. */
    public enum Readiness {
        /** Once the command runs (its exec succeeded); its sockets take connections already, queued until then. */
        EXEC,
        /** When it sends {@code READY=1} to {@code NOTIFY_SOCKET} ({@code sd_notify(3)}). */
        NOTIFY
    }

    /** uWSGI's default accept-queue length. */
    static final int DEFAULT_LISTEN = 100;

    /** Copies the collections. */
    public ForeignSpec {
        command = List.copyOf(command);
        sockets = List.copyOf(sockets);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** Returns a spec that only names a runtime (an Imperium or uWSGI vassal without a stats server). */
    static ForeignSpec of(VassalRuntime runtime) {
        return new ForeignSpec(runtime, List.of(), List.of(), DEFAULT_LISTEN, Map.of(), null, Readiness.EXEC, null,
                null);
    }

    /**
     * Reads a vassal file's resolved entries.
     *
     * @param config the file, loaded without checking its options against Imperium's table (a uWSGI file holds
     *     options of uWSGI plugins)
     * @param defaultRuntime the runtime when the file has no {@code imperium-runtime}
     * @return the spec
     * @throws IllegalArgumentException naming the file and line of a bad value: an unknown runtime, a
     *     {@code command} vassal without {@code imperium-command}, a bad socket address or
     *     {@code env}, an unknown {@code imperium-ready}
     */
    public static ForeignSpec from(VassalConfig config, VassalRuntime defaultRuntime) {
        VassalRuntime runtime = defaultRuntime;
        List<ConfigEntry> runtimes = config.entries("imperium-runtime");
        if (!runtimes.isEmpty()) {
            ConfigEntry last = runtimes.getLast();
            try {
                runtime = VassalRuntime.parse(last.value());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(last.origin() + ": " + e.getMessage(), e);
            }
        }
        return switch (runtime) {
            case IMPERIUM -> of(runtime);
            case UWSGI -> new ForeignSpec(runtime, List.of(), List.of(), DEFAULT_LISTEN, Map.of(), null,
                    Readiness.EXEC, config.values("stats").isEmpty() ? null : config.values("stats").getLast().trim(),
                    null);
            case COMMAND -> command(config);
        };
    }

    private static ForeignSpec command(VassalConfig config) {
        List<ConfigEntry> commands = config.entries("imperium-command");
        if (commands.isEmpty()) {
            throw new IllegalArgumentException(config.file() + ": imperium-runtime = command needs imperium-command"
                    + " (the program to run, e.g. imperium-command = java -jar app.jar)");
        }
        ConfigEntry commandEntry = commands.getLast();
        List<String> command;
        try {
            command = CommandWords.split(commandEntry.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(commandEntry.origin() + ": imperium-command: " + e.getMessage(), e);
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException(commandEntry.origin() + ": imperium-command is empty");
        }
        List<SocketSpec> sockets = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            String key = VassalConfig.canonicalKey(e);
            SocketProtocol protocol = SocketProtocol.forOption(key);
            if (protocol == null) {
                continue;
            }
            try {
                sockets.add(SocketSpec.parse(e.value(), protocol));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.origin() + ": " + key + ": " + ex.getMessage(), ex);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (ConfigEntry e : config.entries("env")) {
            int eq = e.value().indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(e.origin() + ": env: expected NAME=VALUE, got '" + e.value() + "'");
            }
            env.put(e.value().substring(0, eq), e.value().substring(eq + 1));
        }
        Readiness ready = Readiness.EXEC;
        List<ConfigEntry> readies = config.entries("imperium-ready");
        if (!readies.isEmpty()) {
            ConfigEntry last = readies.getLast();
            ready = switch (last.value().trim().toLowerCase(Locale.ROOT)) {
                case "exec" -> Readiness.EXEC;
                case "notify" -> Readiness.NOTIFY;
                default -> throw new IllegalArgumentException(last.origin() + ": imperium-ready = "
                        + last.value().trim() + ": expected exec or notify");
            };
        }
        int listen;
        try {
            listen = config.intValue("listen", DEFAULT_LISTEN);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.file() + ": " + e.getMessage(), e);
        }
        if (listen < 1) {
            throw new IllegalArgumentException(config.file() + ": listen must be at least 1");
        }
        String chdir = config.values("chdir").isEmpty() ? null : config.values("chdir").getLast().trim();
        PrivilegeDrop user = null; // issue 7: scale. uid/gid apply to the program (setpriv), as tyrant mode's
        if (config.isSet("uid") || config.isSet("gid")) {
            try {
                user = PrivilegeDrop.from(config);
            } catch (IllegalArgumentException e) {
                List<ConfigEntry> ids = config.entries(config.isSet("uid") ? "uid" : "gid");
                throw new IllegalArgumentException(ids.getLast().origin() + ": " + e.getMessage(), e);
            }
        }
        return new ForeignSpec(VassalRuntime.COMMAND, command, sockets, listen, env, chdir, ready, null, user);
    }

    /**
     * Returns whether a vassal file's text names {@code imperium-runtime} (in any format, {@code _} or {@code -}): only
     * such a file can be foreign, so the others are never parsed twice.
     *
     * @param text the file's text
     */
    public static boolean mentionsRuntime(String text) {
        return text.toLowerCase(Locale.ROOT).replace('_', '-').contains("imperium-runtime");
    }

    /**
     * Returns the names of the sockets for {@code LISTEN_FDNAMES}, in order: each socket's protocol ({@code http},
     * {@code uwsgi}, {@code fastcgi}, {@code scgi}...), so that a program can tell them apart.
     */
    public List<String> socketNames() {
        return sockets.stream().map(s -> s.protocol().wireName()).toList();
    }
}
