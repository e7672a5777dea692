package dev.imperium.vassal;

import dev.imperium.os.Posix;
import dev.imperium.os.Processes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The external processes a vassal runs beside its workers ({@link DaemonSpec}), managed as uWSGI 2.0's master
 * manages them ({@code core/daemons.c}), with its log lines.
 *
 * <ul>
 *   <li><b>Foreground daemons</b> ({@code attach-daemon}, {@code attach-control-daemon}, {@code attach-daemon2}
 *       without {@code pidfile}) run as {@code /bin/sh -c COMMAND} in a session of their own. When one dies it is
 *       started again, after a pause that grows while it keeps dying within 3 s of its start ({@code [uwsgi-daemons]
 *       throttling "CMD" for N seconds}); a control daemon's death stops the vassal instead. They are stopped with
 *       the vassal and restarted when it reloads: their process group gets the stop signal (or the reload signal,
 *       on reload), then SIGKILL after {@code reload-mercy} seconds (3 by default). If the master itself dies, even
 *       by SIGKILL, the kernel signals a small shell that leads the group ({@code PR_SET_PDEATHSIG} through
 *       util-linux {@code setpriv}), which kills the whole group: no process outlives the vassal.</li>
 *   <li><b>Smart daemons</b> ({@code smart-attach-daemon[2]}, {@code attach-daemon2} with {@code pidfile}) are
 *       governed by their pidfile: started only when the pid in it is not running, checked once a second and
 *       started again when it is gone. They survive a reload and the death of the master (a new master finds them
 *       through the pidfile: {@code found valid/active pidfile}); unlike uWSGI, they are stopped when the vassal is
 *       stopped, so a removed vassal leaves nothing behind.</li>
 * </ul>
 *
 * <p>Touched only on the master's event loop; process exits and timers come back through {@code post}.
 */
final class AttachedDaemons {
    /** The signal the kernel sends a foreground daemon's group leader when the master dies: SIGRTMIN+6. */
    static final int MASTER_DEATH_SIGNAL = 40;
    /**
     * The group leader of a foreground daemon: runs the command in a child shell, ends with its status, and kills
     * the whole process group when the master dies (the {@link #MASTER_DEATH_SIGNAL}).
     */
    static final String LEADER = "trap 'kill -KILL 0' " + MASTER_DEATH_SIGNAL + "; /bin/sh -c \"$1\" <&0 & wait $!";
    /** smart-attach-daemon2: the master writes the pidfile for a command that stays in the foreground. */
    static final String WRITE_PIDFILE = "echo $$ > \"$1\"; exec /bin/sh -c \"$2\"";
    /** uWSGI's cap on the throttle when {@code max_throttle} is not set, in seconds. */
    private static final int THROTTLE_CAP = 300;
    /** How long a daemon that got SIGKILL may take to disappear before the master stops waiting for it. */
    private static final long KILL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Starts a command the way {@link WorkerLauncher#startDaemon} does. */
    @FunctionalInterface
    interface Launcher {
        CompletableFuture<Process> start(List<String> command, Path workDir, Map<String, String> env,
                boolean inheritStdin);
    }

    /** One configured daemon and what the master knows of it. */
    private final class Daemon {
        final DaemonSpec spec;
        final Path workDir;
        final Path pidfile;
        final TouchWatch touch;
        /** Running under the master's care: false once it is being stopped or was removed. */
        boolean registered = true;
        Process process;
        /** The pid the master watches: its child for a foreground daemon, the pidfile's for a smart one. */
        long pid;
        int respawns;
        long lastSpawnMillis;
        /** uWSGI's status: 0 never started, 1 just started, 2 running and watched through its pidfile. */
        int status;
        int pidfileChecks;
        boolean hasDaemonized;
        ScheduledFuture<?> pendingSpawn;
        /** Set while it is being stopped: what runs once it is gone. */
        Runnable afterStop;
        long stopDeadlineNanos;
        long killedAtNanos;
        List<Long> stopTargets = List.of();

        Daemon(DaemonSpec spec, Path vassalDir) {
            this.spec = spec;
            this.workDir = spec.chdir() == null ? vassalDir : vassalDir.resolve(spec.chdir()).normalize();
            this.pidfile = spec.pidfile() == null ? null : vassalDir.resolve(spec.pidfile());
            this.touch = spec.touch().isEmpty() ? null : new TouchWatch(vassalDir, spec.touch(), log);
        }
    }

    private final Launcher launcher;
    private final Consumer<Runnable> post;
    private final ScheduledExecutorService timers;
    private final Consumer<String> log;
    private final Runnable onControlDeath;
    private final Runnable onGone;
    private final List<Daemon> daemons = new ArrayList<>();
    private final List<Daemon> stopping = new ArrayList<>();
    private Map<String, String> env = Map.of();
    private Path vassalDir;
    private int mercySeconds = 3;
    private int generation;
    private boolean closed;
    /** Starts handed to the launcher and not yet reported back. */
    private int launching;

    /**
     * Creates the manager; nothing runs until {@link #start}.
     *
     * @param launcher starts the commands (on the master's spawner thread)
     * @param post runs an event on the master's event loop
     * @param timers schedules delayed events
     * @param log receives the log lines
     * @param onControlDeath run when a control daemon dies (the master stops gracefully)
     * @param onGone run when a daemon being stopped is gone (the master may be waiting for it to exit)
     */
    AttachedDaemons(Launcher launcher, Consumer<Runnable> post, ScheduledExecutorService timers,
            Consumer<String> log, Runnable onControlDeath, Runnable onGone) {
        this.launcher = launcher;
        this.post = post;
        this.timers = timers;
        this.log = log;
        this.onControlDeath = onControlDeath;
        this.onGone = onGone;
    }

    /**
     * Starts the daemons of the first generation (uWSGI's {@code uwsgi_daemons_spawn_all}): a smart daemon whose
     * pidfile names a running process is adopted, not started.
     *
     * @param settings the vassal's settings
     * @param vassalDir the vassal's working directory (relative pidfiles, touch files and {@code chdir})
     * @param generationNumber the generation they belong to
     */
    void start(VassalSettings settings, Path vassalDir, int generationNumber) {
        this.vassalDir = vassalDir;
        this.generation = generationNumber;
        configure(settings);
        for (DaemonSpec spec : settings.daemons()) {
            register(new Daemon(spec, vassalDir));
        }
    }

    private void configure(VassalSettings settings) {
        env = settings.env();
        int mercy = settings.config() == null ? 0 : settings.config().intValue("reload-mercy", 0);
        mercySeconds = mercy > 0 ? mercy : 3;
    }

    private void register(Daemon d) {
        daemons.add(d);
        if (d.pidfile != null) {
            long running = pidOf(d.pidfile);
            if (running > 0) {
                d.pid = running;
                log.accept("[uwsgi-daemons] found valid/active pidfile for \"" + d.spec.command() + "\" (pid: "
                        + running + ")");
                return;
            }
        }
        spawn(d);
    }

    /** Returns true if a daemon is still being started or stopped (the master waits for it before exiting). */
    boolean anyAlive() {
        return !stopping.isEmpty() || launching > 0;
    }

    /** Returns the generation whose settings the daemons follow. */
    int generation() {
        return generation;
    }

    /**
     * Stats server (issue 6): the daemons as uWSGI's stats list them ({@code daemons}: command, pid, times started
     * again; uWSGI 2.0 always prints 0 for the last, Imperium counts).
     */
    List<dev.imperium.stats.StatsDocument.Daemon> statsRows() {
        List<dev.imperium.stats.StatsDocument.Daemon> rows = new ArrayList<>(daemons.size());
        for (Daemon d : daemons) {
            rows.add(new dev.imperium.stats.StatsDocument.Daemon(d.spec.command(), Math.max(0, d.pid),
                    Math.max(0, d.respawns - 1)));
        }
        return rows;
    }

    // ---------------------------------------------------------------- spawning

    /** uWSGI's {@code uwsgi_spawn_daemon}: starts the daemon, after a pause if it died soon after its last start. */
    private void spawn(Daemon d) {
        if (!d.registered || closed) {
            return;
        }
        long now = System.currentTimeMillis();
        long throttle = 0;
        long sinceLast = (now - d.lastSpawnMillis) / 1000;
        if (d.respawns > 0 && sinceLast <= 3) {
            throttle = Math.max(1, d.respawns - sinceLast);
            throttle = Math.min(throttle, d.spec.maxThrottle() > 0 ? d.spec.maxThrottle() : THROTTLE_CAP);
        }
        d.respawns++;
        d.lastSpawnMillis = now;
        boolean again = d.respawns > 1;
        if (throttle > 0) {
            log.accept("[uwsgi-daemons] throttling \"" + d.spec.command() + "\" for " + throttle + " seconds");
            d.pendingSpawn = timers.schedule(() -> post.accept(() -> {
                d.pendingSpawn = null;
                launch(d, again);
            }), throttle, TimeUnit.SECONDS);
        } else {
            launch(d, again);
        }
    }

    private void launch(Daemon d, boolean again) {
        if (!d.registered || closed) {
            return;
        }
        int uid = d.spec.uid() >= 0 ? d.spec.uid() : Posix.getuid();
        int gid = d.spec.gid() >= 0 ? d.spec.gid() : Posix.getgid();
        log.accept("[uwsgi-daemons] " + (again ? "re" : "") + "spawning \"" + d.spec.command() + "\" (uid: " + uid
                + " gid: " + gid + ")");
        d.status = 1;
        d.pidfileChecks = 0;
        d.hasDaemonized = d.spec.daemonize();
        launching++;
        launcher.start(command(d.spec, d.pidfile), d.workDir, env, d.spec.honourStdin())
                .whenComplete((process, error) -> post.accept(() -> started(d, process, error)));
    }

    /**
     * The command line that runs a daemon: its uid/gid through {@code setpriv}, a session of its own through
     * {@code setsid}, and {@code /bin/sh -c COMMAND} (with {@link #LEADER} in front for a foreground daemon, or
     * {@link #WRITE_PIDFILE} for smart-attach-daemon2).
     */
    static List<String> command(DaemonSpec spec, Path pidfile) {
        List<String> command = new ArrayList<>();
        boolean foreground = !spec.smart();
        if (foreground || spec.uid() >= 0 || spec.gid() >= 0) {
            command.add("setpriv");
            if (spec.gid() >= 0) {
                command.addAll(List.of("--regid", Integer.toString(spec.gid()), "--clear-groups"));
            }
            if (spec.uid() >= 0) {
                command.addAll(List.of("--reuid", Integer.toString(spec.uid())));
            }
            if (foreground) {
                command.addAll(List.of("--pdeathsig", "RTMIN+" + (MASTER_DEATH_SIGNAL - 34)));
            }
            command.add("--");
        }
        command.addAll(List.of("setsid", "/bin/sh", "-c"));
        if (foreground) {
            command.addAll(List.of(LEADER, "imperium-daemon", spec.command()));
        } else if (spec.daemonize()) {
            command.addAll(List.of(WRITE_PIDFILE, "imperium-daemon", pidfile.toString(), spec.command()));
        } else {
            command.add(spec.command());
        }
        return command;
    }

    private void started(Daemon d, Process process, Throwable error) {
        launching--;
        if (error != null) {
            if (closed) {
                onGone.run();
                return;
            }
            log.accept("[uwsgi-daemons] unable to spawn \"" + d.spec.command() + "\": " + rootMessage(error));
            if (d.registered && !d.spec.smart()) {
                spawn(d); // throttled: it failed within 3 s
            }
            return;
        }
        if (!d.registered || closed) {
            // stopped while it was being started: it gets the same end as the others
            d.process = process;
            d.pid = process.pid();
            Posix.kill(-process.pid(), Posix.SIGKILL);
            process.destroyForcibly();
            if (closed) {
                onGone.run();
            }
            return;
        }
        d.process = process;
        if (!d.spec.smart() || d.pid <= 0 || !Processes.isRunning(d.pid)) {
            d.pid = process.pid();
        }
        process.onExit().thenAccept(p -> post.accept(() -> exited(d, p)));
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** A daemon's process ended (uWSGI's {@code uwsgi_daemon_check_pid_death} and {@code _reload}). */
    private void exited(Daemon d, Process process) {
        if (process != d.process) {
            return;
        }
        if (d.afterStop != null) {
            pollStop(d);
            return;
        }
        if (d.spec.smart()) {
            // the command went to the background (or, for smart-attach-daemon2, the daemon ended): the pidfile
            // tells the rest at the next check
            d.hasDaemonized = true;
            return;
        }
        // whatever it left in its process group goes with it
        Posix.kill(-process.pid(), Posix.SIGKILL);
        if (!d.registered || closed) {
            return;
        }
        if (d.spec.control()) {
            onControlDeath.run();
            return;
        }
        spawn(d);
    }

    // ---------------------------------------------------------------- the master's cycle

    /**
     * The once-a-second check (uWSGI's {@code uwsgi_daemons_smart_check} and daemon touches): a touched file restarts
     * its daemon; a smart daemon whose pidfile names no running process is started again.
     */
    void check() {
        for (Daemon d : new ArrayList<>(daemons)) {
            if (!d.registered) {
                continue;
            }
            if (d.touch != null) {
                String touched = d.touch.check();
                if (touched != null && d.pid > 0) {
                    Log.stamped("*** " + touched + " has been touched... reloading daemon \"" + d.spec.command()
                            + "\" (pid: " + d.pid + ") !!! ***");
                    signal(d.pid, d.spec.stopSignal());
                }
            }
            if (d.pidfile != null && d.pendingSpawn == null) {
                checkPidfile(d);
            }
        }
    }

    private void checkPidfile(Daemon d) {
        long running = pidOf(d.pidfile);
        if (running <= 0) {
            if (d.status == 2) {
                spawn(d);
                return;
            }
            d.pidfileChecks++;
            if (d.pidfileChecks >= d.spec.freq()) {
                if (!d.hasDaemonized) {
                    Log.stamped("[uwsgi-daemons] \"" + d.spec.command() + "\" (pid: " + d.pid
                            + ") did not daemonize !!!");
                    d.pidfileChecks = 0;
                } else {
                    log.accept("[uwsgi-daemons] found changed pidfile for \"" + d.spec.command() + "\" (old_pid: "
                            + d.pid + " new_pid: " + running + ")");
                    spawn(d);
                }
            }
        } else if (running != d.pid) {
            log.accept("[uwsgi-daemons] found changed pid for \"" + d.spec.command() + "\" (old_pid: " + d.pid
                    + " new_pid: " + running + ")");
            d.pid = running;
        } else {
            d.status = 2;
        }
    }

    /**
     * Follows a new generation's settings: foreground daemons are stopped (with their reload signal when they have
     * one) and started again, as a uWSGI reload does; smart daemons keep running ({@code notifypid} ones get the
     * reload signal, or SIGHUP); daemons no longer configured are stopped, new ones started.
     *
     * @param settings the new generation's settings
     * @param newVassalDir its working directory
     * @param generationNumber its number
     */
    void reload(VassalSettings settings, Path newVassalDir, int generationNumber) {
        generation = generationNumber;
        vassalDir = newVassalDir;
        configure(settings);
        List<DaemonSpec> wanted = new ArrayList<>(settings.daemons());
        for (Daemon d : new ArrayList<>(daemons)) {
            boolean kept = d.registered && wanted.remove(d.spec);
            if (kept && d.spec.smart()) {
                if (d.spec.notifyPid() && d.pid > 0) {
                    signal(d.pid, d.spec.reloadSignal() > 0 ? d.spec.reloadSignal() : Posix.SIGHUP);
                }
                continue;
            }
            int signal = d.spec.reloadSignal() > 0 ? d.spec.reloadSignal() : d.spec.stopSignal();
            DaemonSpec again = kept ? d.spec : null;
            stop(d, signal, again == null ? null : () -> register(new Daemon(again, vassalDir)));
        }
        for (DaemonSpec spec : wanted) {
            register(new Daemon(spec, vassalDir));
        }
    }

    // ---------------------------------------------------------------- stopping

    /** Stops every daemon, smart ones included (uWSGI leaves those running); see {@link #anyAlive()}. */
    void stopAll() {
        for (Daemon d : new ArrayList<>(daemons)) {
            stop(d, d.spec.stopSignal(), null);
        }
        closed = true;
    }

    /**
     * Stops one daemon: {@code signal} to its process group, then SIGKILL once the mercy is over (uWSGI's
     * {@code uwsgi_detach_daemons}); {@code then} runs once it is gone.
     */
    private void stop(Daemon d, int signal, Runnable then) {
        daemons.remove(d);
        d.registered = false;
        if (d.pendingSpawn != null) {
            d.pendingSpawn.cancel(false);
            d.pendingSpawn = null;
        }
        List<Long> targets = new ArrayList<>();
        if (d.process != null && (d.process.isAlive() || groupExists(d.process.pid()))) {
            targets.add(d.process.pid());
        }
        if (d.pidfile != null) {
            long running = pidOf(d.pidfile);
            if (running > 0 && !targets.contains(running)) {
                targets.add(running);
            }
        }
        if (targets.isEmpty()) {
            if (then != null) {
                then.run();
            }
            return;
        }
        log.accept("[uwsgi-daemons] stopping daemon (pid: " + targets.getFirst() + "): " + d.spec.command());
        for (long target : targets) {
            signal(target, signal);
        }
        d.stopTargets = List.copyOf(targets);
        d.afterStop = then == null ? () -> { } : then;
        d.stopDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(mercySeconds);
        stopping.add(d);
        schedulePoll(d);
    }

    private void schedulePoll(Daemon d) {
        timers.schedule(() -> post.accept(() -> pollStop(d)), 100, TimeUnit.MILLISECONDS);
    }

    private void pollStop(Daemon d) {
        if (!stopping.contains(d)) {
            return;
        }
        boolean alive = false;
        for (long target : d.stopTargets) {
            alive |= Processes.isRunning(target) || !d.spec.smart() && groupExists(target);
        }
        long now = System.nanoTime();
        if (alive && d.killedAtNanos == 0 && now - d.stopDeadlineNanos >= 0) {
            log.accept("[uwsgi-daemons] daemon did not die in time, killing (pid: " + d.stopTargets.getFirst()
                    + "): " + d.spec.command());
            for (long target : d.stopTargets) {
                signal(target, Posix.SIGKILL);
            }
            d.killedAtNanos = now;
        } else if (alive && d.killedAtNanos != 0 && now - d.killedAtNanos > KILL_WAIT_NANOS) {
            log.accept("[uwsgi-daemons] daemon (pid: " + d.stopTargets.getFirst() + ") did not end after SIGKILL;"
                    + " no longer waiting for it: " + d.spec.command());
            alive = false;
        }
        if (alive) {
            schedulePoll(d);
            return;
        }
        stopping.remove(d);
        Runnable then = d.afterStop;
        if (then != null && !closed) {
            then.run();
        }
        onGone.run();
    }

    /** Sends a signal to a daemon's process group, or to the process alone when it leads none (uWSGI does so). */
    private static void signal(long pid, int signal) {
        if (Posix.kill(-pid, signal) != 0) {
            Posix.kill(pid, signal);
        }
    }

    private static boolean groupExists(long pgid) {
        return Posix.kill(-pgid, 0) == 0;
    }

    /**
     * Returns the pid a pidfile names if that process runs, else -1 (uWSGI's {@code uwsgi_check_pidfile}).
     */
    static long pidOf(Path pidfile) {
        try (InputStream in = Files.newInputStream(pidfile)) {
            String text = new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim();
            int end = 0;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            long pid = end == 0 ? -1 : Long.parseLong(text.substring(0, end));
            return pid > 0 && Processes.isRunning(pid) ? pid : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
