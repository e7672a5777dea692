package dev.imperium.cli;

import dev.imperium.emperor.client.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code imperium start NAME...}: starts a stopped vassal, or retries one in its backoff now. */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start vassals stopped by 'imperium stop', or retry at once one that waits in its backoff "
                + "after failures. A vassal already running is left alone.",
            "Waits until each vassal accepts requests, or has failed."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:Running (or already running).",
            "1:A vassal failed to start, has no file in the vassal directory, or the emperor is stopping.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket.",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
final class StartCommand extends VassalCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "vassal file names, e.g. app.ini")
    List<String> names;

    @Override
    List<ControlRequest> requests() {
        return names.stream().map(n -> ControlRequest.start(n, !noWait)).toList();
    }
}
