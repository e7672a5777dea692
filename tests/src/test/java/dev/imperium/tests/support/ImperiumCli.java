package dev.imperium.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code bin/imperium} once and waits for it: its exit code, stdout and stderr. A run that outlives its
 * timeout is killed (and reported as exit -1), so no process is left behind.
 */
public final class ImperiumCli {
    private ImperiumCli() {
    }

    /**
     * What a run printed and how it ended.
     *
     * @param exit the exit code, or -1 when it was killed after the timeout
     * @param out stdout
     * @param err stderr
     */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code imperium args...} as the current user, within 60 s. */
    public static Result run(String... args) {
        return run(List.of(), Duration.ofSeconds(60), args);
    }

    /**
     * Runs {@code prefix... bin/imperium args...}.
     *
     * @param prefix words before the command, e.g. {@code setpriv --reuid=65534 ...} to run as another user
     * @param timeout how long it may take
     * @param args the arguments
     * @return the outcome
     */
    public static Result run(List<String> prefix, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Dist.bin("imperium").toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("imperium-out-", ".txt");
            Path err = Files.createTempFile("imperium-err-", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                builder.environment().remove("IMPERIUM_CONTROL_SOCKET");
                Process p = builder.start();
                int exit;
                if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    exit = p.exitValue();
                } else {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    exit = -1;
                }
                return new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
