package dev.imperium.cli;

import dev.imperium.emperor.client.ControlClient;
import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code imperium logs NAME [-f] [-n N]}: the vassal's output the emperor kept, optionally followed. */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a vassal's recent output (stdout and stderr, as the vassal wrote it). The emperor keeps "
                + "the last 1000 lines (256 KiB) of each vassal, across its restarts and reloads; a vassal with "
                + "logto writes to its file instead, so only its first lines are here.",
            "With -f, keep printing new lines until interrupted (Ctrl-C)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:Done (or, with -f, interrupted).",
            "1:The vassal is unknown.",
            "2:Invalid command line.",
            "3:No emperor listens on the control socket, or it stopped while following.",
            "4:Permission denied: only the emperor's user (and root) may drive it."})
final class LogsCommand extends EmperorCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the vassal file name, e.g. app.ini")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as the vassal writes them.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "-1",
            description = "Print only the last N kept lines first (default: all kept lines).")
    int lines;

    @Override
    int run() throws ControlClientException {
        try (ControlClient client = emperor.connect(follow ? 0 : EmperorOptions.DEFAULT_TIMEOUT_SECONDS)) {
            client.send(ControlRequest.logs(name, lines, follow));
            ControlReply first = client.read();
            lastJson = client.lastLine();
            if (first instanceof ControlReply.Failure f) {
                return refused(f);
            }
            if (emperor.json) {
                printJson();
            }
            while (true) {
                ControlReply reply;
                try {
                    reply = client.read();
                } catch (ControlClientException e) {
                    if (follow && e.kind() == ControlClientException.Kind.CLOSED) {
                        err().println("imperium: the emperor closed the connection (it is stopping?)");
                        err().flush();
                        return ExitCodes.NOT_RUNNING;
                    }
                    throw e;
                }
                switch (reply) {
                    case ControlReply.LogLine line -> {
                        out().println(emperor.json ? client.lastLine() : line.text());
                        out().flush();
                    }
                    case ControlReply.LogsSkipped skipped -> {
                        if (emperor.json) {
                            out().println(client.lastLine());
                        } else {
                            err().println("imperium: " + skipped.count() + " line(s) skipped: printed too slowly");
                            err().flush();
                        }
                    }
                    case ControlReply.LogsEnd end -> {
                        out().flush();
                        return ExitCodes.OK;
                    }
                    default -> { } // pings
                }
            }
        }
    }
}
