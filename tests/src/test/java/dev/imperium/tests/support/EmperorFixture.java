package dev.imperium.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code bin/emperor} from the built distribution, watching its own vassal directory in a temp dir, with a
 * unique environment marker so that every process of its tree can be found and checked at the end
 * ({@link Orphans}). Deploys are atomic renames into the directory, as the README recommends.
 */
public final class EmperorFixture implements AutoCloseable {
    private static final Pattern ACCEPTING =
            Pattern.compile("\\[emperor] vassal (\\S+) generation (\\d+) accepting \\(pid (\\d+)");

    private final Path vassals;
    /** The socket {@code imperium} talks to: its own per test, never the host's default. */
    private final Path controlSocket;
    private final String marker = UUID.randomUUID().toString();
    private final ManagedProcess process;

    private EmperorFixture(Path root, String monitor, List<String> extraArgs) throws IOException {
        vassals = Files.createDirectories(root.resolve("vassals"));
        controlSocket = root.resolve("emperor.sock");
        List<String> command = new java.util.ArrayList<>(List.of(Dist.bin("emperor").toString(),
                "--vassals", monitor != null ? monitor : vassals.toString(), "--control-socket",
                controlSocket.toString()));
        command.addAll(extraArgs);
        process = ManagedProcess.builder("emperor", command)
                .directory(root)
                .log(root.resolve("emperor.log"))
                .env(Orphans.MARKER, marker)
                .env("JAVA_HOME", System.getProperty("java.home"))
                .grace(Duration.ofSeconds(40))
                .start();
        process.awaitLog(Pattern.compile("starting Imperium Emperor"), Duration.ofSeconds(30));
    }

    /**
     * Starts an emperor on {@code root/vassals}; its log is {@code root/emperor.log}.
     *
     * @param root a fresh temp directory
     * @param extraArgs more emperor options, e.g. {@code --reload-mercy 5}
     */
    public static EmperorFixture start(Path root, String... extraArgs) {
        try {
            return new EmperorFixture(root, null, List.of(extraArgs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts an emperor watching {@code monitor} (e.g. a glob, {@code root + "/srv/*&#47;vassal.ini"}) instead of
     * {@code root/vassals}, running in {@code root}; its log is {@code root/emperor.log}.
     */
    public static EmperorFixture startWatching(Path root, String monitor, String... extraArgs) {
        try {
            return new EmperorFixture(root, monitor, List.of(extraArgs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the watched directory. */
    public Path vassals() {
        return vassals;
    }

    /** Returns the emperor's control socket for {@code imperium} ({@code root/emperor.sock}). */
    public Path controlSocket() {
        return controlSocket;
    }

    /** Returns the emperor process. */
    public ManagedProcess process() {
        return process;
    }

    /** Returns the marker every process of this emperor's tree carries. */
    public String marker() {
        return marker;
    }

    /** Writes a vassal file next to the directory and renames it in (atomic deploy). */
    public Path deploy(String name, String content) {
        try {
            Path staged = vassals.resolve("." + name + ".tmp");
            Files.writeString(staged, content, StandardCharsets.UTF_8);
            return Files.move(staged, vassals.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets a vassal file's modification time to now, as {@code touch} does. */
    public void touch(String name) {
        try {
            Files.setLastModifiedTime(vassals.resolve(name), FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a vassal file. */
    public void remove(String name) {
        try {
            Files.delete(vassals.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the emperor's log so far. */
    public String log() {
        return process.log();
    }

    /** Waits until the emperor's log (which carries its vassals' output too) matches. */
    public void awaitLog(String regex, Duration timeout) {
        process.awaitLog(Pattern.compile(regex), timeout);
    }

    /**
     * Waits until the vassal reports generation {@code generation} accepting and returns its master's pid.
     */
    public long awaitGeneration(String name, int generation, Duration timeout) {
        return awaitGeneration(name, generation, timeout, pid -> true);
    }

    /**
     * Waits until a master of the vassal whose pid passes {@code master} reports generation {@code generation}
     * accepting, and returns that pid (e.g. a respawned master: {@code pid -> pid != old}).
     */
    public long awaitGeneration(String name, int generation, Duration timeout,
            java.util.function.LongPredicate master) {
        long[] pid = new long[1];
        await(name + " generation " + generation + " accepting").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .failFast("emperor exited; log:\n" + process.logTail(40), () -> !process.isAlive())
                .until(() -> {
                    Matcher m = ACCEPTING.matcher(log());
                    while (m.find()) {
                        if (m.group(1).equals(name) && Integer.parseInt(m.group(2)) == generation
                                && master.test(Long.parseLong(m.group(3)))) {
                            pid[0] = Long.parseLong(m.group(3));
                            return true;
                        }
                    }
                    return false;
                });
        return pid[0];
    }

    /** Returns the pids of a master's live children (its workers). */
    public static Set<Long> workers(long masterPid) {
        return ProcessHandle.of(masterPid).stream().flatMap(ProcessHandle::children)
                .filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Stops the emperor (SIGTERM, then SIGKILL of its tree after the grace), then makes sure no process of its tree
     * is left: any survivor is killed and reported.
     *
     * @throws AssertionError if a process of the tree had outlived the emperor
     */
    @Override
    public void close() {
        process.close();
        Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "the emperor");
    }
}
