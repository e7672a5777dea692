package dev.imperium.cli;

import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlCodec;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import dev.imperium.emperor.client.VassalStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code imperium status [NAME...]}: the vassals as the emperor sees them, like {@code supervisorctl status}. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show every vassal (or the ones named): state, pid, generation, workers busy/total (from its "
                + "latest stats report), uptime, restarts and the last error.",
            "States: STARTING, RUNNING, RELOADING, FAILING, BACKOFF, STOPPING, STOPPED (by imperium stop), ON_DEMAND "
                + "(asleep: started at the next connection)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every vassal shown is RUNNING or RELOADING (serving requests).",
            "1:A vassal shown is not serving (starting, failing, backoff, stopping, stopped), or is unknown.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket.",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
final class StatusCommand extends EmperorCommand {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "vassal file names, e.g. app.ini (default: all)")
    List<String> names = new ArrayList<>();

    @Override
    int run() throws ControlClientException {
        ControlReply reply = ask(ControlRequest.status());
        if (reply instanceof ControlReply.Failure f) {
            return refused(f);
        }
        ControlReply.Status status = (ControlReply.Status) reply;
        int code = ExitCodes.OK;
        if (!names.isEmpty()) {
            List<VassalStatus> chosen = new ArrayList<>();
            for (String name : names) {
                VassalStatus v = status.vassals().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
                if (v == null) {
                    err().println("imperium: no vassal " + name + " in " + status.emperor().vassalsDir());
                    code = ExitCodes.FAILED;
                } else {
                    chosen.add(v);
                }
            }
            status = new ControlReply.Status(status.emperor(), chosen);
            lastJson = ControlCodec.encode(status);
        }
        if (emperor.json) {
            printJson();
        } else {
            out().print(StatusTable.render(status, System.currentTimeMillis() / 1000));
            out().flush();
        }
        err().flush();
        boolean allServing = status.vassals().stream().allMatch(VassalStatus::serving);
        return code != ExitCodes.OK || !allServing ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
