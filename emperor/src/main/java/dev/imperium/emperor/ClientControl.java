package dev.imperium.emperor;

import dev.imperium.emperor.client.ControlReply;
import dev.imperium.emperor.client.ControlReply.CommandResult;
import dev.imperium.emperor.client.ControlRequest;
import dev.imperium.emperor.client.VassalStatus;
import dev.imperium.emperor.stats.StatsReport;
import dev.imperium.vassal.Version;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out the requests of local clients ({@code imperium status|reload|stop|start|logs}) on the emperor's event
 * loop, where all supervision state lives: it reads {@link Vassal}s there, feeds operator events to their state
 * machines through the {@link Supervisor}, and, as the supervisor's {@link VassalObserver}, answers a waiting
 * command when the transition that ends it happens (the new generation accepts, the reload is refused, the vassal
 * is gone, it failed and backs off).
 *
 * <p><b>Stopped by the operator.</b> {@code stop NAME} stops the vassal gracefully, as removing its file would, and
 * remembers the name as held: the emperor forgets the vassal but shows it as {@code STOPPED} while its file is
 * there. A held vassal starts again on {@code start NAME}, or when its file changes (a {@code touch}, a new
 * version), exactly as a new file would; removing the file forgets it. Holds live in memory: an emperor that
 * restarts starts every vassal whose file is in the directory.
 *
 * <p>Only {@link #handle} may be called from other threads; everything else runs on the loop.
 */
final class ClientControl implements VassalObserver {
    /** The outcome of one vassal's part of a command, or null while it is still under way. */
    @FunctionalInterface
    private interface Waiter {
        CommandResult check(Vassal vassal, VassalEvent event, Transition transition);
    }

    private final Supervisor supervisor;
    private final EventLoop loop;
    private final VassalLogs logs;
    private final EmperorSettings settings;
    private final StatsReportCache reports;
    private final long startedNanos = System.nanoTime();

    // Loop-thread state.
    /** Vassals stopped by {@code imperium stop}, with when (epoch ms). */
    private final Map<String, Long> held = new TreeMap<>();
    private final Map<String, List<Pending>> waiting = new HashMap<>();

    private record Pending(Waiter waiter, CompletableFuture<CommandResult> result) {
    }

    /**
     * Creates the handler and registers it as the supervisor's observer (call before the loop runs, or on it).
     *
     * @param supervisor the supervisor whose vassals are driven
     * @param loop the loop all state lives on
     * @param logs the vassals' kept output
     * @param settings the emperor's settings (the vassal directory is absolute)
     * @param reports the vassals' parsed stats reports, shared with the emperor's other readers
     */
    ClientControl(Supervisor supervisor, EventLoop loop, VassalLogs logs, EmperorSettings settings,
                  StatsReportCache reports) {
        this.supervisor = supervisor;
        this.loop = loop;
        this.logs = logs;
        this.settings = settings;
        this.reports = reports;
        supervisor.observer(this);
    }

    /**
     * Carries out a request on the loop; callable from any thread.
     *
     * @param request the decoded request
     * @return completes (on the loop) with the reply; for {@link ControlRequest.Op#LOGS} with
     *     {@link ControlReply.LogsStart} when the vassal is known, the lines being the caller's to send
     */
    CompletableFuture<ControlReply> handle(ControlRequest request) {
        CompletableFuture<ControlReply> reply = new CompletableFuture<>();
        loop.post(() -> {
            try {
                dispatch(request, reply);
            } catch (RuntimeException e) {
                reply.complete(new ControlReply.Failure(ControlReply.Failure.BAD_REQUEST, "internal error: " + e));
                throw e;
            }
        });
        return reply;
    }

    /** Returns the vassals' kept output, for the LOGS stream. */
    VassalLogs logs() {
        return logs;
    }

    private void dispatch(ControlRequest request, CompletableFuture<ControlReply> reply) {
        if (request.op() != ControlRequest.Op.STATUS && request.op() != ControlRequest.Op.LOGS
                && supervisor.isStopping()) {
            reply.complete(new ControlReply.Failure(ControlReply.Failure.STOPPING, "the emperor is stopping"));
            return;
        }
        switch (request.op()) {
            case STATUS -> reply.complete(status(request.vassal()));
            case LOGS -> reply.complete(knows(request.vassal()) || logs.find(request.vassal()) != null
                    ? new ControlReply.LogsStart(request.vassal(), 0) : notFound(request.vassal()));
            case RELOAD -> command(request, reply, this::reload);
            case STOP -> command(request, reply, this::stop);
            case START -> command(request, reply, this::start);
        }
    }

    /** Runs one vassal command (or, for {@code reload --all}, one per vassal) and completes with every result. */
    private void command(ControlRequest request, CompletableFuture<ControlReply> reply,
                         java.util.function.BiFunction<String, Boolean, CompletableFuture<CommandResult>> each) {
        List<String> names;
        if (request.all()) {
            names = new ArrayList<>();
            supervisor.vassals().forEach(v -> names.add(v.name));
        } else {
            String name = request.vassal();
            boolean exists = request.op() == ControlRequest.Op.START ? hasFile(name) : knows(name);
            if (!exists) {
                reply.complete(notFound(name));
                return;
            }
            names = List.of(name);
        }
        List<CompletableFuture<CommandResult>> results = new ArrayList<>();
        for (String name : names) {
            results.add(each.apply(name, request.waitForResult()));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenRun(() -> reply.complete(
                new ControlReply.Results(results.stream().map(CompletableFuture::join)
                        .sorted(Comparator.comparing(CommandResult::vassal)).toList())));
    }

    // ------------------------------------------------------------------ status

    private ControlReply status(String name) {
        if (name != null && !knows(name)) {
            return notFound(name);
        }
        pruneHeld();
        Map<String, VassalStatus> byName = new TreeMap<>();
        long now = System.nanoTime();
        for (Vassal v : supervisor.vassals()) {
            if (name == null || name.equals(v.name)) {
                byName.put(v.name, status(v, now));
            }
        }
        for (Map.Entry<String, Long> h : held.entrySet()) {
            if ((name == null || name.equals(h.getKey())) && !byName.containsKey(h.getKey())) {
                byName.put(h.getKey(), new VassalStatus(h.getKey(), VassalStatus.State.STOPPED, "STOPPED", -1, 0, -1,
                        0, 0, -1, null, 0, -1, -1, null));
            }
        }
        ControlReply.EmperorInfo emperor = new ControlReply.EmperorInfo(ProcessHandle.current().pid(),
                Version.VERSION, settings.vassalDir().toString(), (now - startedNanos) / 1e9);
        return new ControlReply.Status(emperor, List.copyOf(byName.values()));
    }

    private VassalStatus status(Vassal v, long now) {
        Vassal.Incarnation inc = v.current;
        long pid = inc != null && inc.pid() > 0 ? inc.pid() : -1;
        double uptime = inc != null && inc.pid > 0 ? Math.max(0, now - inc.spawnedNanos) / 1e9 : -1;
        double backoff = v.state == VassalState.BACKOFF ? Math.max(0, v.record.backoffUntilNanos - now) / 1e9 : -1;
        StatsReport stats = reports.report(v.name, v.lastStatsJson);
        return new VassalStatus(v.name, word(v.state), v.state.name(), pid, inc == null ? 0 : inc.generation, uptime,
                Math.max(0, v.spawns - 1), v.failures, backoff, v.record.lastError, v.record.lastErrorAt,
                stats == null ? -1 : stats.busyWorkers(), stats == null ? -1 : stats.workers().size(),
                stats == null ? null : v.lastStatsJson);
    }

    /** The state in one word, as {@code imperium status} shows it. */
    static VassalStatus.State word(VassalState state) {
        return switch (state) {
            case NEW, STARTING, STARTING_RELOAD_QUEUED -> VassalStatus.State.STARTING;
            case RUNNING -> VassalStatus.State.RUNNING;
            case RELOADING, RELOADING_RELOAD_QUEUED -> VassalStatus.State.RELOADING;
            case ABORTING -> VassalStatus.State.FAILING;
            case BACKOFF -> VassalStatus.State.BACKOFF;
            case STOPPING, STOPPING_THEN_START, KILLING, KILLING_THEN_START, GOING_ON_DEMAND, GONE ->
                    VassalStatus.State.STOPPING;
            case ON_DEMAND -> VassalStatus.State.ON_DEMAND; // Issue 7: on-demand vassals
        };
    }

    // ------------------------------------------------------------------ commands

    private CompletableFuture<CommandResult> reload(String name, boolean wait) {
        Vassal v = supervisor.vassal(name);
        if (v == null) {
            return done(name, false, held.containsKey(name)
                    ? "stopped: start it with 'imperium start " + name + "'" : "not running");
        }
        switch (v.state) {
            case ABORTING -> {
                return done(name, false, "it failed and is being killed; the emperor restarts it");
            }
            case STOPPING, STOPPING_THEN_START, KILLING, KILLING_THEN_START, GONE -> {
                return done(name, false, "it is stopping");
            }
            default -> {
                CompletableFuture<CommandResult> result = wait ? await(name, this::reloadEnded) : null;
                supervisor.request(v, VassalEvent.RELOAD_REQUESTED);
                return result != null ? result : done(name, true, "reload requested");
            }
        }
    }

    private CommandResult reloadEnded(Vassal v, VassalEvent event, Transition t) {
        Vassal.Incarnation inc = v.current;
        if (t.actions().contains(VassalAction.LOG_READY)) {
            return ok(v, "generation " + inc.generation + " accepting (pid " + inc.pid() + ")");
        }
        if (t.actions().contains(VassalAction.LOG_RELOAD_FAILED)) {
            return fail(v, "reload refused: " + (inc.lastReloadFailure == null ? "no reason given"
                    : inc.lastReloadFailure) + "; generation " + inc.generation + " keeps serving");
        }
        if (t.actions().contains(VassalAction.LOG_RELOAD_TIMEOUT)) {
            return fail(v, "no answer to the reload within " + Supervisor.seconds(settings.startTimeout())
                    + "; generation " + inc.generation + " keeps serving");
        }
        return failedOrGone(v, t);
    }

    private CompletableFuture<CommandResult> stop(String name, boolean wait) {
        Vassal v = supervisor.vassal(name);
        if (v == null) {
            return done(name, true, "already stopped");
        }
        held.put(name, System.currentTimeMillis());
        CompletableFuture<CommandResult> result = wait ? await(name, (vassal, event, t) -> {
            if (t.next() == VassalState.GONE) {
                return ok(vassal, "stopped");
            }
            if (t.actions().contains(VassalAction.SPAWN)) {
                return ok(vassal, "stopped, and started again: its file changed meanwhile");
            }
            return null;
        }) : null;
        if (v.state == VassalState.STOPPING || v.state == VassalState.KILLING) {
            return result != null ? result : done(name, true, "stopping");
        }
        supervisor.request(v, VassalEvent.STOP_REQUESTED);
        return result != null ? result : done(name, true, "stop requested");
    }

    private CompletableFuture<CommandResult> start(String name, boolean wait) {
        Vassal v = supervisor.vassal(name);
        held.remove(name);
        if (v != null) {
            switch (v.state) {
                case RUNNING, RELOADING, RELOADING_RELOAD_QUEUED -> {
                    Vassal.Incarnation inc = v.current;
                    return done(name, true, "already running (generation " + inc.generation + ", pid " + inc.pid()
                            + ")");
                }
                case ABORTING -> {
                    return done(name, false, "it failed and is being killed; the emperor restarts it");
                }
                default -> { }
            }
        }
        CompletableFuture<CommandResult> result = wait ? await(name, this::startEnded) : null;
        if (v == null) {
            Tyrant tyrant = settings.fleet().tyrant(); // in tyrant mode the watcher's stamps carry the owner
            Optional<FileStamp> stamp = FileStamp.of(supervisor.locator().fileOf(name), tyrant.enabled(),
                    tyrant.nofollow());
            if (stamp.isEmpty()) {
                cancel(name, result);
                return done(name, false, "its file is gone");
            }
            supervisor.fileChanged(new VassalFileChange(VassalFileChange.Kind.ADDED, name, stamp.get(),
                    System.nanoTime()));
        } else if (v.state == VassalState.BACKOFF) {
            supervisor.request(v, VassalEvent.RELOAD_REQUESTED); // retries now
        } else if (v.state == VassalState.STOPPING || v.state == VassalState.KILLING) {
            supervisor.request(v, VassalEvent.FILE_CHANGED); // starts again once the old process is gone
        }
        return result != null ? result : done(name, true, "start requested");
    }

    private CommandResult startEnded(Vassal v, VassalEvent event, Transition t) {
        if (t.actions().contains(VassalAction.LOG_READY)) {
            Vassal.Incarnation inc = v.current;
            return ok(v, "generation " + inc.generation + " accepting (pid " + inc.pid() + ")");
        }
        return failedOrGone(v, t);
    }

    /** The common endings of a command that waits for a vassal to serve: it failed, or it was stopped. */
    private CommandResult failedOrGone(Vassal v, Transition t) {
        if (t.actions().contains(VassalAction.SCHEDULE_BACKOFF)) {
            return fail(v, "failed: " + v.record.lastError + "; next attempt in "
                    + Supervisor.seconds(Duration.ofMillis(v.record.backoffDelayMillis)));
        }
        if (t.next() == VassalState.GONE || t.actions().contains(VassalAction.LOG_STOP)) {
            return fail(v, "stopped before it accepted requests");
        }
        return null;
    }

    // ------------------------------------------------------------------ the observer

    @Override
    public void fired(Vassal v, VassalEvent event, Transition t) {
        if (event == VassalEvent.FILE_CHANGED) {
            held.remove(v.name); // a touch (or a new version) starts a held vassal, as a new file would
        }
        List<Pending> pending = waiting.get(v.name);
        if (pending != null) {
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                CommandResult r = p.waiter().check(v, event, t);
                if (r != null) {
                    it.remove();
                    p.result().complete(r);
                }
            }
            if (pending.isEmpty()) {
                waiting.remove(v.name);
            }
        }
        if (t.next() == VassalState.GONE && !held.containsKey(v.name)) {
            logs.remove(v.name);
        }
    }

    // ------------------------------------------------------------------ helpers

    private boolean knows(String name) {
        return supervisor.vassal(name) != null || held.containsKey(name);
    }

    /** Whether {@code name} is a vassal file in the directory (one the emperor would run). */
    private boolean hasFile(String name) {
        return supervisor.locator().hasFile(name); // a directory, a glob, several monitors (issue 7)
    }

    /** Forgets held vassals whose file is gone. */
    private void pruneHeld() {
        for (String name : new TreeSet<>(held.keySet())) {
            if (supervisor.vassal(name) == null && !Files.isRegularFile(supervisor.locator().fileOf(name))) {
                held.remove(name);
                logs.remove(name);
            }
        }
    }

    private CompletableFuture<CommandResult> await(String name, Waiter waiter) {
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        waiting.computeIfAbsent(name, n -> new ArrayList<>(1)).add(new Pending(waiter, result));
        return result;
    }

    private void cancel(String name, CompletableFuture<CommandResult> result) {
        List<Pending> pending = waiting.get(name);
        if (pending != null) {
            pending.removeIf(p -> p.result() == result);
            if (pending.isEmpty()) {
                waiting.remove(name);
            }
        }
    }

    private ControlReply.Failure notFound(String name) {
        return new ControlReply.Failure(ControlReply.Failure.NOT_FOUND, "no vassal " + name + " in "
                + settings.vassalDir());
    }

    private static CompletableFuture<CommandResult> done(String name, boolean ok, String message) {
        return CompletableFuture.completedFuture(new CommandResult(name, ok, message));
    }

    private static CommandResult ok(Vassal v, String message) {
        return new CommandResult(v.name, true, message);
    }

    private static CommandResult fail(Vassal v, String message) {
        return new CommandResult(v.name, false, message);
    }
}
