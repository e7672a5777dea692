package dev.imperium.cli;

import dev.imperium.vassal.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/imperium}: the operator's command. Subcommands talk to vassal files today and to a running emperor in
 * later versions.
 *
 * <p>Exit codes: 0 success; 1 a checked file has errors; 2 usage error.
 */
@Command(name = "imperium", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Imperium: a uWSGI-compatible emperor/vassal supervisor for JVM apps.",
        subcommands = {CheckCommand.class, AotCacheCommand.class, CommandLine.HelpCommand.class})
public final class ImperiumMain implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ImperiumMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
