package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Memory at rest: each emperor alone (empty directory, 3 s idle), and one idle vassal with a master and one worker on
 * the same JWSGI hello jar (Imperium's {@code bin/vassal} against {@code uwsgi} with its JVM/JWSGI plugins), sampled
 * after one request and 3 s idle. One sample per side; lower is better.
 */
final class MemoryCase {
    private static final long IDLE_MILLIS = 3000;

    private final Procs procs;
    private final Path work;
    private final Report report;

    MemoryCase(Procs procs, Path work, Report report) {
        this.procs = procs;
        this.work = work;
        this.report = report;
    }

    void run() throws IOException {
        System.out.println("== memory: emperor alone, idle vassal (master + 1 worker)");
        Memory.Usage imperiumEmperor = emperorAlone(true);
        Memory.Usage uwsgiEmperor = emperorAlone(false);
        report.add(new Report.Row("memory: emperor alone, idle (RSS)", "–", mib(imperiumEmperor.rss()),
                mib(uwsgiEmperor.rss()), Stats.ratio((double) imperiumEmperor.rss() / uwsgiEmperor.rss()),
                "Imperium ≤ 64 MiB RSS", Stats.mib(imperiumEmperor.rss()) <= 64, "–", "–",
                "PSS: Imperium " + mib(imperiumEmperor.pss()) + ", uWSGI " + mib(uwsgiEmperor.pss())
                        + "; lower is better"));

        Memory.Usage imperiumVassal = idleVassal(Servers.imperium("", p -> Configs.imperiumJwsgi(p, 1), "/"));
        Memory.Usage uwsgiVassal = idleVassal(Servers.uwsgi("", p -> Configs.uwsgiJwsgi(p, 1, false), "/"));
        double pssRatio = (double) imperiumVassal.pss() / uwsgiVassal.pss();
        String notes = "sum over the vassal's process tree: Imperium " + imperiumVassal.processes()
                + " processes, uWSGI " + uwsgiVassal.processes() + "; lower is better";
        String vassal = "memory: idle JWSGI vassal, master + 1 worker";
        report.add(new Report.Row(vassal + " (PSS)", "–", mib(imperiumVassal.pss()), mib(uwsgiVassal.pss()),
                Stats.ratio(pssRatio), "≤ 2× peer PSS", pssRatio <= 2.0, "–", "–", notes));
        report.add(new Report.Row(vassal + " (RSS)", "–", mib(imperiumVassal.rss()), mib(uwsgiVassal.rss()),
                Stats.ratio((double) imperiumVassal.rss() / uwsgiVassal.rss()), "– (information)", null, "–", "–",
                notes));
        report.describe("**memory**: RSS and PSS from `/proc/PID/smaps_rollup`, summed over the process tree. Emperors "
                + "alone: empty vassal directory, 3 s idle (uWSGI: `uwsgi --emperor DIR --emperor-freq 1`). Idle "
                + "vassal: `processes = 1`, `master = true`, the JWSGI hello jar; Imperium `bin/vassal`, uWSGI "
                + "`plugins = jvm,jwsgi` on `http-socket` (its JVM is OpenJDK 17); one request, then 3 s idle.");
    }

    private static String mib(long bytes) {
        return Stats.num(Stats.mib(bytes), 1) + " MiB";
    }

    private Memory.Usage emperorAlone(boolean imperium) throws IOException {
        String label = imperium ? "Imperium" : "uWSGI";
        Path dir = Files.createDirectories(work.resolve("memory-emperor-" + label));
        Path vassals = Files.createDirectories(dir.resolve("vassals"));
        Procs.Running emperor = imperium ? Servers.imperiumEmperor(procs, dir, vassals)
                : Servers.uwsgiEmperor(procs, dir, vassals);
        try {
            Procs.sleep(IDLE_MILLIS);
            Memory.Usage u = Memory.ofTree(emperor.process().toHandle());
            System.out.printf("   %-8s emperor alone: %s%n", label, u.text());
            return u;
        } finally {
            procs.stop(emperor, Duration.ofSeconds(10));
        }
    }

    private Memory.Usage idleVassal(Servers.Spec spec) throws IOException {
        Path dir = Files.createDirectories(work.resolve("memory-vassal-" + spec.label()));
        int port = Http.freePort();
        Servers.Server server = spec.start(procs, dir, port);
        try {
            Http.get(port, "/", 10_000);
            Procs.sleep(IDLE_MILLIS);
            Memory.Usage u = Memory.ofTree(server.process().process().toHandle());
            System.out.printf("   %-8s idle vassal: %s%n", spec.label(), u.text());
            return u;
        } finally {
            procs.stop(server.process(), Duration.ofSeconds(10));
        }
    }
}
