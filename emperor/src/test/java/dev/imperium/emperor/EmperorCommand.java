package dev.imperium.emperor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the {@code emperor} command line in this JVM and keeps what it printed (picocli's out and err, and stderr). */
final class EmperorCommand {
    /** What picocli printed to its out (help, version). */
    final StringWriter out = new StringWriter();
    /** What picocli printed to its err, followed by what the command wrote to {@code System.err}. */
    final StringWriter err = new StringWriter();

    /** Runs {@code emperor ARGS} and returns its exit code. */
    int run(String... args) {
        CommandLine cl = new CommandLine(new EmperorMain(new CapturingSink()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        PrintStream savedErr = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            return cl.execute(args);
        } finally {
            System.setErr(savedErr);
            err.write(stderr.toString(StandardCharsets.UTF_8));
        }
    }
}
