package dev.imperium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The throughput cases: Imperium and a peer serving the same thing, loaded by the same {@code wrk -t1}. Each run
 * starts one side on a fresh port (never both at once), checks the answer, warms it up with an uncounted wrk run,
 * measures, and stops it; runs alternate Imperium / peer so that machine drift hits both. A row reports the median
 * req/s over the runs (with min..max), and p50/p99 of the run with the median req/s.
 */
final class ThroughputCases {
    /**
     * One measured load of a case.
     *
     * @param expect a substring both sides' response bodies must contain (null: only the status is checked)
     * @param minRatio the target Imperium/peer req/s ratio
     * @param p99AtMostPeer whether the target also asks for Imperium's p99 ≤ the peer's
     */
    record Load(String imperiumPath, String peerPath, int conns, String expect, double minRatio,
                boolean p99AtMostPeer) {
        String target() {
            return "≥ " + Stats.num(minRatio, 1) + "× req/s" + (p99AtMostPeer ? ", p99 ≤ peer" : "");
        }
    }

    /** A case: two server specs and the loads measured on each start. */
    record Case(String id, String title, Servers.Spec imperium, Servers.Spec peer, List<Load> loads) {
    }

    private final Procs procs;
    private final Wrk wrk;
    private final Options options;
    private final Path work;
    private final Report report;

    ThroughputCases(Procs procs, Wrk wrk, Options options, Path work, Report report) {
        this.procs = procs;
        this.wrk = wrk;
        this.options = options;
        this.work = work;
        this.report = report;
    }

    /** Every throughput case; creates the static files (4 KiB and 1 MiB of random bytes) they serve. */
    static List<Case> all(Path work) throws IOException {
        Path statics = Files.createDirectories(work.resolve("static"));
        Random random = new Random(42);
        byte[] small = new byte[4096];
        byte[] large = new byte[1 << 20];
        random.nextBytes(small);
        random.nextBytes(large);
        Files.write(statics.resolve("file-4k.bin"), small);
        Files.write(statics.resolve("file-1m.bin"), large);

        Servers.Spec imperiumJwsgi = Servers.imperium("`bin/vassal`, `http-socket`, 2 processes × 1 thread, "
                + "`jwsgi = dev.imperium.samples.hello.HelloApp`", p -> Configs.imperiumJwsgi(p, 2), "/");
        Servers.Spec imperiumApi = Servers.imperium("`bin/vassal`, `http-socket`, 2 processes × 1 thread, "
                + "`imperium-app = dev.imperium.samples.api.ApiApp`", p -> Configs.imperiumApi(p, 2, null), "/hello");
        Servers.Spec imperiumStatic = Servers.imperium("`bin/vassal`, `http-socket`, 2 processes × 1 thread, "
                + "typed-API app + `static-map = /static=DIR`", p -> Configs.imperiumApi(p, 2, statics), "/hello");

        Servers.Spec uwsgiJwsgi = Servers.uwsgi("`uwsgi --ini`: `plugins = jvm,jwsgi,transformation_chunked`, "
                + "`http11-socket`, `tcp-nodelay`, `http-socket-modifier1 = 8`, 2 processes, same jar (+ uwsgi.jar), "
                + "`route-run = chunked:` (the app sends no Content-Length; without framing a keep-alive client never "
                + "sees the end of a response)", p -> Configs.uwsgiJwsgi(p, 2, true), "/");
        Servers.Spec uwsgiHello = Servers.uwsgi("`plugins = python3`, `wsgi-file = tests/bench/peers/hello.py`, "
                + "`http11-socket`, `tcp-nodelay`, 2 processes", p -> Configs.uwsgiPython(p, 2, "hello.py", true, null),
                "/");
        Servers.Spec uwsgiRoute = Servers.uwsgi("`route-run = return:200` (no plugin, no app: body `OK`, "
                + "`Content-Type: text/plain`), `http11-socket`, `tcp-nodelay`, 2 processes",
                p -> Configs.uwsgiRouteReturn(p, 2), "/");
        Servers.Spec uwsgiStatic = Servers.uwsgi("`static-map = /static=DIR` (+ the Python hello as app: without a "
                + "request plugin uWSGI answers nothing), `http11-socket`, `tcp-nodelay`, 2 processes",
                p -> Configs.uwsgiPython(p, 2, "hello.py", true, statics), "/");
        Servers.Spec nginx = Servers.nginx("`nginx -c FILE -p DIR`, `worker_processes 2`, keep-alive defaults, "
                + "`sendfile on`, `access_log off`", statics, 2, "/static/file-4k.bin");
        Servers.Spec uwsgiJson = Servers.uwsgi("`plugins = python3`, `wsgi-file = tests/bench/peers/json_app.py` "
                + "(`json.dumps`), `http11-socket`, `tcp-nodelay`, 2 processes",
                p -> Configs.uwsgiPython(p, 2, "json_app.py", true, null), "/");

        Servers.Spec imperiumRouter = Servers.imperium("`bin/vassal`, `http = ADDR` (the router process in front of"
                + " an internal uwsgi socket), 2 processes, the JWSGI hello jar", p -> Configs.imperiumRouter(p, 2, false),
                "/");
        Servers.Spec uwsgiRouter = Servers.uwsgi("`uwsgi --ini`: `plugins = jvm,jwsgi,http`, `http = ADDR`, "
                + "`http-modifier1 = 8`, 2 processes, same jar", p -> Configs.uwsgiRouter(p, 2, false), "/");
        Servers.Spec imperiumRouterKeepAlive = Servers.imperium("as above + `http-keepalive = 1`",
                p -> Configs.imperiumRouter(p, 2, true), "/");
        Servers.Spec uwsgiRouterKeepAlive = Servers.uwsgi("as above + `http-keepalive = 1`, `http-auto-chunked`",
                p -> Configs.uwsgiRouter(p, 2, true), "/");

        Servers.Spec imperiumLogged = Servers.imperium("as `jwsgi-hello`, every request logged (uWSGI's default "
                + "line) with `logto = requests.log`", p -> Configs.imperiumJwsgi(p, 2, true), "/");
        Servers.Spec uwsgiLogged = Servers.uwsgi("as `jwsgi-hello`, every request logged with `logto = requests.log`",
                p -> Configs.uwsgiJwsgi(p, 2, true, true), "/");

        String passNotes = "nginx `worker_processes 2`, `uwsgi_pass` + `uwsgi_modifier1 8` (JWSGI), keep-alive "
                + "clients, `access_log off`; behind it ";
        Servers.Spec nginxImperium = Servers.nginxUwsgiPass("Imperium", passNotes + "`bin/vassal`, `socket = ADDR` "
                + "(uwsgi protocol), 2 processes × 1 thread, the JWSGI hello jar", true,
                p -> Configs.imperiumUwsgiSocket(p, 2), 2, "/");
        Servers.Spec nginxUwsgi = Servers.nginxUwsgiPass("uWSGI", passNotes + "`uwsgi --ini`: `plugins = jvm,jwsgi`, "
                + "`socket = ADDR`, 2 processes, same jar", false, p -> Configs.uwsgiJwsgiSocket(p, 2), 2, "/");

        String json = "/api/hello?name=bench";
        return List.of(
                new Case("jwsgi-hello", "JWSGI hello jar vs uWSGI JVM plugin", imperiumJwsgi, uwsgiJwsgi, List.of(
                        new Load("/", "/", 50, "Hello from JWSGI", 1.5, true),
                        new Load("/", "/", 1, "Hello from JWSGI", 1.5, true))),
                new Case("jwsgi-logged", "JWSGI hello with a request log vs uWSGI JVM plugin with one",
                        imperiumLogged, uwsgiLogged, List.of(
                        new Load("/", "/", 50, "Hello from JWSGI", 1.5, false),
                        new Load("/", "/", 1, "Hello from JWSGI", 1.5, false))),
                new Case("hello-python", "typed-API /hello vs uWSGI+Python hello", imperiumApi, uwsgiHello, List.of(
                        new Load("/hello", "/", 50, "Hello World", 1.5, false),
                        new Load("/hello", "/", 1, "Hello World", 1.5, false))),
                new Case("hello-route-run", "typed-API /hello vs uWSGI route-run return:200", imperiumApi, uwsgiRoute,
                        List.of(new Load("/hello", "/", 50, null, 1.0, false))),
                new Case("static-uwsgi", "static-map vs uWSGI static-map", imperiumStatic, uwsgiStatic, List.of(
                        new Load("/static/file-4k.bin", "/static/file-4k.bin", 50, null, 1.0, false),
                        new Load("/static/file-1m.bin", "/static/file-1m.bin", 50, null, 1.0, false),
                        // uWSGI's http11-socket workers serve only 2 of 50 connections: the same file with 2
                        // connections compares the two at the same number of transfers in flight
                        new Load("/static/file-1m.bin", "/static/file-1m.bin", 2, null, 1.0, false))),
                new Case("static-nginx", "static-map vs nginx", imperiumStatic, nginx, List.of(
                        new Load("/static/file-4k.bin", "/static/file-4k.bin", 50, null, 0.8, false))),
                new Case("router", "`http` router → JWSGI hello vs uWSGI's router (default: close after each"
                        + " response)", imperiumRouter, uwsgiRouter, List.of(
                        new Load("/", "/", 50, "Hello from JWSGI", 1.0, false))),
                new Case("router-keepalive", "`http` router with `http-keepalive` vs uWSGI's", imperiumRouterKeepAlive,
                        uwsgiRouterKeepAlive, List.of(new Load("/", "/", 50, "Hello from JWSGI", 1.0, false))),
                new Case("nginx-uwsgi", "nginx → uwsgi_pass → JWSGI hello vs nginx → uwsgi_pass → uWSGI JVM plugin",
                        nginxImperium, nginxUwsgi, List.of(
                        new Load("/", "/", 50, "Hello from JWSGI", 1.0, false),
                        new Load("/", "/", 1, "Hello from JWSGI", 1.0, false))),
                new Case("json-python", "typed-API JSON vs uWSGI+Python json.dumps", imperiumApi, uwsgiJson, List.of(
                        new Load(json, json, 50, "{\"message\":\"Hello, bench\"}", 1.5, false))));
    }

    /** Runs one case and adds its rows to the report. */
    void run(Case c) throws IOException {
        System.out.println("== " + c.id() + ": " + c.title());
        report.describe("**" + c.id() + "**: Imperium " + c.imperium().describe() + "; " + c.peer().label() + " "
                + c.peer().describe() + ".");
        int n = c.loads().size();
        List<List<Wrk.Result>> imperium = new ArrayList<>();
        List<List<Wrk.Result>> peer = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            imperium.add(new ArrayList<>());
            peer.add(new ArrayList<>());
        }
        for (int run = 1; run <= options.runs(); run++) {
            measure(c, c.imperium(), true, run, imperium);
            measure(c, c.peer(), false, run, peer);
        }
        for (int i = 0; i < n; i++) {
            report.add(row(c, c.loads().get(i), imperium.get(i), peer.get(i)));
        }
    }

    private void measure(Case c, Servers.Spec spec, boolean isImperium, int run, List<List<Wrk.Result>> into)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(c.id() + "-" + spec.label() + "-" + run));
        int port = Http.freePort();
        long t0 = System.nanoTime();
        Servers.Server server = spec.start(procs, dir, port);
        System.out.printf("   run %d/%d %-8s started on :%d in %d ms%n", run, options.runs(), spec.label(), port,
                (System.nanoTime() - t0) / 1_000_000);
        try {
            for (int i = 0; i < c.loads().size(); i++) {
                Load load = c.loads().get(i);
                String path = isImperium ? load.imperiumPath() : load.peerPath();
                check(port, path, load.expect());
                wrk.run(port, path, load.conns(), options.warmup(), List.of());
                Wrk.Result r = wrk.run(port, path, load.conns(), options.duration(), List.of());
                into.get(i).add(r);
                System.out.printf("     c=%-2d %-22s %9.0f req/s  p50 %s  p99 %s  max %s ms  %s%s%n", load.conns(),
                        path, r.rps(), Stats.ms(r.p50ms()), Stats.ms(r.p99ms()), Stats.ms(r.maxms()), r.errorText(),
                        r.served() >= 0 ? ", " + r.served() + "/" + r.conns() + " conns served" : "");
            }
        } finally {
            server.stop(procs, Duration.ofSeconds(10));
        }
    }

    private static void check(int port, String path, String expect) throws IOException {
        Http.Response r = Http.get(port, path, 10_000);
        if (r.status() != 200 || (expect != null && !r.body().contains(expect))) {
            throw new IOException("unexpected answer from :" + port + path + ": " + r.status() + " "
                    + r.body().substring(0, Math.min(200, r.body().length())));
        }
    }

    private static Report.Row row(Case c, Load load, List<Wrk.Result> imperium, List<Wrk.Result> peer) {
        List<Double> ir = imperium.stream().map(Wrk.Result::rps).toList();
        List<Double> pr = peer.stream().map(Wrk.Result::rps).toList();
        Wrk.Result im = imperium.get(Stats.medianIndex(ir));
        Wrk.Result pm = peer.get(Stats.medianIndex(pr));
        double ratio = Stats.median(ir) / Stats.median(pr);
        boolean met = ratio >= load.minRatio() && (!load.p99AtMostPeer() || im.p99ms() <= pm.p99ms());
        String path = load.imperiumPath().equals(load.peerPath()) ? load.imperiumPath()
                : load.imperiumPath() + " vs " + load.peerPath();
        return new Report.Row(c.id() + " " + path, Integer.toString(load.conns()),
                Stats.medianRange(ir, 0) + " req/s", Stats.medianRange(pr, 0) + " req/s (" + c.peer().label() + ")",
                Stats.ratio(ratio), load.target(), met,
                Stats.ms(im.p50ms()) + " / " + Stats.ms(im.p99ms()),
                Stats.ms(pm.p50ms()) + " / " + Stats.ms(pm.p99ms()),
                "Imperium: " + sideNotes(imperium) + "; " + c.peer().label() + ": " + sideNotes(peer));
    }

    /** Errors summed over the runs, and how many connections were served (min..max over the runs). */
    private static String sideNotes(List<Wrk.Result> results) {
        long connect = 0;
        long read = 0;
        long write = 0;
        long timeout = 0;
        long status = 0;
        int minServed = Integer.MAX_VALUE;
        int maxServed = -1;
        double maxLatency = 0;
        for (Wrk.Result r : results) {
            connect += r.connectErrors();
            read += r.readErrors();
            write += r.writeErrors();
            timeout += r.timeouts();
            status += r.statusErrors();
            minServed = Math.min(minServed, r.served());
            maxServed = Math.max(maxServed, r.served());
            maxLatency = Math.max(maxLatency, r.maxms());
        }
        Wrk.Result sum = new Wrk.Result(results.getFirst().conns(), 1, 0, 0, 0, 0, connect, read, write, timeout,
                status, -1);
        String text = sum.errorText();
        if (maxServed >= 0) {
            text += ", " + (minServed == maxServed ? Integer.toString(minServed) : minServed + "–" + maxServed) + "/"
                    + results.getFirst().conns() + " conns served";
        }
        return text + ", max " + Stats.ms(maxLatency) + " ms";
    }
}
