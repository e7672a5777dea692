package dev.imperium.cli;

import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlCodec;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code reload}, {@code stop} and {@code start} share: one request per vassal named, each answered once the
 * operation has ended (unless {@code --no-wait}), printed as {@code NAME: what happened} (failures as
 * {@code NAME: ERROR why}), like supervisorctl.
 */
abstract class VassalCommand extends EmperorCommand {
    @Option(names = "--no-wait", description = "Return once the emperor has taken the command, without waiting for "
            + "the outcome.")
    boolean noWait;

    /** The requests to send, in order. */
    abstract List<ControlRequest> requests();

    @Override
    final int run() throws ControlClientException {
        List<ControlReply.CommandResult> results = new ArrayList<>();
        int code = ExitCodes.OK;
        for (ControlRequest request : requests()) {
            ControlReply reply = ask(request);
            if (reply instanceof ControlReply.Failure f) {
                if (!emperor.json) {
                    refused(f);
                }
                code = Math.max(code, ControlReply.Failure.PERMISSION.equals(f.reason()) ? ExitCodes.PERMISSION
                        : ExitCodes.FAILED);
                results.add(new ControlReply.CommandResult(request.vassal(), false, f.message()));
                continue;
            }
            for (ControlReply.CommandResult r : ((ControlReply.Results) reply).results()) {
                results.add(r);
                if (!emperor.json) {
                    out().println(r.vassal() + ": " + (r.ok() ? "" : "ERROR ") + r.message());
                }
                if (!r.ok()) {
                    code = Math.max(code, ExitCodes.FAILED);
                }
            }
        }
        if (emperor.json) {
            out().println(ControlCodec.encode(new ControlReply.Results(results)));
        } else if (results.isEmpty()) {
            out().println("no vassals");
        }
        out().flush();
        err().flush();
        return code;
    }
}
