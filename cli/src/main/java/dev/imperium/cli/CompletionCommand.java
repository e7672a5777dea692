package dev.imperium.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code imperium completion}: prints the bash (and zsh) completion script picocli generates. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash completion script for imperium (zsh: after 'autoload -U bashcompinit && "
                + "bashcompinit').",
            "Use: source <(imperium completion), or save it as /etc/bash_completion.d/imperium."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:Printed.", "2:Invalid command line."})
final class CompletionCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
    }
}
