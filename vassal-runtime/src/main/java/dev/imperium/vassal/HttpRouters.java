package dev.imperium.vassal;

import dev.imperium.os.Posix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The vassal's {@code http} router processes (uWSGI's "uWSGI http N" gateways): spawns {@code http-processes} of
 * them on the public socket, respawns one that dies (after a second if it died within a second of its start), and
 * stops them with the vassal. They live across reloads unless a reload changes their options, addresses or node: the
 * master then starts new ones and retires these. Touched only on the master's
 * event-loop thread; process exits arrive through {@code post}.
 */
final class HttpRouters {
    /** How long a router may live before its death counts as "respawning too fast". */
    private static final long QUICK_DEATH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RouterSettings settings;
    private final List<ListenSocket> sockets;
    private final List<String> arguments;
    private final WorkerLauncher launcher;
    private final Consumer<Runnable> post;
    private final ScheduledExecutorService timers;
    private final Runnable onGone;
    private final List<Router> routers = new ArrayList<>();
    private boolean stopping;

    private static final class Router {
        final int id;
        Process process;
        long pid;
        long startedNanos;
        boolean alive;

        Router(int id) {
            this.id = id;
        }
    }

    /**
     * Prepares the routers; nothing runs until {@link #start}.
     *
     * @param settings the router's options
     * @param sockets the public HTTP sockets, bound by the master
     * @param arguments the router processes' options ({@link RouterSettings#arguments})
     * @param launcher starts the JVMs
     * @param post runs an event on the master's event loop
     * @param timers schedules delayed events
     * @param onGone called (on the event loop) when a router exited while stopping
     */
    HttpRouters(RouterSettings settings, List<ListenSocket> sockets, List<String> arguments, WorkerLauncher launcher,
            Consumer<Runnable> post, ScheduledExecutorService timers, Runnable onGone) {
        this.settings = settings;
        this.sockets = List.copyOf(sockets);
        this.arguments = List.copyOf(arguments);
        this.launcher = launcher;
        this.post = post;
        this.timers = timers;
        this.onGone = onGone;
    }

    /** Returns the public sockets. */
    List<ListenSocket> sockets() {
        return sockets;
    }

    /** Returns the options the routers run with. */
    RouterSettings settings() {
        return settings;
    }

    /** Returns the router processes' command-line options. */
    List<String> arguments() {
        return arguments;
    }

    /** Spawns every router. */
    void start(VassalSettings vassal, Path workDir) {
        for (int id = 1; id <= settings.processes(); id++) {
            Router router = new Router(id);
            routers.add(router);
            spawn(router, vassal, workDir, false);
        }
    }

    private void spawn(Router router, VassalSettings vassal, Path workDir, boolean respawn) {
        router.alive = true;
        router.startedNanos = System.nanoTime();
        launcher.startRouter(router.id, sockets, arguments, vassal, workDir).whenComplete((process, error) ->
                post.accept(() -> {
                    if (error != null) {
                        Log.line("unable to spawn uWSGI http " + router.id + ": " + error.getMessage());
                        onExit(router, -1, vassal, workDir);
                        return;
                    }
                    router.process = process;
                    router.pid = process.pid();
                    Log.line((respawn ? "respawned" : "spawned") + " uWSGI http " + router.id + " (pid: "
                            + router.pid + ")");
                    if (stopping) {
                        Posix.kill(router.pid, Posix.SIGKILL);
                    }
                    process.onExit().thenAccept(p -> post.accept(() -> onExit(router, p.exitValue(), vassal,
                            workDir)));
                }));
    }

    private void onExit(Router router, int exitValue, VassalSettings vassal, Path workDir) {
        if (!router.alive) {
            return;
        }
        router.alive = false;
        if (stopping) {
            onGone.run();
            return;
        }
        Log.line("uWSGI http " + router.id + " (pid: " + router.pid + ") died"
                + (exitValue > 128 && exitValue < 160 ? ", killed by signal " + (exitValue - 128) : "")
                + " :( trying respawn ...");
        if (System.nanoTime() - router.startedNanos < QUICK_DEATH_NANOS) {
            timers.schedule(() -> post.accept(() -> {
                if (!stopping) {
                    spawn(router, vassal, workDir, true);
                }
            }), 1, TimeUnit.SECONDS);
        } else {
            spawn(router, vassal, workDir, true);
        }
    }

    /**
     * Stops the routers: gracefully (SIGHUP: no new connections, requests in flight finish, SIGKILL after
     * {@code mercySeconds}) or at once (SIGKILL).
     */
    void stop(boolean gracefully, int mercySeconds) {
        stopping = true;
        for (Router router : routers) {
            if (!router.alive || router.pid == 0) {
                continue;
            }
            if (!gracefully) {
                Posix.kill(router.pid, Posix.SIGKILL);
                continue;
            }
            Posix.kill(router.pid, Posix.SIGHUP);
            long pid = router.pid;
            timers.schedule(() -> post.accept(() -> {
                if (router.alive && router.pid == pid) {
                    Posix.kill(pid, Posix.SIGKILL);
                }
            }), mercySeconds, TimeUnit.SECONDS);
        }
    }

    /** Returns true while a router process is alive or starting. */
    boolean anyAlive() {
        return routers.stream().anyMatch(r -> r.alive);
    }
}
