package dev.imperium.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side benchmark: Imperium against uWSGI 2.0 (Debian's packages, the same JWSGI jar under its JVM
 * plugin) and nginx, on 127.0.0.1, in one run, with the same client. Started by {@code tests/bench/run}, which checks
 * the prerequisites and builds first; run from the repository root:
 *
 * <pre>
 *   java tests/bench/harness/dev/imperium/bench/Bench.java [--quick] [--runs N] [--duration S] [--only REGEX]
 *        [--out FILE]
 * </pre>
 *
 * Prints what it does as it goes, then the table, and writes it as Markdown to {@code --out}. Every process it
 * starts is stopped at the end of its case, and on Ctrl-C/SIGTERM by a shutdown hook; leftovers are reported.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.print(Options.USAGE);
                return;
            }
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        for (Path p : List.of(Configs.DIST.resolve("bin/vassal"), Configs.DIST.resolve("bin/emperor"),
                Configs.HELLO_JAR, Configs.API_JAR)) {
            if (!Files.exists(p)) {
                System.err.println("bench: " + p + " is missing: build first (tests/bench/run does), from the "
                        + "repository root");
                System.exit(2);
            }
        }
        long started = System.nanoTime();
        Path root = Files.createTempDirectory("imperium-sbs-");
        Procs procs = new Procs(root);
        procs.installShutdownHook();
        Report report = new Report();
        Wrk wrk = new Wrk(procs, root.resolve("wrk"));

        List<String> header = new ArrayList<>(Machine.header(options));
        System.out.println("Imperium side-by-side benchmark; scratch directory " + root);
        header.forEach(h -> System.out.println("  " + h));

        List<String> failed = new ArrayList<>();
        ThroughputCases throughput = new ThroughputCases(procs, wrk, options, root, report);
        for (ThroughputCases.Case c : ThroughputCases.all(root)) {
            if (options.selected(c.id())) {
                runCase(c.id(), procs, failed, report, () -> throughput.run(c));
            }
        }
        EmperorCases emperor = new EmperorCases(procs, wrk, options, root, report);
        if (options.selected("emperor-drop")) {
            runCase("emperor-drop", procs, failed, report, () -> emperor.drop("emperor-drop", 1, true, false));
        }
        if (options.selected("emperor-drop-2w")) {
            runCase("emperor-drop-2w", procs, failed, report, () -> emperor.drop("emperor-drop-2w", 2, false, true));
        }
        if (options.selected("emperor-50")) {
            runCase("emperor-50", procs, failed, report, () -> emperor.fifty("emperor-50"));
        }
        if (options.selected("emperor-touch")) {
            runCase("emperor-touch", procs, failed, report, () -> emperor.touch("emperor-touch", false));
            runCase("emperor-touch", procs, failed, report, () -> emperor.touch("emperor-touch", true));
        }
        if (options.selected("memory")) {
            runCase("memory", procs, failed, report, () -> new MemoryCase(procs, root, report).run());
        }

        if (procs.closing()) {
            return;
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        String wallText = wall.toMinutes() + " min " + wall.toSecondsPart() + " s";
        Servers.observedImperiumCommands().forEach(c -> header.add("Observed Imperium " + c));
        header.add("Wall time of the run: " + wallText);
        System.out.println();
        System.out.print(report.text());
        System.out.println();
        if (report.rows().isEmpty()) {
            System.out.println("No case ran (did --only match nothing?): " + options.out() + " left as it was");
        } else {
            report.write(options.out(), header.stream().map(Bench::withoutMachinePaths).toList(), notes(failed));
            System.out.println("Markdown written to " + options.out() + "; wall time " + wallText);
        }
        int left = procs.checkLeftovers("at the end");
        System.exit(failed.isEmpty() && left == 0 ? 0 : 1);
    }

    /**
     * Replaces this machine's paths in a report line (the checkout, the JDK, the scratch directory) with names, so
     * that the committed report reads the same wherever it was written.
     */
    static String withoutMachinePaths(String line) {
        return line.replace(Configs.REPO.toString(), "<repo>")
                .replace(System.getProperty("java.home"), "$JAVA_HOME")
                .replaceAll("/tmp/imperium-sbs-[0-9]+", "<scratch>");
    }

    /** A case body that may fail. */
    @FunctionalInterface
    private interface CaseBody {
        void run() throws Exception;
    }

    /** Runs a case; a failure is reported (and the run goes on); every process is stopped after it. */
    private static void runCase(String id, Procs procs, List<String> failed, Report report, CaseBody body) {
        if (procs.closing()) {
            return;
        }
        try {
            body.run();
        } catch (Exception e) {
            String message = id + " could not run: " + e.getMessage();
            System.out.println("   FAILED: " + message);
            failed.add(message.replace('\n', ' '));
            report.add(new Report.Row(id, "–", "–", "–", "–", "–", null, "–", "–",
                    "**could not run**, see notes"));
        } finally {
            procs.stopAll(Duration.ofSeconds(10));
            procs.checkLeftovers("after " + id);
        }
    }

    private static List<String> notes(List<String> failed) {
        List<String> notes = new ArrayList<>(failed);
        notes.add("A shared, noisy 2-core machine: wrk (one thread) shares the cores with the server, and medians move "
                + "by about 10 % between runs. Read the ratios, not the absolute figures.");
        notes.add("req/s: median over the runs (min..max); p50/p99: those of the run with the median req/s, from "
                + "wrk's latency histogram (which applies its coordinated-omission correction); notes: errors summed "
                + "over the runs and the slowest request of any run.");
        notes.add("\"conns served\" counts wrk's connections that received bytes between 30 % and 80 % of a run "
                + "(two `ss` snapshots). uWSGI's single-threaded workers on `http11-socket` each hold one keep-alive "
                + "connection until the client closes it, so at 50 connections only as many as there are workers are "
                + "served and the rest wait in the listen queue for the whole run: wrk counts no error for a request "
                + "that never gets an answer, so only this column shows it.");
        notes.add("Imperium has no `http11-socket` yet: its `http-socket` speaks HTTP/1.1 with keep-alive, and is what "
                + "every Imperium row uses.");
        return notes;
    }
}
