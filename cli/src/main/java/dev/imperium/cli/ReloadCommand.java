package dev.imperium.cli;

import dev.imperium.emperor.client.ControlRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code imperium reload NAME...|--all}: graceful reload, as a touch of the file or SIGHUP for all. */
@Command(name = "reload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reload vassals gracefully: a new generation of workers starts beside the old one, which "
                + "serves until the new one accepts requests. A refused reload (bad config, app that does not load) "
                + "leaves the old generation serving.",
            "Waits until each reload has ended and prints its outcome."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:Done.",
            "1:A reload was refused or failed, or a vassal is unknown.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket.",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
final class ReloadCommand extends VassalCommand {
    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(arity = "1..*", paramLabel = "NAME", description = "vassal file names, e.g. app.ini")
        List<String> names;

        @Option(names = "--all", required = true, description = "Reload every vassal.")
        boolean all;
    }

    @Override
    List<ControlRequest> requests() {
        if (which.all) {
            return List.of(ControlRequest.reloadAll(!noWait));
        }
        return which.names.stream().map(n -> ControlRequest.reload(n, !noWait)).toList();
    }
}
