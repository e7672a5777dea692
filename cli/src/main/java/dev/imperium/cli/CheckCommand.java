package dev.imperium.cli;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.ConfigException;
import dev.imperium.config.ConfigLoader;
import dev.imperium.config.Diagnostic;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.Origin;
import dev.imperium.config.Severity;
import dev.imperium.config.VassalConfig;
import dev.imperium.vassal.VassalSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code imperium check FILE...}: validates vassal files the way {@code nginx -t} validates its config. Each problem
 * is printed as {@code FILE:LINE: error|unsupported|warning: message}: what the config loader finds (syntax, includes,
 * unknown and unsupported options, wrong types), then what the vassal itself would refuse at start (bad socket
 * addresses, routing rules, mounts, values out of range: {@link VassalSettings#from}). Nothing is run:
 * {@code @(exec://...)} is reported, not executed, and no socket, app, hook or daemon is started.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate vassal files without running anything, like nginx -t: each problem as "
                + "FILE:LINE: error|unsupported|warning: message, then 'FILE: ok' for a file that a vassal would "
                + "start with.",
            "@(exec://...) is reported, not run; sockets, apps, hooks and daemons are not started."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:No file has an error or an unsupported option (warnings are allowed).",
            "1:At least one file has.", "2:Invalid command line."})
final class CheckCommand implements Callable<Integer> {
    /** A message that starts with its origin: {@code file:line: rest}. */
    private static final Pattern OPTION_NAME = Pattern.compile("option '([A-Za-z0-9_-]+)'");

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "vassal files, optionally FILE:section")
    private List<String> files;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean failed = false;
        LoaderOptions options = new LoaderOptions(System.getenv(), false, Path.of("").toAbsolutePath());
        for (String file : files) {
            try {
                VassalConfig config = new ConfigLoader(options).load(file);
                for (Diagnostic d : config.diagnostics()) {
                    out.println(d.format());
                }
                Diagnostic refused = startCheck(config);
                if (refused != null) {
                    failed = true;
                    out.println(refused.format());
                } else {
                    out.println(file + ": ok");
                }
            } catch (ConfigException e) {
                failed = true;
                for (Diagnostic d : e.diagnostics()) {
                    out.println(d.format());
                }
            }
        }
        out.flush();
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /**
     * Reads the settings as a vassal does at start, and returns what it would refuse, or null.
     *
     * @param config a config the loader accepted
     * @return the refusal as an error at the entry it concerns (the file itself when that is unknown), or null
     */
    static Diagnostic startCheck(VassalConfig config) {
        try {
            VassalSettings.from(config);
            return null;
        } catch (IllegalArgumentException e) {
            return locate(config, String.valueOf(e.getMessage()));
        }
    }

    /** Finds where a refusal points: its own {@code origin: } prefix, else the last entry of the option it names. */
    static Diagnostic locate(VassalConfig config, String message) {
        for (ConfigEntry entry : config.entries()) {
            String origin = entry.origin().toString() + ": ";
            if (message.startsWith(origin)) {
                return new Diagnostic(Severity.ERROR, entry.origin(), entry.key(), message.substring(origin.length()));
            }
        }
        Matcher m = OPTION_NAME.matcher(message);
        if (m.find()) {
            List<ConfigEntry> entries = config.entries(m.group(1));
            if (!entries.isEmpty()) {
                ConfigEntry last = entries.getLast();
                return new Diagnostic(Severity.ERROR, last.origin(), last.key(), message);
            }
        }
        return new Diagnostic(Severity.ERROR, new Origin(config.file(), 0), null, message);
    }
}
