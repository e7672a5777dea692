package dev.imperium.cli;

import dev.imperium.emperor.client.ControlClient;
import dev.imperium.emperor.client.ControlClientException;
import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlRequest;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A subcommand that talks to the emperor: turns every failure to reach it into one line on stderr and its exit code
 * ({@link ExitCodes}).
 */
abstract class EmperorCommand implements Callable<Integer> {
    @Mixin
    EmperorOptions emperor;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Does the work. */
    abstract int run() throws ControlClientException;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ControlClientException e) {
            err().println("imperium: " + e.getMessage());
            err().flush();
            return switch (e.kind()) {
                case NOT_RUNNING, CLOSED -> ExitCodes.NOT_RUNNING;
                case PERMISSION -> ExitCodes.PERMISSION;
                case TIMEOUT, PROTOCOL, IO -> ExitCodes.FAILED;
            };
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Sends one request and returns its one reply; a refusal becomes an exit code through {@link Refused}. */
    ControlReply ask(ControlRequest request) throws ControlClientException {
        try (ControlClient client = emperor.connect()) {
            client.send(request);
            ControlReply reply = client.read();
            lastJson = client.lastLine();
            return reply;
        }
    }

    /** The JSON text of the last reply {@link #ask} got. */
    String lastJson;

    /** Prints a refusal and returns its exit code. */
    int refused(ControlReply.Failure failure) {
        if (emperor.json) {
            out().println(lastJson);
        } else {
            err().println("imperium: " + failure.message());
        }
        out().flush();
        err().flush();
        return ControlReply.Failure.PERMISSION.equals(failure.reason()) ? ExitCodes.PERMISSION : ExitCodes.FAILED;
    }

    /** Prints the raw reply for {@code --json}. */
    void printJson() {
        out().println(lastJson);
        out().flush();
    }
}
