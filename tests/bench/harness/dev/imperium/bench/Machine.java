package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the report's header says about the run: date, machine (CPU model, cores, RAM, kernel), the versions of
 * everything compared, Imperium's commit and JVM flags.
 */
final class Machine {
    private static final Duration QUICK = Duration.ofSeconds(20);

    private Machine() {
    }

    static List<String> header(Options options) {
        List<String> h = new ArrayList<>();
        h.add("Date: " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
        h.add("Machine: " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + ram()
                + " RAM, Linux " + System.getProperty("os.version") + " (shared with other work; wrk runs on the "
                + "same cores)");
        h.add("Imperium: commit " + commit() + ", run by " + firstLine(Procs.capture(QUICK,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"), 2)
                + " (`" + System.getProperty("java.home") + "`)");
        h.add("uWSGI: " + Procs.capture(QUICK, "uwsgi", "--version").trim() + " (Debian `uwsgi-core`), python3 plugin "
                + "on " + Procs.capture(QUICK, "python3", "--version").trim() + ", JVM plugin `"
                + resolved("/usr/lib/uwsgi/plugins/jvm_plugin.so") + "` (" + jdk17() + ")");
        h.add("nginx: " + Procs.capture(QUICK, "nginx", "-v").trim().replace("nginx version: ", "") + "; wrk: "
                + firstLine(Procs.capture(QUICK, "wrk", "--version"), 1).replace(" Copyright (C) 2012 Will Glozer",
                ""));
        h.add("Options: " + options.describe());
        h.add("Imperium JVM flags: " + launcherLine()
                + Optional.ofNullable(System.getenv("IMPERIUM_JVM_FLAGS")).map(f -> "; overridden by the environment: "
                        + "IMPERIUM_JVM_FLAGS=\"" + f + "\"").orElse("")
                + Optional.ofNullable(System.getenv("JAVA_OPTS")).map(f -> "; JAVA_OPTS=\"" + f + "\"").orElse(""));
        return h;
    }

    /** The IMPERIUM_JVM_FLAGS line of bin/vassal, quoted. */
    static String launcherLine() {
        try {
            return Files.readAllLines(Configs.DIST.resolve("bin/vassal")).stream()
                    .filter(l -> l.startsWith("IMPERIUM_JVM_FLAGS")).findFirst()
                    .map(l -> "`bin/vassal`: `" + l + "`").orElse("(no IMPERIUM_JVM_FLAGS line in bin/vassal)");
        } catch (IOException e) {
            return "(bin/vassal unreadable)";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String ram() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Stats.num(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0, 1)
                            + " GiB").orElse("? GiB");
        } catch (IOException e) {
            return "? GiB";
        }
    }

    private static String commit() {
        String hash = Procs.capture(QUICK, "git", "rev-parse", "--short", "HEAD").trim();
        String dirty = Procs.capture(QUICK, "git", "status", "--porcelain", "--untracked-files=no").trim();
        return (hash.isEmpty() ? "?" : hash) + (dirty.isEmpty() ? "" : " + uncommitted changes");
    }

    private static String resolved(String path) {
        try {
            return Path.of(path).toRealPath().getFileName().toString();
        } catch (IOException e) {
            return "missing";
        }
    }

    private static String jdk17() {
        try {
            return Files.readAllLines(Path.of("/usr/lib/jvm/java-17-openjdk-amd64/release")).stream()
                    .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst()
                    .map(l -> "OpenJDK " + l.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .orElse("OpenJDK 17");
        } catch (IOException e) {
            return "OpenJDK 17";
        }
    }

    private static String firstLine(String text, int lines) {
        List<String> all = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("; ", all.subList(0, Math.min(lines, all.size())));
    }
}
