package dev.imperium.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Finds every process that carries a test's environment marker, wherever it ended up in the process tree: the
 * emperor, its vassal masters and their workers all inherit the marker, and a process that outlived its parent
 * (re-parented to init) still has it. Linux only: reads {@code /proc/PID/environ}.
 */
public final class Orphans {
    /** The environment variable tests set on the processes they start. */
    public static final String MARKER = "IMPERIUM_TEST_MARKER";

    private Orphans() {
    }

    /** Returns the live processes whose environment holds {@code MARKER=marker}. */
    public static List<ProcessHandle> withMarker(String marker) {
        byte[] needle = (MARKER + "=" + marker).getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    byte[] environ = Files.readAllBytes(proc.resolve("environ"));
                    if (contains(environ, needle)) {
                        ProcessHandle.of(Long.parseLong(name)).filter(ProcessHandle::isAlive).ifPresent(found::add);
                    }
                } catch (IOException | SecurityException e) {
                    // gone meanwhile, or not ours
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /** Waits until no process carries the marker. */
    public static void awaitNone(String marker, Duration timeout) {
        await("no process left with " + MARKER + "=" + marker).atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> withMarker(marker).stream().noneMatch(Orphans::running));
    }

    /**
     * Waits until no process carries the marker; if some still do after {@code timeout}, kills them and fails.
     *
     * @param outlived what they outlived, for the message (e.g. {@code "the emperor"})
     * @throws AssertionError naming the processes that were left
     */
    public static void assertNoneLeft(String marker, Duration timeout, String outlived) {
        try {
            awaitNone(marker, timeout);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String left = describe(marker);
            killAll(marker);
            throw new AssertionError("processes outlived " + outlived + ":\n" + left, e);
        }
    }

    /** SIGKILLs every process carrying the marker; returns how many there were. */
    public static int killAll(String marker) {
        List<ProcessHandle> left = withMarker(marker).stream().filter(Orphans::running).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        return left.size();
    }

    /** Describes the processes carrying the marker, for failure messages. */
    public static String describe(String marker) {
        StringBuilder sb = new StringBuilder();
        for (ProcessHandle p : withMarker(marker)) {
            sb.append(p.pid()).append(' ').append(p.info().commandLine().orElse("?")).append('\n');
        }
        return sb.toString();
    }

    /** Returns true if {@code pid} runs: it exists and is not a zombie (exited, not yet collected by its parent). */
    public static boolean running(long pid) {
        return ProcessHandle.of(pid).map(Orphans::running).orElse(false);
    }

    /** A zombie has exited; only its parent has not collected it yet. */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i + needle.length == haystack.length || haystack[i + needle.length] == 0) {
                return true;
            }
        }
        return false;
    }
}
