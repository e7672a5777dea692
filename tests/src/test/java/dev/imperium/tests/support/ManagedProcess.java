package dev.imperium.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A process started by a test, with its stdout and stderr in one log file, that is always cleaned up: {@link #close()}
 * sends the stop signal, waits, then SIGKILLs the process and every descendant it had (so a uWSGI master's workers
 * or a vassal's worker JVMs never outlive the test). A JVM shutdown hook does the same if the test JVM exits first.
 *
 * <p>Use with try-with-resources or close it in {@code @AfterEach}/{@code @AfterAll}.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final String stopSignal;
    private final Duration grace;
    private final Thread shutdownHook;

    private ManagedProcess(String name, Process process, Path log, String stopSignal, Duration grace) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopSignal = stopSignal;
        this.grace = grace;
        this.shutdownHook = new Thread(this::killTree, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts building a process. */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    /** Returns the name given in the builder (for messages). */
    public String name() {
        return name;
    }

    /** Returns the process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns true while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns the exit status.
     *
     * @throws IllegalThreadStateException if the process still runs
     */
    public int exitValue() {
        return process.exitValue();
    }

    /** Returns the log file (stdout and stderr). */
    public Path logFile() {
        return log;
    }

    /** Returns what the process has logged so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        String[] all = log().split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }

    /**
     * Waits until the log matches {@code pattern}; fails early if the process exits without logging it.
     *
     * @param pattern searched anywhere in the log
     * @param timeout how long to wait
     */
    public void awaitLog(Pattern pattern, Duration timeout) {
        try {
            await(name + " logs " + pattern).atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .failFast(name + " exited without logging " + pattern,
                            () -> !process.isAlive() && !pattern.matcher(log()).find())
                    .until(() -> pattern.matcher(log()).find());
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\n--- last lines of " + name + "'s log ---\n" + logTail(40), e);
        }
    }

    /** Sends a signal ({@code TERM}, {@code INT}, {@code HUP}...) to the process with {@code kill(1)}. */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the process: the stop signal, up to the grace period for it to exit, then SIGKILL for it and every
     * descendant seen before or after the signal. Safe to call more than once.
     */
    @Override
    public void close() {
        try {
            List<ProcessHandle> tree = descendants();
            if (process.isAlive()) {
                signal(stopSignal);
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
            tree.addAll(descendants());
            tree.forEach(ProcessHandle::destroyForcibly);
            killTree();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private List<ProcessHandle> descendants() {
        return new ArrayList<>(process.descendants().toList());
    }

    private void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    /** Builds a {@link ManagedProcess}. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private Path directory;
        private Path log;
        /** Lets a vassal run its workers as root (Imperium refuses otherwise); set for every process by default. */
        public static final String ALLOW_ROOT = "IMPERIUM_ALLOW_ROOT";
        private final Map<String, String> environment = new java.util.LinkedHashMap<>();
        private String stopSignal = "TERM";
        private Duration grace = Duration.ofSeconds(10);

        private Builder(String name, List<String> command) {
            this.name = Objects.requireNonNull(name, "name");
            this.command = List.copyOf(command);
            // the tests run as root on CI: their vassals run workers as root on purpose (see withoutEnv)
            environment.put(ALLOW_ROOT, "1");
        }

        /** Removes a variable, e.g. {@link #ALLOW_ROOT} to see what a user without it meets. */
        public Builder withoutEnv(String key) {
            environment.remove(key);
            return this;
        }

        /** Sets the working directory (default: the test's). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Sets the log file (default: a temporary file). */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** Adds an environment variable. */
        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /**
         * Sets the signal that asks the process to stop (default {@code TERM}). uWSGI 2.0 needs {@code INT}: it takes
         * SIGTERM as "reload".
         */
        public Builder stopSignal(String signal) {
            this.stopSignal = signal;
            return this;
        }

        /** Sets how long to wait after the stop signal before SIGKILL (default 10 s). */
        public Builder grace(Duration grace) {
            this.grace = grace;
            return this;
        }

        /** Starts the process. */
        public ManagedProcess start() {
            try {
                Path logFile = log != null ? log : Files.createTempFile(name + "-", ".log");
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                builder.environment().putAll(environment);
                return new ManagedProcess(name, builder.start(), logFile, stopSignal, grace);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + command, e);
            }
        }
    }
}
