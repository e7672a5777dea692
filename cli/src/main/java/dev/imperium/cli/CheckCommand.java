package dev.imperium.cli;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.ConfigException;
import dev.imperium.config.ConfigLoader;
import dev.imperium.config.Diagnostic;
import dev.imperium.config.LoaderOptions;
import dev.imperium.config.Origin;
import dev.imperium.config.Severity;
import dev.imperium.config.VassalConfig;
import dev.imperium.emperor.foreign.ForeignSpec;
import dev.imperium.emperor.foreign.VassalRuntime;
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
            Boolean foreign = checkForeign(file, options, out); // issue 7: scale
            if (foreign != null) {
                failed |= !foreign;
                continue;
            }
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
     * Issue 7: scale. Checks a file the emperor runs with another program ({@code imperium-runtime = uwsgi} or
     * {@code command}; emperor/README.md "Foreign vassals") for what the emperor reads of it: the runtime, and for a
     * command its {@code imperium-command}, sockets, {@code listen}, {@code env}, {@code imperium-ready},
     * {@code uid}/{@code gid}. The rest of the file is the program's (uWSGI's plugin options, say), as the emperor
     * reads it: without Imperium's option table.
     *
     * @return null for a file that is not foreign (checked as an Imperium vassal), else whether it is fine
     */
    static Boolean checkForeign(String file, LoaderOptions options, PrintWriter out) {
        String text = fileText(file);
        if (text == null || !ForeignSpec.mentionsRuntime(text)) {
            return null;
        }
        VassalConfig config;
        try {
            config = new ConfigLoader(options).loadUnchecked(file);
        } catch (ConfigException e) {
            return null; // the usual check reports it
        }
        ForeignSpec spec;
        try {
            spec = ForeignSpec.from(config, VassalRuntime.IMPERIUM);
        } catch (IllegalArgumentException e) {
            config.diagnostics().stream().filter(d -> d.severity() != Severity.UNSUPPORTED)
                    .forEach(d -> out.println(d.format()));
            out.println(locate(config, String.valueOf(e.getMessage())).format());
            return false;
        }
        if (spec.runtime() == VassalRuntime.IMPERIUM) {
            return null;
        }
        config.diagnostics().stream().filter(d -> d.severity() != Severity.UNSUPPORTED)
                .forEach(d -> out.println(d.format()));
        out.println(file + ": ok (imperium-runtime = " + spec.runtime().key() + ": checked what the emperor reads;"
                + " the rest is for " + (spec.runtime() == VassalRuntime.UWSGI ? "uWSGI" : "the program") + ")");
        return true;
    }

    /** The text of a vassal file named as on the command line ({@code FILE} or {@code FILE:section}), or null. */
    private static String fileText(String file) {
        java.nio.file.Path path = java.nio.file.Path.of(file);
        if (!java.nio.file.Files.isRegularFile(path) && file.lastIndexOf(':') > 0) {
            path = java.nio.file.Path.of(file.substring(0, file.lastIndexOf(':')));
        }
        try {
            // issue 8: bad configs: a FIFO or /dev/zero must not hang or exhaust the check; the loader reports it
            return new String(dev.imperium.config.ConfigFiles.read(path,
                    dev.imperium.config.ConfigFiles.MAX_CONFIG_BYTES), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
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
