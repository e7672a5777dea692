package dev.imperium.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the servers under test, each in its own directory: a standalone Imperium vassal ({@code bin/vassal FILE}),
 * a standalone uWSGI instance ({@code uwsgi --ini FILE}), nginx, and the two emperors. Each start waits (bounded) until
 * the server is ready, and each kind is stopped with its own graceful signal: Imperium SIGTERM (graceful stop),
 * uWSGI SIGINT (it takes SIGTERM as "reload"), nginx SIGTERM.
 */
final class Servers {
    /**
     * A running server; {@code behind}: the processes it fronts (nginx's uwsgi backend), stopped after it.
     */
    record Server(String label, Procs.Running process, int port, List<Procs.Running> behind) {
        Server(String label, Procs.Running process, int port) {
            this(label, process, port, List.of());
        }

        /** Stops the server, then what it fronts. */
        void stop(Procs procs, Duration grace) {
            procs.stop(process, grace);
            behind.forEach(b -> procs.stop(b, grace));
        }
    }

    /** How to start one side of a throughput case on a given port, in a given directory. */
    interface Spec {
        /** Short name: "Imperium", "uWSGI", "nginx". */
        String label();

        /** One line for the report: what runs, with which options. */
        String describe();

        Server start(Procs procs, Path dir, int port) throws IOException;
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static volatile List<String> observedImperium;

    private Servers() {
    }

    /** The environment every Imperium process gets: the harness's own Java 25. */
    static Map<String, String> imperiumEnv() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    /** A standalone Imperium vassal from an .ini text written for the port; ready when {@code health} answers 200. */
    static Spec imperium(String describe, PortConfig config, String health) {
        return new Spec() {
            public String label() {
                return "Imperium";
            }

            public String describe() {
                return describe;
            }

            public Server start(Procs procs, Path dir, int port) throws IOException {
                Path ini = dir.resolve("imperium.ini");
                Files.writeString(ini, config.text(port));
                Procs.Running r = procs.start("imperium vassal", List.of(Configs.DIST.resolve("bin/vassal").toString(),
                        ini.toString()), dir, dir.resolve("imperium.log"), imperiumEnv(), "TERM");
                awaitReady(r, port, health);
                observe(r);
                return new Server("Imperium", r, port);
            }
        };
    }

    /** A standalone uWSGI instance from an .ini text written for the port. */
    static Spec uwsgi(String describe, PortConfig config, String health) {
        return new Spec() {
            public String label() {
                return "uWSGI";
            }

            public String describe() {
                return describe;
            }

            public Server start(Procs procs, Path dir, int port) throws IOException {
                Path ini = dir.resolve("uwsgi.ini");
                Files.writeString(ini, config.text(port));
                Procs.Running r = procs.start("uwsgi", List.of("uwsgi", "--ini", ini.toString()), dir,
                        dir.resolve("uwsgi.log"), Map.of(), "INT");
                awaitReady(r, port, health);
                return new Server("uWSGI", r, port);
            }
        };
    }

    /** nginx with {@code worker_processes} workers serving {@code /static/} from {@code staticDir}. */
    static Spec nginx(String describe, Path staticDir, int workers, String health) {
        return new Spec() {
            public String label() {
                return "nginx";
            }

            public String describe() {
                return describe;
            }

            public Server start(Procs procs, Path dir, int port) throws IOException {
                Path conf = dir.resolve("nginx.conf");
                boolean root = "root".equals(System.getProperty("user.name"));
                Files.writeString(conf, Configs.nginx(dir, port, staticDir, workers, root));
                Procs.Running r = procs.start("nginx", List.of("nginx", "-c", conf.toString(), "-p", dir + "/",
                        "-e", dir.resolve("error.log").toString()), dir, dir.resolve("nginx.out"), Map.of(), "TERM");
                awaitReady(r, port, health);
                return new Server("nginx", r, port);
            }
        };
    }

    /**
     * nginx ({@code worker_processes} workers) passing every request with {@code uwsgi_pass} to a backend started
     * first on a port of its own: an Imperium vassal ({@code imperium} true) or a uWSGI instance, from a config text
     * written for that port. Ready when the backend listens and nginx answers 200 on {@code health} through it.
     */
    static Spec nginxUwsgiPass(String label, String describe, boolean imperium, PortConfig backend, int workers,
                               String health) {
        return new Spec() {
            public String label() {
                return label;
            }

            public String describe() {
                return describe;
            }

            public Server start(Procs procs, Path dir, int port) throws IOException {
                int backendPort = Http.freePort();
                Path ini = dir.resolve(imperium ? "imperium.ini" : "uwsgi.ini");
                Files.writeString(ini, backend.text(backendPort));
                Procs.Running b = imperium
                        ? procs.start("imperium vassal", List.of(Configs.DIST.resolve("bin/vassal").toString(),
                                ini.toString()), dir, dir.resolve("imperium.log"), imperiumEnv(), "TERM")
                        : procs.start("uwsgi", List.of("uwsgi", "--ini", ini.toString()), dir, dir.resolve("uwsgi.log"),
                                Map.of(), "INT");
                Procs.Running n = null;
                try {
                    awaitListening(b, backendPort);
                    Path conf = dir.resolve("nginx.conf");
                    boolean root = "root".equals(System.getProperty("user.name"));
                    Files.writeString(conf, Configs.nginxUwsgiPass(dir, port, backendPort, workers, root));
                    n = procs.start("nginx", List.of("nginx", "-c", conf.toString(), "-p", dir + "/", "-e",
                            dir.resolve("error.log").toString()), dir, dir.resolve("nginx.out"), Map.of(), "TERM");
                    awaitReady(n, port, health);
                    return new Server(label, n, port, List.of(b));
                } catch (IOException | RuntimeException e) {
                    if (n != null) {
                        procs.stop(n, Duration.ofSeconds(10));
                    }
                    procs.stop(b, Duration.ofSeconds(10));
                    throw e;
                }
            }
        };
    }

    private static void awaitListening(Procs.Running r, int port) throws IOException {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (!r.process().isAlive()) {
                throw new IOException(r.name() + " exited; its log ends with:\n" + tail(r.log()));
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                Procs.sleep(20);
            }
        }
        throw new IOException(r.name() + " did not listen on :" + port + "; its log ends with:\n" + tail(r.log()));
    }

    /** A config text for a port. */
    @FunctionalInterface
    interface PortConfig {
        String text(int port);
    }

    /** Starts Imperium's emperor on a vassal directory and waits for its "vassals directory" line. */
    static Procs.Running imperiumEmperor(Procs procs, Path dir, Path vassals) throws IOException {
        Path log = dir.resolve("emperor.log");
        Procs.Running r = procs.start("imperium emperor", List.of(Configs.DIST.resolve("bin/emperor").toString(),
                "--vassals", vassals.toString()), dir, log, imperiumEnv(), "TERM");
        awaitLog(r, "vassals directory");
        return r;
    }

    /** Starts uWSGI's emperor ({@code --emperor DIR --emperor-freq 1}) and waits for its start line. */
    static Procs.Running uwsgiEmperor(Procs procs, Path dir, Path vassals) throws IOException {
        Path log = dir.resolve("emperor.log");
        Procs.Running r = procs.start("uwsgi emperor", List.of("uwsgi", "--emperor", vassals.toString(),
                "--emperor-freq", "1"), dir, log, Map.of(), "INT");
        awaitLog(r, "starting uWSGI Emperor");
        return r;
    }

    /** The command lines (class path elided) of the first Imperium vassal master and worker seen in this run. */
    static List<String> observedImperiumCommands() {
        return observedImperium == null ? List.of() : observedImperium;
    }

    private static void observe(Procs.Running r) {
        if (observedImperium != null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("vassal master: " + cmdline(r.pid()));
        r.process().toHandle().children().findFirst().ifPresent(w -> lines.add("worker: " + cmdline(w.pid())));
        observedImperium = List.copyOf(lines);
    }

    /** The command line of a process from /proc, with the value after {@code -cp} shortened to {@code ...}. */
    static String cmdline(long pid) {
        try {
            String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"),
                    StandardCharsets.UTF_8).split("\0");
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < args.length; i++) {
                b.append(i == 0 ? "" : " ");
                boolean classPath = i > 0 && (args[i - 1].equals("-cp") || args[i - 1].equals("-classpath"));
                b.append(classPath ? "..." : args[i]);
            }
            return b.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void awaitReady(Procs.Running r, int port, String health) throws IOException {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (!r.process().isAlive()) {
                throw new IOException(r.name() + " exited with status " + r.process().exitValue() + "; its log "
                        + r.log() + " ends with:\n" + tail(r.log()));
            }
            try {
                if (Http.get(port, health, 10_000).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Procs.sleep(20);
        }
        throw new IOException(r.name() + " gave no 200 on " + health + " within " + START_TIMEOUT.toSeconds()
                + " s; its log ends with:\n" + tail(r.log()));
    }

    private static void awaitLog(Procs.Running r, String text) throws IOException {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(r.log(), StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            if (!r.process().isAlive()) {
                throw new IOException(r.name() + " exited; its log ends with:\n" + tail(r.log()));
            }
            Procs.sleep(20);
        }
        throw new IOException(r.name() + " did not log '" + text + "'; its log ends with:\n" + tail(r.log()));
    }

    /** The last lines of a log file. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
