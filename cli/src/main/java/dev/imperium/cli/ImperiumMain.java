package dev.imperium.cli;

import dev.imperium.vassal.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/imperium}: the operator's command. {@code check} and {@code aot-cache} work on files; {@code status},
 * {@code reload}, {@code stop}, {@code start}, {@code top} and {@code logs} talk to the running emperor over its
 * control socket ({@link dev.imperium.emperor.client.ControlSocketPath}); {@code completion} prints a bash completion
 * script.
 *
 * <p>Exit codes: see {@link ExitCodes}.
 */
@Command(name = "imperium", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Imperium: a uWSGI-compatible emperor/vassal supervisor for JVM apps.",
            "The commands that talk to the emperor find its control socket without options when run as the "
                + "emperor's user (see --control-socket in their help)."},
        subcommands = {StatusCommand.class, ReloadCommand.class, StopCommand.class, StartCommand.class,
            TopCommand.class, LogsCommand.class, CheckCommand.class, AotCacheCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Done; for status, every vassal shown serves requests.",
            "1:The operation failed or was refused; for status, a vassal shown does not serve; for check, a file "
                + "has an error.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket (not running, or another --control-socket).",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
public final class ImperiumMain implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Returns the command line, ready to execute. */
    static CommandLine commandLine() {
        return new CommandLine(new ImperiumMain());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
