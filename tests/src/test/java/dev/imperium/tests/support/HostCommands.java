package dev.imperium.tests.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the host's own tools to completion (dpkg, systemd-analyze, ansible-playbook ...) for the tests that install the
 * Debian package on this machine (PackagingIT, AnsibleIT), and finds the built {@code .deb}.
 */
public final class HostCommands {
    /** How long {@link #run(List)} lets a command take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private HostCommands() {
    }

    /** A finished command: its exit status and its stdout and stderr together. */
    public record Result(int code, String output) {
    }

    /** Runs a command to completion (at most 3 minutes), stdin from /dev/null, stdout and stderr together. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), DEFAULT_TIMEOUT);
    }

    /**
     * Runs a command to completion, stdin from /dev/null, stdout and stderr together.
     *
     * @param command the program and its arguments
     * @param env variables added to (or, with an empty value, replacing) the test JVM's environment
     * @param timeout after this the command and its descendants are killed and an AssertionError is thrown
     * @return the exit status and the output
     */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("host-command-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + timeout + ": " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Returns true if {@code program} is an executable on PATH, or in /usr/sbin or /sbin. */
    public static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/sbin", program));
    }

    /**
     * Returns the one {@code imperium_VERSION_all.deb} in {@code dir}.
     *
     * @throws AssertionError if there is none or more than one
     */
    public static Path deb(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("no " + dir + ": build the .deb first (./mvnw -DskipTests package)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("imperium_.*_all\\.deb")).toList();
            if (debs.size() != 1) {
                throw new AssertionError("expected one .deb in " + dir + " (build it: ./mvnw -DskipTests package), "
                        + "found " + debs);
            }
            return debs.getFirst();
        }
    }

    /** Returns true if dpkg knows the package in any state but "not installed" (installed, config-files, half-...). */
    public static boolean dpkgKnows(String pkg) throws IOException, InterruptedException {
        return run(List.of("dpkg-query", "-W", "-f=${Status}", pkg)).output()
                .matches("(?s).*ok (installed|config-files|unpacked|half-installed|half-configured|triggers-).*");
    }
}
