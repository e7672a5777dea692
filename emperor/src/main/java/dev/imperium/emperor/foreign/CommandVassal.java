package dev.imperium.emperor.foreign;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.emperor.SpawnRequest;
import dev.imperium.emperor.VassalLauncher;
import dev.imperium.os.Credentials;
import dev.imperium.os.Posix;
import dev.imperium.vassal.ListenSocket;
import dev.imperium.vassal.SocketSpec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One incarnation of a command vassal ({@code imperium-runtime = command}): any program, given the sockets the
 * emperor binds in systemd's socket-activation convention ({@code LISTEN_FDS}, {@link ListenFdsExec}), supervised
 * like an Imperium vassal.
 *
 * <p>The emperor binds the file's sockets once per incarnation and keeps them open across reloads, so a connection
 * that arrives while no program accepts waits in the socket's queue instead of being refused. Each program is
 * started through {@link ListenFdsExec} and leads its own process group. It is ready once it runs
 * ({@code imperium-ready = exec}, systemd's {@code Type=exec}) or when it sends {@code READY=1} to
 * {@code NOTIFY_SOCKET} ({@code notify}); a {@code WATCHDOG=1} counts as a heartbeat.
 *
 * <p>A reload with {@code notify} starts the new program next to the old one and stops the old one (SIGTERM to its
 * group, SIGKILL after the reload mercy) once the new one is ready; if the new one exits first or is not ready within
 * the start timeout, the reload is refused and the old one keeps serving. A reload with {@code exec} stops the old
 * program first, then starts the new one (two copies of an arbitrary program might not coexist). A stop sends SIGTERM
 * to the program's group; the supervisor sends SIGKILL after the mercy. The program's exit that was not asked for
 * ends the vassal, and the supervisor respawns it with its backoff.
 *
 * <p>The supervisor sees one process ({@link VassalProcess}) and a control connection over which this class speaks
 * for the program: SPAWNED, ACCEPTING with a generation number (one per program), RELOAD_FAILED, HEARTBEAT.
 */
final class CommandVassal {
    private final ForeignLauncher owner;
    private final SpawnRequest request;
    private final List<ListenSocket> sockets;
    private final VassalLauncher.Callback callback;
    private final String name;
    /** The settings the sockets were bound with (a reload may change chdir, not the sockets). */
    private final ForeignSpec boundFrom;

    // Guarded by this.
    /** The file's settings: read at the spawn, and again at each reload (the next program's command, env...). */
    private ForeignSpec spec;
    private VassalProcess vassal;
    private ControlConnection link;
    private Program current;
    /** A new program of a notify reload, not ready yet. */
    private Program next;
    private final List<Process> running = new ArrayList<>();
    private int programs;
    private int generation;
    /** An exec reload: the current program is stopping, the next starts when it is gone. */
    private boolean restarting;
    private boolean stopping;
    private boolean finished;

    /** One program run. */
    private static final class Program {
        final int number;
        final ForeignSpec.Readiness readiness;
        /** Started without the helper JVM (no sockets): {@link ProgramCommand#direct}. */
        boolean direct;
        Process process;
        FdProxy proxy;
        NotifySocket notify;
        boolean ready;
        /** The emperor stopped it: its exit is no crash. */
        boolean stopped;
        /** Why its exec failed, when that was known before the vassal's control connection was. */
        String failure;
        ScheduledFuture<?> mercy;
        ScheduledFuture<?> readyTimeout;

        Program(int number, ForeignSpec.Readiness readiness) {
            this.number = number;
            this.readiness = readiness;
        }
    }

    private CommandVassal(ForeignLauncher owner, SpawnRequest request, ForeignSpec spec, List<ListenSocket> sockets,
                          VassalLauncher.Callback callback) {
        this.owner = owner;
        this.request = request;
        this.spec = spec;
        this.sockets = sockets;
        this.callback = callback;
        this.name = request.vassalName();
        this.boundFrom = spec;
    }

    /**
     * Binds the vassal's sockets and starts its first program.
     *
     * @throws IOException if a socket cannot be bound (the supervisor logs it and backs off)
     */
    static void launch(ForeignLauncher owner, SpawnRequest request, ForeignSpec spec, VassalLauncher.Callback callback)
            throws IOException {
        Path dir = workDir(request, spec);
        List<String> privileges = privileges(request, spec);
        if (!privileges.isEmpty() && owner.setpriv() == null) {
            throw new IOException("uid/gid of a command vassal need setpriv (util-linux), and none is on the PATH");
        }
        // Issue 7: scale. The sockets kept since a crash of its program, else new ones.
        HeldSockets.Taken taken = owner.held().take(request.vassalName(), spec.sockets(), spec.listen(), dir);
        List<ListenSocket> bound = taken.sockets();
        CommandVassal vassal = new CommandVassal(owner, request, spec, bound, callback);
        owner.log("vassal " + request.vassalName() + " runs a command: " + quoted(spec.command())
                + " (" + (bound.isEmpty() ? "no sockets" : "LISTEN_FDS=" + bound.size() + ": " + String.join(", ",
                        bound.stream().map(s -> s.address() + " " + s.spec().protocol().wireName()).toList())
                        + (taken.kept() ? ", kept open since its crash" : ""))
                + "; ready at " + (spec.ready() == ForeignSpec.Readiness.NOTIFY ? "READY=1" : "exec") + ")");
        if (spec.user() != null && privileges.isEmpty() && spec.user().uid() + spec.user().gid() > -2) {
            owner.log("vassal " + request.vassalName() + ": uid/gid ignored: the emperor does not run as root");
        }
        synchronized (vassal) {
            vassal.startProgram();
        }
    }

    /**
     * Issue 7: scale. The setpriv options the program runs with: tyrant mode's (the file's owner), else the file's
     * {@code uid}/{@code gid} when the emperor is root.
     */
    private static List<String> privileges(SpawnRequest request, ForeignSpec spec) {
        List<String> tyrant = ForeignLauncher.tyrantOptions(request.command());
        return !tyrant.isEmpty() ? tyrant : ProgramCommand.privilegeOptions(spec.user(), Credentials.effectiveUid());
    }

    /** The command as one could type it again: words with blanks or quotes in single quotes. */
    static String quoted(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            boolean plain = !w.isEmpty()
                    && w.chars().noneMatch(c -> Character.isWhitespace(c) || "'\"\\$`;&|<>()*?~#".indexOf(c) >= 0);
            if (plain) {
                out.append(w);
            } else {
                out.append('\'').append(w.replace("'", "'\\''")).append('\'');
            }
        }
        return out.toString();
    }

    private static Path workDir(SpawnRequest request, ForeignSpec spec) {
        return spec.chdir() == null ? request.workingDirectory()
                : request.workingDirectory().resolve(spec.chdir()).normalize();
    }

    // ------------------------------------------------------------------ programs (all under this)

    private void startProgram() {
        Program program = new Program(++programs, spec.ready());
        // Issue 7: scale. Without sockets, no helper JVM: setsid and setpriv replace themselves with the program.
        program.direct = sockets.isEmpty() && owner.setsid() != null && owner.setpriv() != null;
        String id = UwsgiVassal.shortId(ForeignLauncher.token(request)) + "-" + program.number;
        Path runtimeDir;
        String cannotRun = ProgramCommand.cannotRun(spec.command().getFirst(), workDir(request, spec),
                programPath());
        if (cannotRun != null) { // as execvp would find out, before anything is started
            programFailedToStart(program, new IOException(cannotRun));
            return;
        }
        try {
            runtimeDir = ForeignLauncher.runtimeDir(request);
            if (!program.direct) {
                program.proxy = FdProxy.open(runtimeDir.resolve("listen-" + id + ".sock"));
            }
            if (program.readiness == ForeignSpec.Readiness.NOTIFY) {
                program.notify = NotifySocket.open(runtimeDir.resolve("notify-" + id + ".sock"), "notify-" + name,
                        message -> notified(program, message));
            }
        } catch (IOException e) {
            closeSockets(program);
            programFailedToStart(program, new IOException("cannot prepare the program's sockets: " + e.getMessage(),
                    e));
            return;
        }
        if (current == null || restarting) {
            current = program;
        } else {
            next = program;
        }
        List<String> privileges = privileges(request, spec);
        List<String> command;
        if (program.direct) {
            command = ProgramCommand.direct(owner.setsid(), owner.setpriv(), privileges, spec.command());
        } else {
            int[] fds = sockets.stream().mapToInt(ListenSocket::fd).toArray();
            program.proxy.serve("listen-fds-" + name, fds, new byte[] {(byte) fds.length}, owner.startTimeout(),
                    conn -> awaitExec(program, conn), why -> owner.log("vassal " + name + ": " + why), () -> { });
            command = helperCommand(ProgramCommand.throughHelper(owner.setpriv(), privileges, spec.command()));
        }
        Map<String, String> env = environment(program);
        if (vassal == null && program.number == 1) { // the supervisor's "spawning vassal" line names the program
            callback.spawning(program.direct ? command
                    : ProgramCommand.throughHelper(owner.setpriv(), privileges, spec.command()));
        }
        owner.delegate().launch(new SpawnRequest(name, command, workDir(request, spec), env),
                new VassalLauncher.Callback() {
                    @Override
                    public void started(Process process) {
                        programStarted(program, process);
                    }

                    @Override
                    public void failed(IOException error) {
                        synchronized (CommandVassal.this) {
                            closeSockets(program);
                            programFailedToStart(program, error);
                        }
                    }
                });
        if (program == next) {
            program.readyTimeout = owner.timers().schedule(() -> readyTimedOut(program),
                    owner.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Map<String, String> environment(Program program) {
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        env.remove(EmperorMessage.ENV_SOCKET);
        env.remove(EmperorMessage.ENV_TOKEN);
        env.putAll(spec.env());
        if (program.direct) { // what the helper would give a program without sockets: no emperor variable
            env = ListenFdsExec.environment(env, 0, 0);
        } else {
            env.put(ListenFdsExec.ENV_PROXY, program.proxy.path().toString());
            env.put(ListenFdsExec.ENV_NAMES, String.join(":", spec.socketNames()));
            env.put(ListenFdsExec.ENV_COUNT, Integer.toString(sockets.size()));
        }
        if (program.notify != null) {
            env.put("NOTIFY_SOCKET", program.notify.path().toString());
        } else {
            env.remove("NOTIFY_SOCKET");
        }
        return env;
    }

    /** The PATH the program is looked up on: its {@code env}'s, else the emperor's. */
    private String programPath() {
        String path = spec.env().get("PATH");
        return path != null ? path : request.environment().get("PATH");
    }

    private synchronized void programStarted(Program program, Process process) {
        program.process = process;
        running.add(process);
        process.onExit().thenAccept(p -> programExited(program, p.exitValue()));
        if (vassal == null) { // the first program: the vassal now runs
            vassal = new VassalProcess(process, this::runningPrograms);
            callback.started(vassal);
            connect(process.pid());
            send(Frame.of(EmperorMessage.SPAWNED));
            if (program.failure != null) {
                send(Frame.of(EmperorMessage.FATAL, program.failure));
            }
        }
        if (program == current) {
            vassal.current(process);
        }
        if (stopping || finished) {
            terminate(program, Posix.SIGTERM);
        } else if (program.direct && program.readiness == ForeignSpec.Readiness.EXEC) {
            ready(program); // setsid and setpriv exec the program, which was found executable
        }
    }

    private synchronized List<Process> runningPrograms() {
        return List.copyOf(running);
    }

    /** The first program could not be launched: the vassal never ran. A later one: its reload failed. */
    private void programFailedToStart(Program program, IOException error) {
        if (vassal == null) {
            finished = true;
            releaseSockets(false);
            callback.failed(error);
            return;
        }
        owner.log("vassal " + name + ": cannot start its program: " + error.getMessage());
        if (program == next) {
            next = null;
            send(Frame.of(EmperorMessage.RELOAD_FAILED, "cannot start the new program: " + error.getMessage()));
        } else if (program == current) {
            finish(127);
        }
    }

    /** Reads the handover connection to its end: closed empty, the exec succeeded; else the reason it failed. */
    private void awaitExec(Program program, int conn) {
        byte[] buffer = new byte[1024];
        StringBuilder failure = new StringBuilder();
        try {
            for (int n; (n = Native.read(conn, buffer)) > 0; ) {
                failure.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } finally {
            Posix.close(conn);
        }
        if (failure.isEmpty()) {
            if (program.readiness == ForeignSpec.Readiness.EXEC) {
                ready(program);
            }
        } else {
            String why = failure.substring(failure.charAt(0) == ListenFdsExec.FAILED ? 1 : 0).strip();
            synchronized (this) {
                if (program == next) {
                    send(Frame.of(EmperorMessage.RELOAD_FAILED, why));
                } else if (program == current && link != null) {
                    send(Frame.of(EmperorMessage.FATAL, why));
                } else {
                    program.failure = why; // told once the connection is up
                }
            }
        }
    }

    private void notified(Program program, NotifyMessage message) {
        if (message.ready()) {
            ready(program);
        }
        if ("1".equals(message.fields().get("WATCHDOG"))) {
            synchronized (this) {
                if (program == current) {
                    send(Frame.of(EmperorMessage.HEARTBEAT));
                }
            }
        }
    }

    private synchronized void ready(Program program) {
        if (program.ready || stopping || finished || (program != current && program != next)) {
            return;
        }
        program.ready = true;
        if (program.readyTimeout != null) {
            program.readyTimeout.cancel(false);
        }
        if (program == next) {
            Program old = current;
            current = program;
            next = null;
            vassal.current(program.process);
            terminate(old, Posix.SIGTERM);
        }
        restarting = false;
        send(Frame.of(EmperorMessage.ACCEPTING, Integer.toString(++generation)));
    }

    private void readyTimedOut(Program program) {
        synchronized (this) {
            if (program != next || program.ready) {
                return;
            }
            next = null;
            send(Frame.of(EmperorMessage.RELOAD_FAILED, "the new program did not send READY=1 within "
                    + owner.startTimeout().toSeconds() + " s; the old one keeps serving"));
            terminate(program, Posix.SIGKILL);
        }
    }

    private synchronized void programExited(Program program, int value) {
        running.remove(program.process);
        closeSockets(program);
        if (program.mercy != null) {
            program.mercy.cancel(false);
        }
        if (program.readyTimeout != null) {
            program.readyTimeout.cancel(false);
        }
        sweep(program.process.pid());
        if (finished) {
            return;
        }
        if (program == next) {
            next = null;
            send(Frame.of(EmperorMessage.RELOAD_FAILED, "the new program " + describe(value)
                    + " before it was ready; the old one keeps serving"));
            return;
        }
        if (program != current) {
            return; // an old program, stopped after a reload
        }
        if (restarting && !stopping) {
            startProgram(); // an exec reload: the old one is gone, the new one takes the sockets
            return;
        }
        if (next != null) {
            terminate(next, Posix.SIGKILL);
        }
        finish(value);
    }

    private static String describe(int value) {
        return value > 128 && value < 128 + 65 ? "was killed by signal " + (value - 128) : "exited with code " + value;
    }

    /** Ends the vassal: the supervisor sees its process exit. */
    private void finish(int value) {
        if (finished) {
            return;
        }
        finished = true;
        releaseSockets(stopping);
        if (vassal != null) {
            vassal.finish(value);
        }
        ControlConnection c = link;
        if (c != null) {
            c.close();
        }
    }

    /**
     * Issue 7: scale. Closes the vassal's sockets when it was stopped; after a crash the emperor keeps them for the
     * next start ({@link HeldSockets}), so connections wait in their queue instead of being refused.
     */
    private void releaseSockets(boolean stopped) {
        if (stopped) {
            sockets.forEach(ListenSocket::close);
        } else {
            owner.held().keep(name, boundFrom.sockets(), boundFrom.listen(), workDir(request, boundFrom), sockets);
        }
    }

    private void terminate(Program program, int signal) {
        terminate(program, signal, true);
    }

    /**
     * Signals a program's group; with {@code mercy}, SIGKILL follows after the reload mercy (a stop of the vassal
     * leaves that to the supervisor, which kills the whole vassal after the same mercy).
     */
    private void terminate(Program program, int signal, boolean mercy) {
        if (program == null) {
            return;
        }
        program.stopped = true;
        Process p = program.process;
        if (p == null || !p.isAlive()) {
            return; // not started yet: stopped when it starts (programStarted)
        }
        if (Posix.kill(-p.pid(), signal) < 0) {
            Posix.kill(p.pid(), signal);
        }
        if (mercy && signal != Posix.SIGKILL && program.mercy == null) {
            program.mercy = owner.timers().schedule(() -> {
                synchronized (this) {
                    if (p.isAlive()) {
                        owner.log("vassal " + name + ": program (pid " + p.pid() + ") still running "
                                + owner.reloadMercy().toSeconds() + " s after SIGTERM: SIGKILL");
                        terminate(program, Posix.SIGKILL);
                    }
                }
            }, owner.reloadMercy().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Kills what is left of an exited program's process group (children it left behind). */
    private static void sweep(long pgid) {
        if (pgid > 0 && Posix.getpgid(pgid) == -Posix.ESRCH) {
            Posix.kill(-pgid, Posix.SIGKILL);
        }
    }

    private void closeSockets(Program program) {
        if (program.proxy != null) {
            program.proxy.close();
        }
        if (program.notify != null) {
            program.notify.close();
        }
    }

    // ------------------------------------------------------------------ the supervisor's side

    private void connect(long pid) {
        try {
            ControlConnection c = ControlConnection.connect(ForeignLauncher.controlSocket(request));
            c.send(Frame.of(EmperorMessage.HELLO, ForeignLauncher.token(request) + " " + pid));
            link = c;
            Thread.ofVirtual().name("command-link-" + name).start(() -> c.readLoop(this::fromSupervisor,
                    this::linkClosed));
        } catch (IOException e) {
            owner.log("vassal " + name + ": cannot reach the emperor's control socket: " + e.getMessage());
        }
    }

    private void send(Frame frame) {
        ControlConnection c = link;
        if (c != null) {
            c.trySend(frame);
        }
    }

    private void fromSupervisor(Frame frame) {
        ForeignSpec reread = null;
        String refused = null;
        if (frame.type() == EmperorMessage.RELOAD) { // read the file before taking the lock
            try {
                reread = owner.read(request, true);
                refused = refusal(reread);
            } catch (IllegalArgumentException e) {
                refused = e.getMessage();
            }
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            switch (frame.type()) {
                case EmperorMessage.RELOAD -> {
                    if (refused != null) {
                        send(Frame.of(EmperorMessage.RELOAD_FAILED, refused));
                    } else {
                        reload(reread);
                    }
                }
                case EmperorMessage.STOP_GRACEFUL -> stop(Posix.SIGTERM);
                case EmperorMessage.STOP -> stop(Posix.SIGINT);
                default -> { }
            }
        }
    }

    /**
     * Returns why a reload with the file's new settings cannot be done by replacing the program, or null: another
     * runtime, or other sockets (the emperor keeps the ones it bound; both take effect at the vassal's next start).
     */
    private synchronized String refusal(ForeignSpec reread) {
        if (reread.runtime() != VassalRuntime.COMMAND) {
            return "imperium-runtime is now " + reread.runtime().key() + ": that takes effect when the vassal"
                    + " starts again (imperium stop and start, or remove the file and add it back)";
        }
        if (!sameSockets(spec.sockets(), reread.sockets())) {
            return "its sockets changed (" + String.join(", ", reread.sockets().stream().map(s -> s.spec().trim())
                    .toList()) + "): the emperor keeps the ones it bound until the vassal starts again"
                    + " (imperium stop and start, or remove the file and add it back)";
        }
        return null;
    }

    private static boolean sameSockets(List<SocketSpec> a, List<SocketSpec> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).spec().trim().equals(b.get(i).spec().trim()) || a.get(i).protocol() != b.get(i).protocol()) {
                return false;
            }
        }
        return true;
    }

    private void reload(ForeignSpec reread) {
        if (stopping || restarting || next != null) {
            return; // one reload at a time; the supervisor queues the next
        }
        spec = reread;
        if (spec.ready() == ForeignSpec.Readiness.NOTIFY) {
            startProgram(); // next to the current one, which stops once the new one is ready
        } else {
            restarting = true;
            terminate(current, Posix.SIGTERM); // startProgram when it is gone
        }
    }

    private void stop(int signal) {
        stopping = true;
        if (next != null) {
            terminate(next, Posix.SIGKILL);
        }
        terminate(current, signal, false);
    }

    /** The supervisor hung up while the vassal runs (the emperor is going away): stop everything. */
    private synchronized void linkClosed() {
        if (finished) {
            return;
        }
        stopping = true;
        terminate(next, Posix.SIGTERM);
        terminate(current, Posix.SIGTERM);
    }

    // ------------------------------------------------------------------ the helper's command line

    /**
     * Returns the command that runs {@code program} through {@link ListenFdsExec}: this JVM's {@code java}, its
     * class path and its JVM flags that matter for a quick start (the AOT cache, the GC), and a small heap.
     */
    static List<String> helperCommand(List<String> program) {
        List<String> command = new ArrayList<>();
        String java = System.getProperty("imperium.java");
        command.add(java != null && !java.isBlank() ? java
                : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(helperFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ListenFdsExec.class.getName());
        command.addAll(program);
        return command;
    }

    /** The emperor JVM's flags the helper JVM keeps: {@code -XX:} options (not AOT recording) and native access. */
    static List<String> helperFlags(List<String> emperorFlags) {
        List<String> flags = new ArrayList<>();
        for (String flag : emperorFlags) {
            if ((flag.startsWith("-XX:") && !flag.startsWith("-XX:AOTCacheOutput") && !flag.startsWith("-XX:MaxRAM")
                    && !flag.startsWith("-XX:+HeapDumpOnOutOfMemoryError")) || flag.startsWith("--enable-native-access")
                    || flag.startsWith("-Xlog:aot") || flag.startsWith("-Xlog:cds")) {
                flags.add(flag);
            }
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--enable-native-access"))) {
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        flags.addAll(Arrays.asList("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xss256k"));
        return flags;
    }
}
