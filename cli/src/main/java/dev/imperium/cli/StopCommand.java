package dev.imperium.cli;

import dev.imperium.emperor.client.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code imperium stop NAME...}: graceful stop; the vassal stays stopped while its file stays. */
@Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stop vassals gracefully (as removing the file would: in-flight requests finish; SIGKILL after "
                + "the emperor's reload mercy). The file stays: the emperor shows the vassal as STOPPED and keeps "
                + "it stopped until 'imperium start NAME' or until the file changes (touch, new version). An emperor "
                + "that restarts starts it again.",
            "Waits until each vassal is gone."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:Stopped (or already stopped).",
            "1:A vassal is unknown, or the emperor is stopping.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket.",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
final class StopCommand extends VassalCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "vassal file names, e.g. app.ini")
    List<String> names;

    @Override
    List<ControlRequest> requests() {
        return names.stream().map(n -> ControlRequest.stop(n, !noWait)).toList();
    }
}
