package dev.imperium.cli;

import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlCodec;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import dev.imperium.emperor.client.VassalStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** {@code imperium top}: a live per-worker view of every vassal, like uwsgitop, refreshed every second. */
@Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Live view of the workers of every vassal (or the ones named), like uwsgitop: requests, "
                + "requests per second, average request time, RSS, bytes sent, respawns; from the stats report "
                + "each vassal sends the emperor every 2 s. Until a vassal has reported, it shows what the emperor "
                + "knows and says that stats are not available.",
            "On a terminal the screen is redrawn; otherwise frames are printed one after the other. Ctrl-C quits."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:Done (--iterations reached, or interrupted).",
            "1:A vassal named is unknown.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket, or it stopped.",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
final class TopCommand extends EmperorCommand {
    private static final String CLEAR = "\033[H\033[2J";

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "vassal file names (default: all)")
    List<String> names = new ArrayList<>();

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", defaultValue = "0",
            description = "Stop after N frames (default: run until interrupted).")
    int iterations;

    @Option(names = {"-d", "--interval"}, paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between frames (default: ${DEFAULT-VALUE}).")
    double interval;

    @Override
    int run() throws ControlClientException {
        if (interval <= 0 || iterations < 0) {
            err().println("imperium: --interval must be positive and --iterations not negative");
            err().flush();
            return ExitCodes.USAGE;
        }
        boolean terminal = System.console() != null && System.console().isTerminal() && !emperor.json;
        TopScreen screen = new TopScreen(ZoneId.systemDefault());
        long period = (long) (interval * 1e9);
        long next = System.nanoTime();
        for (int frame = 1; iterations == 0 || frame <= iterations; frame++) {
            ControlReply reply = ask(ControlRequest.status());
            long now = System.nanoTime();
            if (reply instanceof ControlReply.Failure f) {
                return refused(f);
            }
            ControlReply.Status status = filter((ControlReply.Status) reply);
            if (status == null) {
                return ExitCodes.FAILED;
            }
            if (emperor.json) {
                out().println(names.isEmpty() ? lastJson : ControlCodec.encode(status));
            } else {
                out().print((terminal ? CLEAR : frame > 1 ? "\n" : "")
                        + screen.render(status, now, Instant.now(), interval));
            }
            out().flush();
            if (iterations != 0 && frame == iterations) {
                break;
            }
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            } else {
                next = System.nanoTime();
            }
        }
        return ExitCodes.OK;
    }

    /** Keeps the vassals named, or returns null (after saying so) when one is unknown. */
    private ControlReply.Status filter(ControlReply.Status status) {
        if (names.isEmpty()) {
            return status;
        }
        List<VassalStatus> chosen = new ArrayList<>();
        for (String name : names) {
            VassalStatus v = status.vassals().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
            if (v == null) {
                err().println("imperium: no vassal " + name + " in " + status.emperor().vassalsDir());
                err().flush();
                return null;
            }
            chosen.add(v);
        }
        return new ControlReply.Status(status.emperor(), chosen);
    }
}
