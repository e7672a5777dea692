package dev.imperium.vassal;

import dev.imperium.config.CommandLineConfig;
import dev.imperium.config.ConfigException;
import dev.imperium.config.ConfigLoader;
import dev.imperium.config.Diagnostic;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.OptionTable;
import dev.imperium.config.VassalConfig;
import dev.imperium.os.Posix;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/vassal FILE[:section]}: runs one vassal, as {@code uwsgi FILE} does. The emperor starts vassals the
 * same way, adding its control socket to the environment. uWSGI's command-line form works too
 * ({@code vassal --http-socket :8080 --jwsgi x.Y --ini more.ini}): see {@link CommandLineConfig}; its options are
 * read again at each reload, with the files they name.
 *
 * <p>Exit codes: 0 after a requested stop; 78 when the vassal file cannot be used (a bad config: sysexits'
 * {@code EX_CONFIG}); 1 when the vassal cannot start otherwise (socket in use...); 22 when {@code need-app} is set and
 * the app cannot be loaded (uWSGI's code).
 */
@Command(name = "vassal", mixinStandardHelpOptions = true, versionProvider = Version.class,
        customSynopsis = {"vassal FILE[:section]", "vassal [--OPTION VALUE | --OPTION=VALUE | --FLAG]... [FILE]..."},
        description = {"Runs one vassal: a master that binds the vassal's sockets and runs its worker processes.",
            "The options below may also be given on the command line, as uWSGI takes them: --http-socket :8080 "
                + "--processes 2 --master, --ini FILE, --yaml FILE, --json FILE, --xml FILE, --set KEY=VALUE, "
                + "uWSGI's one-letter forms (-s, -p, -M ...). Files named without an option are read after every "
                + "option, as uWSGI reads them.",
            "Exit codes: 0 after a requested stop; 78 for a bad config (the file cannot be used); 1 when the vassal "
                + "cannot start otherwise (socket in use...); 2 for a wrong command line; 22 when need-app is set and "
                + "the app cannot be loaded."})
public final class VassalMain implements Callable<Integer> {
    /**
     * Issue 8: bad configs. The exit code when the vassal file cannot be used (sysexits' {@code EX_CONFIG}): the
     * emperor then waits for the file to change instead of respawning it in a loop.
     */
    public static final int BAD_CONFIG = 78;

    @Parameters(index = "0", paramLabel = "FILE",
            description = "the vassal file (.ini, .yaml/.yml, .json, .xml), optionally FILE:section")
    private String spec;

    /** The uWSGI-style command line, or null when the vassal runs one file ({@link #spec}). */
    private CommandLineConfig commandLine;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args {@code FILE[:section]}
     */
    public static void main(String[] args) {
        int code;
        if (args.length == 1 && !args[0].isEmpty() && args[0].charAt(0) != '-') {
            // The emperor's (and systemd's) one form, `vassal FILE`, skips building the command line: picocli's
            // reflection over the annotations costs ~100 ms of a vassal's start-up. Anything else (--help,
            // --version, errors) goes through picocli as before.
            VassalMain vassal = new VassalMain();
            vassal.spec = args[0];
            try {
                code = vassal.call();
            } catch (RuntimeException | Error e) {
                e.printStackTrace();
                code = 1;
            }
        } else if (args.length == 0 || wantsHelpOrVersion(args)) {
            code = commandLine().execute(args);
        } else {
            code = runCommandLine(args);
        }
        Posix.exitNow(code);
    }

    private static boolean wantsHelpOrVersion(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("--usage") || arg.equals("--version")
                    || arg.equals("-V")) {
                return true;
            }
        }
        return false;
    }

    /** Runs the uWSGI command-line form: options as config entries, plus the files they name. */
    private static int runCommandLine(String[] args) {
        CommandLineConfig parsed;
        try {
            parsed = CommandLineConfig.parse(java.util.List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("vassal: " + e.getMessage());
            System.err.println("vassal: try 'vassal --help'");
            return 2;
        }
        VassalMain vassal = new VassalMain();
        vassal.commandLine = parsed;
        vassal.spec = parsed.vassalFile() == null ? "command line" : parsed.vassalFile();
        try {
            return vassal.call();
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            return 1;
        }
    }

    /** The command line; {@code --help} ends with the option table, unwrapped. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new VassalMain());
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help ->
                "%nIn a vassal file, options are written without the dashes (processes = 2), as in uWSGI;%n".formatted()
                        + "any other uWSGI option is an error naming the file, line and option.%n%n".formatted()
                        + OptionTable.helpText());
        return commandLine;
    }

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        EmperorLink emperor = null;
        try {
            if (env.containsKey(dev.imperium.control.EmperorMessage.ENV_SOCKET)) {
                EmperorLink.bindToEmperor(env);
                emperor = EmperorLink.connectIfManaged(env);
            }
        } catch (IOException e) {
            Log.line("cannot reach my emperor: " + e.getMessage());
            return 1;
        }
        LoaderOptions options = new LoaderOptions(env, true, Path.of("").toAbsolutePath());
        CommandLineConfig args = commandLine;
        VassalConfigSource baseSource = (file, reloads) -> {
            Map<String, String> withReloads = new java.util.HashMap<>(env);
            withReloads.put(VassalConfigSource.ENV_RELOADS, Integer.toString(reloads));
            ConfigLoader loader = new ConfigLoader(options.withEnv(withReloads));
            return args == null ? loader.load(file) : loader.load(args);
        };
        for (String file : args == null ? java.util.List.of(spec) : args.files()) {
            Log.line("[uWSGI] getting " + formatName(file) + " configuration from " + file);
        }
        VassalConfigSource source;
        VassalSettings settings;
        dev.imperium.zerg.ZergAttachment zerg; // Issue 7: broodlord: a zerg's sockets come from its zerg servers
        try {
            VassalConfig config = baseSource.load(spec, 0);
            for (Diagnostic d : config.diagnostics()) {
                Log.line(d.format());
            }
            settings = VassalSettings.from(config);
            try {
                zerg = dev.imperium.zerg.ZergAttachment.attach(settings.zerg(), Log::line);
            } catch (IOException e) {
                return refuse(emperor, e.getMessage());
            }
            source = zerg.wrap(baseSource);
            settings = VassalSettings.from(zerg.inject(config));
        } catch (ConfigException e) {
            for (Diagnostic d : e.diagnostics()) {
                Log.line(d.format());
            }
            String first = e.getMessage() == null ? "invalid config" : e.getMessage().lines().findFirst().orElse("");
            refuse(emperor, first);
            return BAD_CONFIG;
        } catch (IllegalArgumentException e) {
            Log.line(e.getMessage());
            refuse(emperor, e.getMessage());
            return BAD_CONFIG;
        }
        VassalLogging logging; // Logging (issue 6): the master writes the vassal's log
        try {
            logging = VassalLogging.start(settings, Path.of("").toAbsolutePath());
        } catch (IOException e) {
            return refuse(emperor, e.getMessage());
        }
        Log.line("*** Starting Imperium " + Version.VERSION + " (Java " + Runtime.version() + ") on ["
                + Log.now() + "] ***");
        Log.line("current working directory: " + Path.of("").toAbsolutePath());
        Log.line("detected number of CPU cores: " + Runtime.getRuntime().availableProcessors());
        settings.routing().dump().forEach(Log::line);
        return new Master(spec, source, emperor).useLogging(logging).useZergSockets(zerg).run(settings);
    }

    private static int refuse(EmperorLink emperor, String reason) {
        Log.line("vassal cannot start: " + reason);
        if (emperor != null) {
            emperor.fatal(reason);
        }
        return 1;
    }

    /** Returns uWSGI's name for the format: INI, YAML, JSON or XML. */
    static String formatName(String spec) {
        String name = spec.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/') && colon > 0) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "YAML";
        }
        if (name.endsWith(".json") || name.endsWith(".js")) {
            return "JSON";
        }
        return name.endsWith(".xml") ? "XML" : "INI";
    }
}
