package dev.imperium.emperor;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers to run {@link FakeVassal}s and to check that none of them, nor their children, survive a test. */
final class FakeVassals {
    private FakeVassals() {
    }

    /** Returns the java launcher of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Returns the JVM options of a fast-starting small child JVM. */
    static List<String> jvmOptions() {
        return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx64m", "-Xss512k",
                "--enable-native-access=ALL-UNNAMED");
    }

    /**
     * Returns the settings the supervision tests run an emperor with: fake vassals from {@code dir}, a 2 s reload
     * mercy, a 30 s start timeout (a JVM on a loaded 2-core machine) and a fast backoff (200 ms doubling to 2 s).
     */
    static EmperorSettings testSettings(Path dir, String marker) {
        return EmperorSettings.defaults(dir, command(marker))
                .withReloadMercy(Duration.ofSeconds(2))
                .withStartTimeout(Duration.ofSeconds(30))
                .withBackoff(new BackoffPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 0.25));
    }

    /**
     * Ends a test's emperor: shuts it down (if started), asserts it was buried within 30 s and that none of the fake
     * vassals tagged {@code marker} outlived it, and kills any that did.
     */
    static void bury(Emperor emperor, String marker) throws InterruptedException {
        if (emperor != null) {
            emperor.shutdown();
            org.assertj.core.api.Assertions.assertThat(emperor.awaitBuried(Duration.ofSeconds(30))).as("buried")
                    .isTrue();
        }
        try {
            assertAllGone(marker);
        } finally {
            alive(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Returns the command running a fake vassal, tagged with {@code marker} so leftovers can be found. */
    static List<String> command(String marker) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmOptions());
        cmd.add("-Dimperium.test.marker=" + marker);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FakeVassal.class.getName());
        return cmd;
    }

    /** Writes an executable shell script that execs the fake vassal (same pid), for an emperor in another JVM. */
    static Path script(Path dir, String marker) throws IOException {
        StringBuilder sb = new StringBuilder("#!/bin/sh\nexec");
        for (String arg : command(marker)) {
            sb.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        sb.append(" \"$@\"\n");
        Path script = dir.resolve("fake-vassal.sh");
        Files.writeString(script, sb.toString());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Deploys a vassal file the recommended way: write a hidden temporary file, rename it into place. */
    static void drop(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Touches a vassal file: a new mtime, nothing else. */
    static void touch(Path file) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Instant now = Instant.now();
        if (!now.isAfter(before.toInstant())) {
            now = before.toInstant().plusMillis(1);
        }
        Files.setLastModifiedTime(file, FileTime.from(now));
    }

    /** Returns the pid a fake vassal printed at start (its latest start), or -1. */
    static long pidOf(CapturingSink sink, String vassal) {
        return lastNumber(sink, "fake-vassal " + Pattern.quote(vassal) + " pid (\\d+) started");
    }

    /** Returns the pid of the child a fake vassal started (latest), or -1. */
    static long childOf(CapturingSink sink, String vassal) {
        return lastNumber(sink, "fake-vassal " + Pattern.quote(vassal) + " child pid (\\d+)");
    }

    private static long lastNumber(CapturingSink sink, String regex) {
        Pattern p = Pattern.compile(regex);
        long found = -1;
        for (String line : sink.lines()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                found = Long.parseLong(m.group(1));
            }
        }
        return found;
    }

    /** Returns the live processes whose command line carries {@code marker}. */
    static List<ProcessHandle> alive(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    /** Waits until no process carries {@code marker} and none of {@code pids} is alive. */
    static void assertAllGone(String marker, long... pids) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .alias("no fake vassal or child left")
                .until(() -> alive(marker).isEmpty() && java.util.Arrays.stream(pids)
                        .noneMatch(pid -> pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    /** Tells whether a pid is alive. */
    static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
