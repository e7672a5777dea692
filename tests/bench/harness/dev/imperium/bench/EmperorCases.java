package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emperor scenarios, each run against Imperium's emperor ({@code bin/emperor --vassals DIR}, inotify) and uWSGI's
 * ({@code uwsgi --emperor DIR --emperor-freq 1}, Python vassals on {@code http-socket}), each in its own temporary
 * directory: a vassal file renamed in until its first 200; 50 files renamed in at once until all answer, with a probe
 * on a vassal started before; and a {@code touch} under wrk load until a new worker serves. Vassal files are always
 * written outside the watched directory and renamed in (atomic).
 */
final class EmperorCases {
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    private final Procs procs;
    private final Wrk wrk;
    private final Options options;
    private final Path work;
    private final Report report;

    EmperorCases(Procs procs, Wrk wrk, Options options, Path work, Report report) {
        this.procs = procs;
        this.wrk = wrk;
        this.options = options;
        this.work = work;
        this.report = report;
    }

    /** A side of an emperor scenario: its emperor, vassal text and health path. */
    private record Side(String label, boolean imperium) {
        Procs.Running emperor(Procs procs, Path dir, Path vassals) throws IOException {
            return imperium ? Servers.imperiumEmperor(procs, dir, vassals) : Servers.uwsgiEmperor(procs, dir, vassals);
        }

        /** The hello vassal: typed API (Imperium) or the Python hello (uWSGI). */
        String hello(int port, int processes) {
            return imperium ? Configs.imperiumApi(port, processes, null)
                    : Configs.uwsgiPython(port, processes, "hello.py", false, null);
        }

        String helloPath() {
            return imperium ? "/hello" : "/";
        }

        /** A vassal answering its worker's pid as JSON: /api/info (Imperium) or pid_app.py (uWSGI). */
        String pidApp(int port, int processes) {
            return imperium ? Configs.imperiumApi(port, processes, null)
                    : Configs.uwsgiPython(port, processes, "pid_app.py", false, null);
        }

        String pidPath() {
            return imperium ? "/api/info" : "/";
        }
    }

    private static final Side IMPERIUM = new Side("Imperium", true);
    private static final Side UWSGI = new Side("uWSGI", false);

    /** A directory holding the watched {@code vassals/} and a {@code stage/} on the same file system. */
    private record Dirs(Path dir, Path vassals, Path stage) {
        /** Writes the file under stage/ and renames it into vassals/ (atomic); returns the vassal path. */
        Path deploy(String name, String text) throws IOException {
            Path staged = stage.resolve(name);
            Files.writeString(staged, text);
            return Files.move(staged, vassals.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private Dirs dirs(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        return new Dirs(dir, Files.createDirectories(dir.resolve("vassals")),
                Files.createDirectories(dir.resolve("stage")));
    }

    /**
     * The timings of one side in ms: drop → first 200 and, with 2 workers, touch → new worker, rm → closed
     * ({@code stuck}: removals after which the port was still open 30 s later, not in {@code remove}).
     */
    private record Lifecycle(List<Double> drop, List<Double> touch, List<Double> remove, int stuck) {
        String stuckText(String label) {
            return stuck == 0 ? "" : "; **" + label + ": " + stuck + " of " + drop.size()
                    + " vassals still served 30 s after rm** (not in the median)";
        }
    }

    /**
     * Drop → first 200, {@code options.dropRuns()} times per side. With {@code lifecycle}, each run then also
     * touches the file (idle) until a new worker answers, and removes it until the port is closed.
     */
    void drop(String id, int processes, boolean withTarget, boolean lifecycle) throws IOException {
        System.out.println("== " + id + ": vassal file renamed in -> first 200, " + processes + " worker(s)"
                + (lifecycle ? "; touch -> new worker; rm -> port closed" : ""));
        Lifecycle imperium = lifecycle(id, IMPERIUM, processes, lifecycle);
        Lifecycle uwsgi = lifecycle(id, UWSGI, processes, lifecycle);
        String workers = processes + " worker" + (processes == 1 ? "" : "s");
        String runs = "median (min..max) of " + imperium.drop().size() + " runs per side; lower is better";
        report.add(row(id + ": drop → first 200 (" + workers + ")", imperium.drop(), uwsgi.drop(),
                withTarget ? "≤ 660 ms (JVM start-up included)" : "– (information)",
                withTarget ? Stats.median(imperium.drop()) <= 660 : null, runs));
        if (lifecycle) {
            report.add(row(id + ": touch (idle) → a new worker answers (" + workers + ")", imperium.touch(),
                    uwsgi.touch(), "– (information)", null, runs + "; uWSGI: 1882 ms in uwsgi-measured.md "
                            + "(emperor-freq 3)"));
            report.add(row(id + ": rm → port closed (" + workers + ")", imperium.remove(), uwsgi.remove(),
                    "– (information)", null, runs + "; uWSGI: 1692 ms in uwsgi-measured.md (emperor-freq 1)"
                            + imperium.stuckText("Imperium") + uwsgi.stuckText("uWSGI")));
        }
        if (withTarget) {
            report.describe("**emperor-drop / emperor-drop-2w**: the file is written outside the watched directory "
                    + "and renamed in; a GET loop (new connection each, 2 ms apart) times the first 200. Imperium: "
                    + "typed-API vassal, `bin/emperor` defaults (inotify, 50 ms settle). uWSGI: Python hello "
                    + "(`hello.py`; `pid_app.py` with 2 workers), `master = true`, `--emperor-freq 1` (its default "
                    + "of 3 measured 1131 ms in uwsgi-measured.md). With 2 workers each run then bumps the file's "
                    + "mtime and polls (2 ms apart) until a pid that is not an old worker answers, waits for the old "
                    + "workers to exit and 1 s more, removes the file and times until the port refuses connections "
                    + "(the 1 s: a uWSGI vassal removed within about 0.1 s of finishing a reload can keep a worker "
                    + "that never gets its SIGINT, and then never exits). Between runs the harness waits until the "
                    + "emperor has no child left.");
        }
    }

    private static Report.Row row(String name, List<Double> imperium, List<Double> uwsgi, String target, Boolean met,
                                  String notes) {
        if (imperium.isEmpty() || uwsgi.isEmpty()) {
            String i = imperium.isEmpty() ? "–" : Stats.medianRange(imperium, 0) + " ms";
            String u = uwsgi.isEmpty() ? "–" : Stats.medianRange(uwsgi, 0) + " ms";
            return new Report.Row(name, "–", i, u, "–", target, met, "–", "–", notes);
        }
        return new Report.Row(name, "–", Stats.medianRange(imperium, 0) + " ms", Stats.medianRange(uwsgi, 0) + " ms",
                Stats.ratio(Stats.median(imperium) / Stats.median(uwsgi)), target, met, "–", "–", notes);
    }

    private Lifecycle lifecycle(String id, Side side, int processes, boolean lifecycle) throws IOException {
        Dirs d = dirs(id + "-" + side.label());
        Procs.Running emperor = side.emperor(procs, d.dir(), d.vassals());
        List<Double> drops = new ArrayList<>();
        List<Double> touches = new ArrayList<>();
        List<Double> removes = new ArrayList<>();
        int stuck = 0;
        try {
            Procs.sleep(500);
            for (int run = 1; run <= options.dropRuns(); run++) {
                int port = Http.freePort();
                String name = "app" + run + ".ini";
                String path = lifecycle ? side.pidPath() : side.helloPath();
                Path staged = d.stage().resolve(name);
                Files.writeString(staged, lifecycle ? side.pidApp(port, processes) : side.hello(port, processes));
                long t0 = System.nanoTime();
                Path vassal = Files.move(staged, d.vassals().resolve(name), StandardCopyOption.ATOMIC_MOVE);
                long t1 = Http.awaitOk(port, path, 60_000, 2);
                drops.add((t1 - t0) / 1e6);
                String line = String.format("drop %.0f ms", (t1 - t0) / 1e6);
                if (lifecycle) {
                    Set<Long> old = workersOf(port, path);
                    long touched = touch(vassal);
                    double ms = awaitNewWorker(port, path, old, touched);
                    touches.add(ms);
                    line += String.format(", touch -> new worker %.0f ms", ms);
                    awaitGone(old, 30_000);
                    Procs.sleep(1000);
                }
                long r0 = System.nanoTime();
                Files.delete(vassal);
                boolean closed = Http.awaitClosed(port, 30_000);
                if (lifecycle && closed) {
                    removes.add((System.nanoTime() - r0) / 1e6);
                    line += String.format(", rm -> closed %.0f ms", (System.nanoTime() - r0) / 1e6);
                } else if (lifecycle) {
                    stuck++;
                    line += ", rm -> port still open after 30 s";
                }
                System.out.printf("   %-8s run %d/%d: %s%n", side.label(), run, options.dropRuns(), line);
                if (!closed || !awaitNoChildren(emperor, 30_000)) {
                    System.out.println("   WARNING: the vassal of " + name + " did not go away within 30 s");
                }
                Procs.sleep(300);
            }
        } finally {
            procs.stop(emperor, Duration.ofSeconds(30));
        }
        return new Lifecycle(drops, touches, removes, stuck);
    }

    /** The pids of the workers of the vassal answering on the port (children of the answering worker's master). */
    private static Set<Long> workersOf(int port, String path) throws IOException {
        Matcher m = PID.matcher(Http.get(port, path, 10_000).body());
        if (!m.find()) {
            throw new IOException("no pid in the answer of :" + port + path);
        }
        long pid = Long.parseLong(m.group(1));
        Set<Long> workers = new HashSet<>(Set.of(pid));
        ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                .ifPresent(master -> master.children().forEach(c -> workers.add(c.pid())));
        return workers;
    }

    /** Bumps the file's mtime (at least one second past the old one: uWSGI compares whole seconds). */
    private static long touch(Path file) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Instant now = Instant.now();
        Instant bumped = now.getEpochSecond() > before.toInstant().getEpochSecond() ? now
                : before.toInstant().plusSeconds(1);
        long touched = System.nanoTime();
        Files.setLastModifiedTime(file, FileTime.from(bumped));
        return touched;
    }

    /** Polls (2 ms apart) until a pid outside {@code old} answers; ms since {@code since}. */
    private static double awaitNewWorker(int port, String path, Set<Long> old, long since) throws IOException {
        long end = since + 60_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                Matcher m = PID.matcher(Http.get(port, path, 10_000).body());
                if (m.find() && !old.contains(Long.parseLong(m.group(1)))) {
                    return (System.nanoTime() - since) / 1e6;
                }
            } catch (IOException e) {
                // counted by the touch-under-load case; here only the time matters
            }
            Procs.sleep(2);
        }
        throw new IOException("no new worker on :" + port + " within 60 s of the touch");
    }

    private static void awaitGone(Set<Long> pids, long timeoutMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end
                && pids.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
            Procs.sleep(10);
        }
    }

    /** 50 vassal files renamed in at once → every port answers 200; a probe vassal keeps being asked meanwhile. */
    void fifty(String id) throws IOException {
        System.out.println("== " + id + ": 50 vassal files renamed in at once -> all answer 200");
        Fifty imperium = fiftyOn(id, IMPERIUM);
        Fifty uwsgi = fiftyOn(id, UWSGI);
        double ratio = imperium.allMs() / uwsgi.allMs();
        boolean met = imperium.answered() == 50 && imperium.allMs() <= 5000 && imperium.probeFailures() == 0;
        report.add(new Report.Row(id + " (50 × 1 worker)", "–", imperium.text(), uwsgi.text(), Stats.ratio(ratio),
                "≤ 5 s, probe never fails", met, "–", "–",
                "Imperium: " + imperium.notes() + "; uWSGI: " + uwsgi.notes()));
        report.describe("**emperor-50**: one probe vassal is started first; then 50 files (each its own port, "
                + "1 worker: Imperium typed API, uWSGI Python hello) are written outside the directory and renamed in "
                + "in a loop; one poller per port (GET every 20 ms) times its first 200. The probe vassal is asked "
                + "every 20 ms throughout (its slowest answer shows whether serving stalls while the emperor spawns). "
                + "Memory is sampled once all 50 answer. Afterwards all files are removed and the harness checks that "
                + "no vassal process is left.");
    }

    private record Fifty(int answered, double firstMs, double allMs, long probeRequests, long probeFailures,
                         double probeMaxMs, Memory.Usage emperor, Memory.Usage vassals, double cleanupMs, int left) {
        String text() {
            return answered == 50 ? Stats.num(allMs, 0) + " ms" : answered + "/50 answered in " + Stats.num(allMs, 0)
                    + " ms";
        }

        String notes() {
            return "first 200 after " + Stats.num(firstMs, 0) + " ms, probe " + probeFailures + " failed of "
                    + probeRequests + ", slowest " + Stats.ms(probeMaxMs)
                    + " ms; with the 51 vassals (50 + probe): emperor "
                    + Stats.num(Stats.mib(emperor.rss()), 1) + " MiB RSS, vassals in total "
                    + Stats.num(Stats.mib(vassals.rss()), 0) + " / " + Stats.num(Stats.mib(vassals.pss()), 0)
                    + " MiB RSS / PSS in " + vassals.processes() + " processes; all gone "
                    + Stats.num(cleanupMs, 0) + " ms after rm" + (left > 0 ? ", **" + left + " processes left**" : "");
        }
    }

    private Fifty fiftyOn(String id, Side side) throws IOException {
        Dirs d = dirs(id + "-" + side.label());
        Procs.Running emperor = side.emperor(procs, d.dir(), d.vassals());
        try {
            int probePort = Http.freePort();
            d.deploy("probe.ini", side.hello(probePort, 1));
            Http.awaitOk(probePort, side.helloPath(), 60_000, 10);
            int[] ports = new int[50];
            for (int i = 0; i < 50; i++) {
                ports[i] = Http.freePort();
                Files.writeString(d.stage().resolve("v" + i + ".ini"), side.hello(ports[i], 1));
            }
            AtomicBoolean probing = new AtomicBoolean(true);
            AtomicLong probeRequests = new AtomicLong();
            AtomicLong probeFailures = new AtomicLong();
            AtomicLong probeMax = new AtomicLong();
            Thread probe = Thread.ofPlatform().name("probe").start(() -> {
                while (probing.get()) {
                    long t = System.nanoTime();
                    try {
                        if (Http.get(probePort, side.helloPath(), 10_000).status() != 200) {
                            probeFailures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        probeFailures.incrementAndGet();
                    }
                    probeRequests.incrementAndGet();
                    probeMax.accumulateAndGet(System.nanoTime() - t, Math::max);
                    Procs.sleep(20);
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                Files.move(d.stage().resolve("v" + i + ".ini"), d.vassals().resolve("v" + i + ".ini"),
                        StandardCopyOption.ATOMIC_MOVE);
            }
            List<CompletableFuture<Long>> pollers = new ArrayList<>();
            for (int port : ports) {
                pollers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return Http.awaitOk(port, side.helloPath(), 120_000, 20) - t0;
                    } catch (IllegalStateException e) {
                        return -1L;
                    }
                }, r -> Thread.ofVirtual().start(r)));
            }
            List<Long> done = pollers.stream().map(CompletableFuture::join).toList();
            long allNanos = System.nanoTime() - t0;
            probing.set(false);
            try {
                probe.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Long> ok = done.stream().filter(v -> v >= 0).toList();
            double first = ok.stream().mapToLong(Long::longValue).min().orElse(-1) / 1e6;
            double all = ok.size() == 50 ? ok.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6
                    : allNanos / 1e6;
            Memory.Usage emperorMemory = Memory.of(emperor.process().toHandle());
            Memory.Usage vassalMemory = Memory.ofDescendants(emperor.process().toHandle());
            System.out.printf("   %-8s %d/50 answered; first after %.0f ms, all after %.0f ms; probe %d failed of %d, "
                    + "slowest %.1f ms%n", side.label(), ok.size(), first, all, probeFailures.get(),
                    probeRequests.get(), probeMax.get() / 1e6);

            long c0 = System.nanoTime();
            try (var files = Files.list(d.vassals())) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            for (int port : ports) {
                Http.awaitClosed(port, 60_000);
            }
            Http.awaitClosed(probePort, 60_000);
            boolean gone = awaitNoChildren(emperor, 60_000);
            double cleanup = (System.nanoTime() - c0) / 1e6;
            int left = (int) emperor.process().descendants().count();
            System.out.printf("   %-8s all files removed: %s after %.0f ms%n", side.label(),
                    gone ? "no vassal process left" : left + " processes still running", cleanup);
            return new Fifty(ok.size(), first, all, probeRequests.get(), probeFailures.get(), probeMax.get() / 1e6,
                    emperorMemory, vassalMemory, cleanup, left);
        } finally {
            procs.stop(emperor, Duration.ofSeconds(60));
        }
    }

    /** Touch a vassal file under wrk load, per side; {@code closeEach} makes wrk send Connection: close. */
    void touch(String id, boolean closeEach) throws IOException {
        String client = closeEach ? "Connection: close client" : "keep-alive client";
        System.out.println("== " + id + ": touch under load (wrk -c4 " + options.touchSeconds() + " s, " + client
                + ")");
        Touch imperium = touchOn(id, IMPERIUM, closeEach);
        Touch uwsgi = touchOn(id, UWSGI, closeEach);
        double ratio = imperium.wrk().maxms() / uwsgi.wrk().maxms();
        boolean met = imperium.failures() == 0 && imperium.wrk().maxms() <= 100;
        report.add(new Report.Row(id + " (" + client + ")", "4", imperium.text(), uwsgi.text(), Stats.ratio(ratio)
                + " (max)", "0 failed, no request > 100 ms", met,
                Stats.ms(imperium.wrk().p50ms()) + " / " + Stats.ms(imperium.wrk().p99ms()),
                Stats.ms(uwsgi.wrk().p50ms()) + " / " + Stats.ms(uwsgi.wrk().p99ms()),
                "Imperium: " + imperium.notes() + "; uWSGI: " + uwsgi.notes()));
        if (!closeEach) {
            report.describe("**emperor-touch**: a vassal with 2 workers (Imperium typed API `/api/info`, uWSGI "
                    + "`tests/bench/peers/pid_app.py`; both answer the worker's pid) under its emperor; `wrk -t1 -c4 -d"
                    + options.touchSeconds() + "s` and the file's mtime is bumped at 3 s. Failed = wrk's socket "
                    + "errors + status ≥ 400. A separate probe (new connection every 5 ms) times the first answer "
                    + "from a pid that is not an old worker. uWSGI's vassal is on `http-socket`, which closes the "
                    + "connection after every response (with `add-header = Connection: close`, so wrk reconnects "
                    + "cleanly); its `http11-socket` would pin 2 of the 4 connections to the 2 workers and starve the "
                    + "rest. Row \"keep-alive client\": wrk as is (Imperium keeps connections alive across the "
                    + "reload); row \"Connection: close client\": wrk sends `Connection: close`, a new connection per "
                    + "request on both sides.");
        }
    }

    private record Sample(long nanos, long pid) {
    }

    private record Touch(Wrk.Result wrk, double newWorkerMs, long probeRequests, long probeFailures) {
        long failures() {
            return wrk.failures();
        }

        String text() {
            return failures() + " failed, max " + Stats.ms(wrk.maxms()) + " ms";
        }

        String notes() {
            return Stats.num(wrk.requests(), 0) + " requests, " + wrk.errorText() + ", new worker serving "
                    + (newWorkerMs < 0 ? "never seen" : Stats.num(newWorkerMs, 0) + " ms") + " after the touch, probe "
                    + probeFailures + " failed of " + probeRequests;
        }
    }

    private Touch touchOn(String id, Side side, boolean closeEach) throws IOException {
        Dirs d = dirs(id + (closeEach ? "-close-" : "-keepalive-") + side.label());
        Procs.Running emperor = side.emperor(procs, d.dir(), d.vassals());
        try {
            int port = Http.freePort();
            Path vassal = d.deploy("app.ini", side.pidApp(port, 2));
            Http.awaitOk(port, side.pidPath(), 60_000, 10);
            Procs.sleep(1000);
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicBoolean probing = new AtomicBoolean(true);
            AtomicLong probeFailures = new AtomicLong();
            AtomicLong probeRequests = new AtomicLong();
            Thread probe = Thread.ofPlatform().name("touch-probe").start(() -> {
                while (probing.get()) {
                    try {
                        Http.Response r = Http.get(port, side.pidPath(), 10_000);
                        Matcher m = PID.matcher(r.body());
                        if (r.status() == 200 && m.find()) {
                            samples.add(new Sample(System.nanoTime(), Long.parseLong(m.group(1))));
                        } else {
                            probeFailures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        probeFailures.incrementAndGet();
                    }
                    probeRequests.incrementAndGet();
                    Procs.sleep(5);
                }
            });
            List<String> headers = closeEach ? List.of("Connection: close") : List.of();
            CompletableFuture<Wrk.Result> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return wrk.run(port, side.pidPath(), 4, options.touchSeconds(), headers);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            Procs.sleep(3000);
            Set<Long> old = new HashSet<>();
            samples.forEach(s -> old.add(s.pid()));
            for (Long pid : Set.copyOf(old)) {
                ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                        .ifPresent(master -> master.children().forEach(c -> old.add(c.pid())));
            }
            long touched = touch(vassal);
            Wrk.Result result;
            try {
                result = load.join();
            } catch (RuntimeException e) {
                throw new IOException("wrk failed", e);
            }
            probing.set(false);
            try {
                probe.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double newWorker = samples.stream().filter(s -> s.nanos() > touched && !old.contains(s.pid()))
                    .mapToLong(Sample::nanos).min().stream().mapToDouble(n -> (n - touched) / 1e6).findFirst()
                    .orElse(-1);
            Touch t = new Touch(result, newWorker, probeRequests.get(), probeFailures.get());
            System.out.printf("   %-8s %s; p50 %s p99 %s ms; %s%n", side.label(), t.text(), Stats.ms(result.p50ms()),
                    Stats.ms(result.p99ms()), t.notes());
            Files.delete(vassal);
            Http.awaitClosed(port, 30_000);
            awaitNoChildren(emperor, 30_000);
            return t;
        } finally {
            procs.stop(emperor, Duration.ofSeconds(30));
        }
    }

    private static boolean awaitNoChildren(Procs.Running emperor, long timeoutMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            if (emperor.process().children().findAny().isEmpty()) {
                return true;
            }
            Procs.sleep(20);
        }
        return false;
    }
}
