package dev.imperium.emperor;

import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.emperor.Vassal.Incarnation;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Supervises every vassal: turns watcher changes, control messages, process exits and timers into
 * {@link VassalEvent}s, asks {@link VassalStateMachine} what to do, and does it (spawn, send, kill, log, arm
 * timers). All of its state lives on the {@link EventLoop} thread; its public entry points only post to the loop,
 * so they may be called from any thread.
 */
final class Supervisor implements ControlListener {
    /** How long a process's exit waits for the rest of its control connection to be read. */
    private static final Duration EXIT_DRAIN = Duration.ofMillis(500);

    /** Environment variable naming the vassal directory (not in {@link EmperorMessage} yet). */

    /**
     * Longest time a vassal holds a start slot: one that takes longer to accept requests (a slow or hung start) no
     * longer holds back the vassals waiting behind it. Its own start timeout still applies.
     */
    static final Duration START_SLOT_LEASE = Duration.ofSeconds(10);

    private final EmperorSettings settings;
    private final EventLoop loop;
    private final VassalLauncher launcher;
    private final EmperorLog log;
    private final RandomGenerator random;
    private final SecureRandom tokenSource = new SecureRandom();
    private final Map<String, String> baseEnvironment;

    // Loop-thread state.
    private final Map<String, Vassal> vassals = new TreeMap<>();
    private final Map<String, Incarnation> byToken = new HashMap<>();
    private final Map<ControlConnection, Incarnation> byConnection = new HashMap<>();
    /** Spawns decided but not launched: more than {@code startConcurrency} vassals would be starting. */
    private final ArrayDeque<Incarnation> waitingToStart = new ArrayDeque<>();
    /** Incarnations holding a start slot. */
    private int starting;
    private long incarnations;
    private boolean stopping;
    private Runnable whenAllGone;
    /** Told about every transition (the client control socket's status and waiting commands). */
    private VassalObserver observer = VassalObserver.NONE;
    /** Vassals that sent a heartbeat and must send the next in time (emperor-required-heartbeat, issue 7). */
    private final HeartbeatWatch heartbeats;
    /** The backoff of failed vassals (emperor-throttle, emperor-max-throttle, emperor-no-blacklist; issue 7). */
    private final Throttle throttle;
    /** setpriv(1), through which tyrant mode starts vassals (issue 7), or null. */
    private final String setpriv;
    /** Issue 7: broodlord. The zergs started for vassals that asked for reinforcements. */
    private final dev.imperium.emperor.broodlord.Brood brood;
    /** Issue 7: monitors. Where each vassal's file is and which directory it runs in (several monitors). */
    private volatile VassalLocator locator;
    /** Issue 7: on-demand vassals. Their sockets, held by the emperor. */
    private final dev.imperium.emperor.ondemand.OnDemandVassals onDemand;

    /**
     * Creates a supervisor.
     *
     * @param settings the emperor's settings
     * @param loop the loop that owns all state
     * @param launcher starts vassal processes
     * @param log the emperor log
     * @param random the source of backoff jitter
     * @param controlSocket the control socket path given to vassals
     * @param setpriv the setpriv program that runs vassals as their file's owner in tyrant mode, or null
     */
    Supervisor(EmperorSettings settings, EventLoop loop, VassalLauncher launcher, EmperorLog log,
               RandomGenerator random, Path controlSocket, String setpriv) {
        this.setpriv = setpriv;
        this.settings = settings;
        this.loop = loop;
        this.launcher = launcher;
        this.log = log;
        this.random = random;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("NOTIFY_SOCKET"); // as uWSGI: systemd notifications are the emperor's, not the vassals'
        env.remove("WATCHDOG_USEC"); // Issue 7: packaging. So is systemd's watchdog
        env.remove("WATCHDOG_PID");
        env.put(EmperorMessage.ENV_SOCKET, controlSocket.toString());
        env.put(EmperorMessage.ENV_EMPEROR_PID, Long.toString(ProcessHandle.current().pid()));
        env.put(EmperorMessage.ENV_VASSALS_DIR, settings.vassalDir().toString());
        this.baseEnvironment = Map.copyOf(env);
        this.heartbeats = new HeartbeatWatch(loop, settings.fleet().requiredHeartbeat(), this::heartbeatMissed);
        this.throttle = new Throttle(settings.backoff(), settings.fleet().noBlacklist());
        this.locator = VassalLocator.of(WatchScope.of(settings));
        this.onDemand = new dev.imperium.emperor.ondemand.OnDemandVassals(settings.onDemand(),
                name -> locator.directoryOf(name), // each vassal's own monitor's directory (issue 7: monitors)
                name -> loop.post(() -> connection(name)), log::line); // Issue 7: on-demand vassals
        this.brood = new dev.imperium.emperor.broodlord.Brood(settings.broodlord());
        this.userSockets = (uid, gid) -> controlSocket; // issue 8: resource limits
    }

    /** Issue 8: resource limits. Where the vassals of another user connect (tyrant mode). */
    interface UserSockets {
        /** Returns the control socket for the vassals of {@code uid}, creating it if needed. */
        Path socketFor(int uid, int gid) throws IOException;
    }

    /** Issue 8: resource limits. Tyrant mode: each user's own control socket; by default the main one. */
    private UserSockets userSockets;

    /** Issue 8: resource limits. Sets where the vassals of another user connect (tyrant mode); before any spawn. */
    void userSockets(UserSockets sockets) {
        userSockets = sockets;
    }

    /** Issue 8: chaos. The copies of the Imperium vassals' sockets, or null. */
    private volatile SocketKeeper keeper;

    /** Issue 8: chaos. Sets the socket keeper; call before the first file change. */
    void keeper(SocketKeeper k) {
        keeper = k;
    }

    /** Issue 7: monitors. Sets where vassal files are (several monitors); call before the first file change. */
    void locator(VassalLocator l) {
        locator = l;
    }

    /** Issue 7: monitors. Returns where vassal files are. */
    VassalLocator locator() {
        return locator;
    }

    // ------------------------------------------------------------------ inputs (any thread)

    /** Reports a settled file change. */
    void fileChanged(VassalFileChange change) {
        loop.post(() -> onFileChange(change));
    }

    /** Asks every vassal to reload (SIGHUP). */
    void reloadAll() {
        loop.post(() -> {
            if (!stopping) {
                for (Vassal v : List.copyOf(vassals.values())) {
                    fire(v, VassalEvent.RELOAD_REQUESTED);
                }
            }
        });
    }

    /**
     * Stops every vassal for good and ignores file changes from now on; runs {@code whenDone} on the loop once
     * every vassal is gone (at once if there is none). Only the first call counts.
     */
    void stopAll(Runnable whenDone) {
        loop.post(() -> {
            if (stopping) {
                return;
            }
            stopping = true;
            whenAllGone = whenDone;
            for (Vassal v : List.copyOf(vassals.values())) {
                fire(v, VassalEvent.STOP_REQUESTED);
            }
            checkAllGone();
        });
    }

    /** Logs one line per vassal (SIGUSR1, as uWSGI's emperor_stats). */
    void logStatus() {
        loop.post(() -> {
            log.emperor("governing " + vassals.size() + " vassal" + (vassals.size() == 1 ? "" : "s"));
            for (Vassal v : vassals.values()) {
                Incarnation inc = v.current;
                log.emperor("vassal " + v.name + ": " + v.state
                        + (inc == null ? "" : ", pid " + inc.pid() + ", generation " + inc.generation)
                        + ", " + v.failures + " failure" + (v.failures == 1 ? "" : "s") + " in a row, "
                        + v.spawns + " spawn" + (v.spawns == 1 ? "" : "s"));
            }
        });
    }

    @Override
    public void onHello(ControlConnection connection, String token, long pid) {
        loop.post(() -> hello(connection, token, pid));
    }

    @Override
    public void onFrame(ControlConnection connection, Frame frame) {
        loop.post(() -> frame(connection, frame));
    }

    @Override
    public void onClosed(ControlConnection connection) {
        loop.post(() -> closed(connection));
    }

    // ------------------------------------------------------------------ loop-thread handlers

    /** Returns the number of vassals known (loop thread). */
    int size() {
        return vassals.size();
    }

    /** Sets who is told about every transition (loop thread). */
    void observer(VassalObserver o) {
        observer = o;
    }

    /** Returns the vassals known, in name order (loop thread; read-only). */
    java.util.Collection<Vassal> vassals() {
        return java.util.Collections.unmodifiableCollection(vassals.values());
    }

    /** Returns a vassal, or null if unknown (loop thread). */
    Vassal vassal(String name) {
        return vassals.get(name);
    }

    /** Returns whether Ragnarok has begun (loop thread). */
    boolean isStopping() {
        return stopping;
    }

    /** Feeds an operator's request to a vassal's state machine (loop thread; the client control socket). */
    void request(Vassal v, VassalEvent event) {
        fire(v, event);
    }

    /** Returns a vassal's state, or null if unknown (loop thread; for tests and status). */
    VassalState stateOf(String name) {
        Vassal v = vassals.get(name);
        return v == null ? null : v.state;
    }

    /**
     * Returns the emperor and every vassal as the stats server and /metrics show them (loop thread).
     *
     * @param startedAtMillis when the emperor started, epoch ms
     */
    EmperorSnapshot snapshot(long startedAtMillis) {
        long nanos = System.nanoTime();
        long millis = System.currentTimeMillis();
        List<VassalSnapshot> list = new ArrayList<>(vassals.size());
        for (Vassal v : vassals.values()) {
            list.add(VassalSnapshot.of(v, locator.directoryOf(v.name), nanos, millis)); // issue 7: monitors
        }
        return new EmperorSnapshot(dev.imperium.vassal.Version.VERSION, ProcessHandle.current().pid(),
                dev.imperium.os.Posix.getuid(), dev.imperium.os.Posix.getgid(), System.getProperty("user.dir"),
                settings.vassalDir(), startedAtMillis,
                settings.startConcurrency(), starting, waitingToStart.size(), millis, list, monitorName(),
                settings.fleet().tyrant().enabled());
    }

    /** The monitor as given on the command line, for the stats (uWSGI's {@code emperor}). */
    private String monitorName() {
        String glob = settings.fleet().glob();
        return glob != null ? glob : settings.vassalDir().toString();
    }

    private void onFileChange(VassalFileChange change) {
        if (stopping) {
            return;
        }
        if (change.kind() == VassalFileChange.Kind.REMOVED) {
            Vassal v = vassals.get(change.name());
            if (v != null) {
                fire(v, VassalEvent.STOP_REQUESTED);
            }
            return;
        }
        if (settings.fleet().tyrant().enabled() && !tyrantAllows(change)) {
            return;
        }
        Vassal v = vassals.computeIfAbsent(change.name(), Vassal::new);
        v.stamp = change.stamp();
        fire(v, VassalEvent.FILE_CHANGED);
    }

    /**
     * Tyrant mode (issue 7): refuses a file owned by root (once per version of the file), and stops a vassal whose
     * file changed owner so that it starts again as the new owner (uWSGI's monitors do the same).
     *
     * @return whether the change goes on to the vassal
     */
    private boolean tyrantAllows(VassalFileChange change) {
        Tyrant tyrant = settings.fleet().tyrant();
        Vassal v = vassals.get(change.name());
        if (tyrant.decide(change.stamp().owner()) instanceof Tyrant.Refused refused) {
            log.stamped("[emperor-tyrant] invalid permissions for vassal " + change.name() + ": " + refused.reason());
            if (v != null) {
                fire(v, VassalEvent.STOP_REQUESTED);
            }
            return false;
        }
        if (v != null && v.current != null && tyrant.ownerChanged(v.stamp, change.stamp())) {
            log.stamped("!!! permissions of file " + change.name() + " changed. stopping the instance... !!!");
            fire(v, VassalEvent.STOP_REQUESTED);
        }
        return true;
    }

    private void hello(ControlConnection connection, String token, long pid) {
        Incarnation inc = byToken.get(token);
        if (inc == null || inc.connection != null || inc.vassal.current != inc) {
            log.emperor("refusing a control connection with an unknown token (pid " + pid + ")");
            connection.close();
            return;
        }
        inc.connection = connection;
        inc.helloPid = pid;
        byConnection.put(connection, inc);
        if (inc.pid > 0 && pid > 0 && pid != inc.pid) {
            log.emperor("vassal " + inc.vassal.name + " says it is pid " + pid + " but was spawned as pid " + inc.pid);
        }
        for (Frame f : inc.outbox) {
            connection.send(f);
        }
        inc.outbox.clear();
    }

    private void frame(ControlConnection connection, Frame frame) {
        Incarnation inc = byConnection.get(connection);
        if (inc == null || inc.vassal.current != inc) {
            return;
        }
        Vassal v = inc.vassal;
        switch (frame.type()) {
            case EmperorMessage.SPAWNED -> fire(v, VassalEvent.SPAWNED);
            case EmperorMessage.ACCEPTING -> {
                inc.generation = parseGeneration(frame.text(), inc.generation + 1);
                fire(v, VassalEvent.ACCEPTING);
                releaseStartSlot(inc);
                if (keeper != null) {
                    keeper.accepting(v.name); // Issue 8: chaos: the orphan it took over from can go
                }
            }
            case EmperorMessage.LOYAL -> fire(v, VassalEvent.LOYAL);
            case EmperorMessage.RELOAD_FAILED -> {
                inc.lastReloadFailure = oneLine(frame.text());
                fire(v, VassalEvent.RELOAD_FAILED);
            }
            case EmperorMessage.FATAL -> {
                inc.lastFatal = oneLine(frame.text());
                fire(v, VassalEvent.FATAL);
            }
            case EmperorMessage.HEARTBEAT -> heartbeat(v);
            case EmperorMessage.STATS_REPORT -> { // parsed only when read, once per report (StatsReportCache)
                v.lastStatsJson = frame.text();
                v.record.reported(System.currentTimeMillis());
            }
            case EmperorMessage.VOLUNTARY_SHUTDOWN -> {
                if (brood.isZerg(v.name)) { // Issue 7: broodlord: a zerg leaves when idle (uWSGI's emperor_stop)
                    fire(v, VassalEvent.STOP_REQUESTED);
                } else {
                    fire(v, VassalEvent.VOLUNTARY_SHUTDOWN); // die-on-idle (issue 7: on-demand vassals)
                }
            }
            case EmperorMessage.BROODLORD_SOS -> sos(v); // Issue 7: broodlord
            default -> log.emperor("vassal " + v.name + " sent unknown control message " + frame.type());
        }
    }

    /**
     * A vassal says it is alive ({@link EmperorMessage#HEARTBEAT}, or uWSGI's byte 26 from a foreign vassal): from now
     * on its next heartbeat is due within {@code emperor-required-heartbeat} (loop thread).
     *
     * @param v the vassal; its current process sent the heartbeat
     */
    void heartbeat(Vassal v) {
        v.record.heartbeat(System.currentTimeMillis());
        if (v.current != null) {
            heartbeats.beat(v.current);
        }
    }

    // ------------------------------------------------------------------ Issue 7: broodlord

    /** A vassal asks for reinforcements (message 30): start a zerg if {@code emperor-broodlord} allows one more. */
    private void sos(Vassal v) {
        if (stopping || isStoppingState(v.state)) {
            return;
        }
        switch (brood.sos(v.name, vassals::containsKey)) {
            case dev.imperium.emperor.broodlord.Brood.Ignore ignore -> {
                if (ignore.logLine() != null) {
                    log.emperor(ignore.logLine());
                }
            }
            case dev.imperium.emperor.broodlord.Brood.Spawn spawn -> {
                log.emperor(spawn.logLine());
                Vassal lord = vassals.get(v.name);
                Vassal zerg = new Vassal(spawn.name());
                zerg.stamp = lord == null ? null : lord.stamp; // runs as its lord in tyrant mode, as in uWSGI
                vassals.put(zerg.name, zerg);
                fire(zerg, VassalEvent.FILE_CHANGED);
            }
        }
    }

    private static boolean isStoppingState(VassalState s) {
        return s == VassalState.STOPPING || s == VassalState.STOPPING_THEN_START || s == VassalState.KILLING
                || s == VassalState.KILLING_THEN_START;
    }

    /** A lord is asked to stop: so are its zergs. */
    private void stopZergsOf(Vassal lord) {
        for (String name : brood.zergsOf(lord.name)) {
            Vassal zerg = vassals.get(name);
            if (zerg != null && !isStoppingState(zerg.state) && zerg.state != VassalState.GONE) {
                fire(zerg, VassalEvent.STOP_REQUESTED);
            }
        }
    }

    /**
     * A zerg's process ended (or hung up) without being asked to: it is stopped rather than respawned, so its exit
     * ends it; its lord asks again if it still needs help.
     */
    private void zergEnded(Vassal zerg) {
        if (!isStoppingState(zerg.state) && zerg.state != VassalState.GONE && zerg.state != VassalState.BACKOFF) {
            fire(zerg, VassalEvent.STOP_REQUESTED);
        }
    }

    /** A process sent no heartbeat in time: SIGKILL its group; its exit respawns it (uWSGI's emperor_loop). */
    private void heartbeatMissed(Incarnation inc) {
        Vassal v = inc.vassal;
        if (v.current != inc || inc.exit != null || inc.pendingExit != null || vassals.get(v.name) != v) {
            return;
        }
        long required = settings.fleet().requiredHeartbeat().toSeconds();
        log.emperor("vassal " + v.name + " sent no heartbeat in last " + required
                + " seconds, brutally respawning it...");
        v.record.heartbeatMissed();
        if (inc.abortReason == null) {
            inc.abortReason = "no heartbeat in the last " + seconds(settings.fleet().requiredHeartbeat());
        }
        if (inc.process == null) {
            inc.killRequested = true;
        } else {
            ProcessGroups.kill(inc.process, inc.helloPid);
        }
    }

    private void closed(ControlConnection connection) {
        Incarnation inc = byConnection.remove(connection);
        if (inc != null && inc.pendingExit != null) {
            ExitStatus pending = inc.pendingExit;
            inc.pendingExit = null;
            exited(inc, pending);
            return;
        }
        if (inc != null && inc.vassal.current == inc && inc.exit == null) {
            fire(inc.vassal, VassalEvent.CONTROL_LOST);
        }
    }

    private void started(Incarnation inc, Process process) {
        inc.process = process;
        inc.pid = process.pid();
        process.onExit().thenAccept(p -> loop.post(() -> processGone(inc, ExitStatus.exited(p.exitValue()))));
        if (inc.killRequested) {
            ProcessGroups.kill(process, inc.helloPid);
        }
    }

    /**
     * The process has exited, but its last frames (a FATAL sent just before it exits) may still be on their way
     * over the control connection, which the kernel closed after them: the exit is handled once the connection is
     * read to its end, or after {@link #EXIT_DRAIN} at the latest, so that the exit is reported with its cause. A
     * process that exits before its HELLO was handled gets the same time for the connection to show up.
     */
    private void processGone(Incarnation inc, ExitStatus status) {
        if (inc.connection != null && !byConnection.containsKey(inc.connection)) {
            exited(inc, status); // its connection was read to the end already
            return;
        }
        inc.pendingExit = status;
        loop.schedule(EXIT_DRAIN, () -> {
            if (inc.pendingExit != null) {
                ExitStatus pending = inc.pendingExit;
                inc.pendingExit = null;
                exited(inc, pending);
            }
        });
    }

    private void exited(Incarnation inc, ExitStatus status) {
        if (brood.isZerg(inc.vassal.name) && inc.vassal.current == inc && inc.exit == null
                && vassals.get(inc.vassal.name) == inc.vassal) {
            zergEnded(inc.vassal); // Issue 7: broodlord: a zerg is never respawned
        }
        releaseStartSlot(inc);
        heartbeats.forget(inc);
        byToken.remove(inc.token);
        if (keeper != null) {
            keeper.revoke(inc.token); // Issue 8: chaos
        }
        if (inc.connection != null) {
            byConnection.remove(inc.connection);
            inc.connection.close();
        }
        Vassal v = inc.vassal;
        if (v.current != inc || vassals.get(v.name) != v) {
            return;
        }
        inc.exit = status;
        fire(v, VassalEvent.EXITED);
        if (v.current == inc) {
            v.current = null;
        }
    }

    // ------------------------------------------------------------------ the state machine and its actions

    private void fire(Vassal v, VassalEvent event) {
        if (event == VassalEvent.STOP_REQUESTED) {
            stopZergsOf(v); // Issue 7: broodlord: a lord's zergs go with it
            if (keeper != null) {
                keeper.release(v.name); // Issue 8: chaos: a stopping vassal's port closes with it
            }
        }
        event = onDemand.translate(v.name, v.state, event); // Issue 7: on-demand vassals
        Transition t = VassalStateMachine.next(v.state, event);
        v.state = t.next();
        for (VassalAction action : t.actions()) {
            perform(v, action, event);
        }
        onDemand.sync(v.name, v.state); // its socket is watched exactly while it sleeps
        v.record.onDemand = onDemand.socketName(v.name);
        v.record.afterTransition(v, event, t, System.currentTimeMillis()); // for the stats server and /metrics
        observer.fired(v, event, t); // imperium's waiting commands, after the record is up to date
        if (v.state == VassalState.GONE) {
            forget(v);
        }
    }

    private void forget(Vassal v) {
        if (v.timer != null) {
            v.timer.cancel();
            v.timer = null;
        }
        vassals.remove(v.name, v);
        brood.gone(v.name); // Issue 7: broodlord: a zerg no longer counts
        if (!vassals.containsKey(v.name)) {
            launcher.vassalGone(v.name); // issue 7: scale. A crashed command vassal's kept sockets close
            if (keeper != null) {
                keeper.release(v.name); // Issue 8: chaos
            }
        }
        checkAllGone();
    }

    private void checkAllGone() {
        if (stopping && vassals.isEmpty() && whenAllGone != null) {
            Runnable r = whenAllGone;
            whenAllGone = null;
            r.run();
        }
    }

    private void perform(Vassal v, VassalAction action, VassalEvent event) {
        Incarnation inc = v.current;
        String n = v.name;
        switch (action) {
            case SPAWN -> spawn(v);
            case SEND_RELOAD -> {
                inc.reloadStartedNanos = System.nanoTime();
                send(inc, Frame.of(EmperorMessage.RELOAD));
            }
            case SEND_STOP_GRACEFUL -> {
                if (!cancelWaiting(inc)) {
                    send(inc, Frame.of(EmperorMessage.STOP_GRACEFUL));
                }
            }
            case KILL_GROUP -> {
                if (cancelWaiting(inc)) {
                    return;
                }
                if (inc.abortReason == null && v.state == VassalState.ABORTING) {
                    inc.abortReason = "it hung up its control connection but did not exit within "
                            + seconds(settings.reloadMercy());
                }
                if (inc.process == null) {
                    inc.killRequested = true;
                } else {
                    ProcessGroups.kill(inc.process, inc.helloPid);
                }
            }
            case SWEEP_GROUP -> ProcessGroups.sweep(inc.pid, inc.helloPid);
            case ARM_READY_TIMER -> {
                if (!inc.waiting) { // a waiting vassal's start timeout begins at its launch
                    arm(v, settings.startTimeout(), VassalEvent.READY_TIMEOUT);
                }
            }
            case ARM_MERCY_TIMER -> arm(v, settings.reloadMercy(), VassalEvent.MERCY_TIMEOUT);
            case ARM_STABLE_TIMER -> arm(v, settings.stableAfter(), VassalEvent.STABLE_ELAPSED);
            case SCHEDULE_BACKOFF -> scheduleBackoff(v, inc);
            case RESET_BACKOFF -> {
                v.failures = 0;
                v.addressInUse = null; // Issue 8: resource limits
            }
            case LOG_SPAWNED -> log.emperor("vassal " + n + " has been spawned");
            case LOG_READY -> {
                log.emperor("vassal " + n + " is ready to accept requests");
                String timing = "";
                if (!inc.wasReady) {
                    timing = ", " + millis(System.nanoTime() - inc.spawnedNanos) + " ms after spawn";
                } else if (inc.reloadStartedNanos > 0) {
                    timing = ", " + millis(System.nanoTime() - inc.reloadStartedNanos) + " ms after reload";
                }
                log.emperor("vassal " + n + " generation " + inc.generation + " accepting (pid " + inc.pid() + timing
                        + ")");
                inc.wasReady = true;
                inc.reloadStartedNanos = 0;
            }
            case LOG_LOYAL -> log.emperor("vassal " + n + " is now loyal");
            case LOG_RELOAD -> log.emperor("reload the uwsgi instance " + n);
            case LOG_RELOAD_QUEUED -> log.emperor("vassal " + n + " changed while "
                    + (v.state == VassalState.STARTING_RELOAD_QUEUED ? "starting" : "reloading")
                    + ": one more reload queued");
            case LOG_RELOAD_FAILED -> {
                inc.reloadStartedNanos = 0;
                log.emperor("vassal " + n + " refused the reload: "
                        + (inc.lastReloadFailure == null ? "no reason given" : inc.lastReloadFailure)
                        + "; generation " + inc.generation + " keeps serving");
            }
            case LOG_RELOAD_TIMEOUT -> {
                inc.reloadStartedNanos = 0;
                log.emperor("vassal " + n + " did not finish its reload within " + seconds(settings.startTimeout())
                        + "; generation " + inc.generation + " keeps serving");
            }
            case LOG_FATAL -> log.emperor("vassal " + n + " reports a fatal error: " + inc.lastFatal);
            case LOG_STOP -> log.emperor("stop the uwsgi instance " + n);
            case LOG_RESTART_QUEUED -> log.emperor("vassal " + n
                    + " is back while stopping: it will start again once the old one is gone");
            case LOG_NO_MERCY -> log.emperor("NO MERCY for vassal " + n + " !!!");
            case LOG_CURSE -> {
                if (inc.pid() > 0) { // nothing to curse if it never started
                    log.emperor("curse the uwsgi instance " + n + " (pid: " + inc.pid() + ")");
                }
            }
            case LOG_EXIT -> log.emperor("vassal " + n + (inc.pid() > 0 ? " (pid " + inc.pid() + ") " : " ")
                    + inc.exit.describe()
                    + (inc.lastFatal == null ? "" : "; last FATAL: " + inc.lastFatal));
            case LOG_START_TIMEOUT -> {
                inc.abortReason = "not ready within " + seconds(settings.startTimeout());
                log.emperor("vassal " + n + " (pid " + inc.pid() + ") " + inc.abortReason + ": killing it");
            }
            case LOG_RETRY_NOW -> log.emperor("vassal " + n + (event == VassalEvent.FILE_CHANGED
                    ? " changed during its backoff" : ": reload requested during its backoff") + ": retrying now");
            case LOG_REMOVED -> log.emperor("removed uwsgi instance " + n);
            // Issue 7: on-demand vassals.
            case LOG_ON_DEMAND, LOG_ON_DEMAND_AGAIN -> log.line(onDemand.waitingLine(n,
                    action == VassalAction.LOG_ON_DEMAND_AGAIN));
            case LOG_ON_DEMAND_UPDATED -> log.emperor("updated configuration for \"on demand\" instance " + n);
            case LOG_BACK_TO_ON_DEMAND -> log.emperor("bringing back instance " + n + " to on-demand mode");
        }
    }

    /** Issue 7: on-demand vassals. A client connected to a sleeping vassal's socket: wake it up. */
    private void connection(String name) {
        Vassal v = vassals.get(name);
        if (v != null && v.state == VassalState.ON_DEMAND && !stopping) {
            fire(v, VassalEvent.CONNECTION);
        }
    }

    private void spawn(Vassal v) {
        Incarnation inc = new Incarnation(v, ++incarnations, newToken());
        v.current = inc;
        v.spawns++;
        byToken.put(inc.token, inc);
        int limit = settings.startConcurrency();
        if (limit > 0 && starting >= limit) {
            inc.waiting = true;
            waitingToStart.add(inc);
            log.emperor("vassal " + v.name + " waits to start: " + starting + " vassal" + (starting == 1 ? " is" : "s are")
                    + " starting (--start-concurrency " + limit + ")");
            return;
        }
        launch(inc);
    }

    /** Launches an incarnation's process; it holds a start slot until it accepts requests or exits. */
    private void launch(Incarnation inc) {
        Vassal v = inc.vassal;
        inc.holdsStartSlot = true;
        starting++;
        if (settings.startConcurrency() > 0) {
            inc.startSlotLease = loop.schedule(START_SLOT_LEASE, () -> releaseStartSlot(inc));
        }
        inc.spawnedNanos = System.nanoTime();
        List<String> command = new ArrayList<>(settings.vassalCommand());
        // vassals-include, vassal-set... (issue 7); a zerg runs its lord's file's [zerg] section (broodlord)
        command.addAll(settings.fleet().arguments().argv(brood.configArgument(v.name)));
        Map<String, String> env = new HashMap<>(baseEnvironment);
        env.put(EmperorMessage.ENV_TOKEN, inc.token);
        if (setpriv != null && settings.fleet().tyrant().decide(v.stamp == null ? null : v.stamp.owner())
                instanceof Tyrant.RunAs as) { // emperor-tyrant (issue 7)
            v.record.runsAs(as.uid(), as.gid());
            if (as.uid() != dev.imperium.os.Posix.getuid() || as.gid() != dev.imperium.os.Posix.getgid()) {
                try { // Issue 8: resource limits. The user's own control socket, in a directory only it can enter
                    env.put(EmperorMessage.ENV_SOCKET, userSockets.socketFor(as.uid(), as.gid()).toString());
                } catch (IOException e) {
                    String why = "cannot make the control socket of uid " + as.uid() + ": " + e.getMessage();
                    loop.post(() -> exited(inc, ExitStatus.notStarted(why))); // gives its start slot back
                    return;
                }
                log.stamped("[emperor-tyrant] dropping privileges to " + as.uid() + " " + as.gid() + " for instance "
                        + v.name);
                command = new ArrayList<>(Tyrant.runAs(setpriv, as, command));
            }
        }
        String spawnNote = v.spawns > 1 ? " (spawn " + v.spawns + ")" : "";
        if (!launcher.describesSpawns()) { // issue 7: scale. A foreign vassal's launcher names its true command
            log.emperor("spawning vassal " + v.name + ": " + String.join(" ", command) + spawnNote);
        }
        Path dir = locator.directoryOf(v.name); // issue 7: monitors: the directory of the vassal's own monitor
        env.put(EmperorMessage.ENV_VASSALS_DIR, dir.toString());
        SocketKeeper k = keeper; // Issue 8: chaos
        if (k != null) {
            Path file = dir.resolve(v.name).toAbsolutePath().normalize();
            k.issue(inc.token, v.name, file);
            env.put(EmperorMessage.ENV_SOCKET_KEEPER, k.path().toString());
            env.put(EmperorMessage.ENV_VASSAL_FILE, file.toString());
        }
        launcher.launch(new SpawnRequest(v.name, command, dir, env,
                onDemand.stdinSocket(v.name)), new VassalLauncher.Callback() { // Issue 7: on-demand vassals
            @Override
            public void spawning(List<String> actual) {
                loop.post(() -> log.emperor("spawning vassal " + v.name + ": " + String.join(" ", actual) + spawnNote));
            }

            @Override
            public void started(Process process) {
                loop.post(() -> Supervisor.this.started(inc, process));
            }

            @Override
            public void failed(IOException error) {
                loop.post(() -> exited(inc, ExitStatus.notStarted(
                        SpawnFailure.describe(error.getMessage())))); // Issue 8: resource limits
            }
        });
    }

    /** Gives back an incarnation's start slot, if it holds one, and launches the next waiting vassal. */
    private void releaseStartSlot(Incarnation inc) {
        if (!inc.holdsStartSlot) {
            return;
        }
        inc.holdsStartSlot = false;
        starting--;
        if (inc.startSlotLease != null) {
            inc.startSlotLease.cancel();
            inc.startSlotLease = null;
        }
        int limit = settings.startConcurrency();
        while (!waitingToStart.isEmpty() && (limit == 0 || starting < limit)) {
            Incarnation next = waitingToStart.poll();
            next.waiting = false;
            Vassal v = next.vassal;
            if (v.current == next && vassals.get(v.name) == v) {
                launch(next);
                if (v.state == VassalState.STARTING || v.state == VassalState.STARTING_RELOAD_QUEUED) {
                    arm(v, settings.startTimeout(), VassalEvent.READY_TIMEOUT);
                }
            }
        }
    }

    /**
     * Stops a vassal that is still waiting for a start slot: it leaves the queue and ends at once, as a process
     * that was never launched.
     *
     * @return whether it was waiting
     */
    private boolean cancelWaiting(Incarnation inc) {
        if (inc == null || !inc.waiting) {
            return false;
        }
        inc.waiting = false;
        waitingToStart.remove(inc);
        loop.post(() -> exited(inc, ExitStatus.neverLaunched()));
        return true;
    }

    private void send(Incarnation inc, Frame frame) {
        if (inc.connection == null) {
            inc.outbox.add(frame); // sent after HELLO
        } else {
            inc.connection.send(frame); // a broken connection shows up as CONTROL_LOST
        }
    }

    private void scheduleBackoff(Vassal v, Incarnation inc) {
        v.failures++;
        Duration delay = throttle.delay(v.failures, random); // emperor-throttle, -no-blacklist (issue 7)
        String reason = inc.exit.describe();
        if (inc.abortReason != null) {
            reason = inc.abortReason + ", then " + reason;
        }
        if (inc.lastFatal != null) {
            reason += "; last FATAL: " + inc.lastFatal;
        }
        if (inc.exit.badConfig()) { // issue 8: bad configs: reported once, no crash loop; a change retries
            v.record.restarting(inc, v.failures, Duration.ZERO, reason, System.currentTimeMillis());
            log.emperor("vassal " + v.name + " has a bad config: not respawned until its file changes (fix it, or"
                    + " touch it, SIGHUP or imperium start " + v.name + " to retry)");
            if (v.timer != null) {
                v.timer.cancel();
                v.timer = null;
            }
            return;
        }
        v.record.restarting(inc, v.failures, delay, reason, System.currentTimeMillis());
        String when = delay.isZero() ? "now" : "in " + seconds(delay);
        log.emperor("respawning vassal " + v.name + " " + when + " (failure " + v.failures + " in a row: " + reason
                + (delay.isZero() ? "" : "; touch the file to retry at once") + ")");
        throttle.notice(v.name, v.failures).ifPresent(log::emperor);
        arm(v, delay, VassalEvent.BACKOFF_ELAPSED);
        watchAddress(v, inc, delay); // Issue 8: resource limits
    }

    /** Issue 8: resource limits. How often the address of a vassal that found it in use is tried. */
    static final Duration ADDRESS_PROBE_PERIOD = Duration.ofSeconds(1);

    /**
     * Issue 8: resource limits. A vassal that failed because another process holds its address: try the address
     * every {@link #ADDRESS_PROBE_PERIOD} during the backoff and respawn the vassal as soon as it is free, instead
     * of at the end of a backoff that may be minutes long. Not in new network namespaces (emperor-use-clone net),
     * where the vassal's ports are not the emperor's.
     */
    private void watchAddress(Vassal v, Incarnation inc, Duration delay) {
        if (delay.isZero() || settings.namespaces().names().contains("net")) {
            return;
        }
        BindConflict conflict = BindConflict.of(inc.lastFatal).orElse(null);
        if (conflict == null) {
            return;
        }
        if (!conflict.address().equals(v.addressInUse)) {
            log.emperor("vassal " + v.name + ": " + conflict.address() + " is in use by another process; it will be "
                    + "respawned as soon as the address is free");
            v.addressInUse = conflict.address();
        }
        EventLoop.Timer backoff = v.timer;
        loop.schedule(ADDRESS_PROBE_PERIOD, () -> probeAddress(v, conflict, backoff));
    }

    private void probeAddress(Vassal v, BindConflict conflict, EventLoop.Timer backoff) {
        if (vassals.get(v.name) != v || v.state != VassalState.BACKOFF || v.timer != backoff || stopping) {
            return; // this backoff is over
        }
        if (!PortProbe.isFree(conflict)) {
            loop.schedule(ADDRESS_PROBE_PERIOD, () -> probeAddress(v, conflict, backoff));
            return;
        }
        log.emperor(conflict.address() + " is free again: respawning vassal " + v.name + " now");
        v.timer.cancel();
        v.timer = null;
        fire(v, VassalEvent.BACKOFF_ELAPSED);
    }

    private void arm(Vassal v, Duration delay, VassalEvent event) {
        if (v.timer != null) {
            v.timer.cancel();
        }
        EventLoop.Timer[] self = new EventLoop.Timer[1];
        self[0] = loop.schedule(delay, () -> {
            if (v.timer == self[0] && vassals.get(v.name) == v) {
                v.timer = null;
                fire(v, event);
            }
        });
        v.timer = self[0];
    }

    private String newToken() {
        byte[] bytes = new byte[16];
        tokenSource.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int parseGeneration(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String oneLine(String text) {
        String s = text.strip().replace('\n', ' ').replace('\r', ' ');
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
