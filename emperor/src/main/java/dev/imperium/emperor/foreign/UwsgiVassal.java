package dev.imperium.emperor.foreign;

import dev.imperium.control.ControlConnection;
import dev.imperium.control.EmperorMessage;
import dev.imperium.control.Frame;
import dev.imperium.emperor.SpawnRequest;
import dev.imperium.emperor.VassalLauncher;
import dev.imperium.os.FdPassing;
import dev.imperium.os.Posix;
import dev.imperium.os.SocketFds;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One process of a vassal run by the uWSGI binary ({@code imperium-runtime = uwsgi}, or every vassal under
 * {@code --emperor-wrapper}), and the translator between it and the supervisor.
 *
 * <p>uWSGI expects the emperor's end of a socketpair at {@code UWSGI_EMPEROR_FD}. A JVM cannot leave a descriptor
 * open in a child, so the vassal gets it the other way uWSGI offers: {@code UWSGI_EMPEROR_PROXY} names a socket the
 * vassal connects to first thing, to receive the descriptor ({@link FdProxy}); uWSGI then sets
 * {@code UWSGI_EMPEROR_FD} itself and keeps the descriptor across its reloads. The emperor's end is read here, and
 * each byte is turned into a control frame on a connection to the emperor's own control socket, authenticated with
 * the spawn's token, as an Imperium vassal's would be ({@link UwsgiEmperorProtocol}); frames from the supervisor
 * become bytes for the vassal. So the supervisor spawns, reloads, stops, kills and respawns it as any vassal.
 *
 * <p>The vassal runs as {@code setsid uwsgi --ini NAME} (the flag follows the extension, as uWSGI's emperor
 * chooses it), in the vassal directory: it leads its own process group, which the emperor kills after the mercy or
 * sweeps after a crash. When the emperor dies, the vassal reads end-of-file on its emperor descriptor and stops its
 * workers and itself, as uWSGI vassals do. If the vassal file has a {@code stats} server, the emperor reads it every
 * {@value #STATS_PERIOD_SECONDS} s and hands the document to the supervisor as the vassal's stats report.
 */
final class UwsgiVassal {
    /** How often the vassal's stats server is read, in seconds (Imperium vassals report every 2 s too). */
    static final int STATS_PERIOD_SECONDS = 2;
    private static final byte[] PROXY_MESSAGE = proxyMessage();

    private final ForeignLauncher owner;
    private final SpawnRequest request;
    private final ForeignSpec spec;
    private final UwsgiEmperorProtocol protocol = new UwsgiEmperorProtocol();
    private final FdProxy proxy;
    /** The emperor's end of the socketpair; -1 once closed. Guarded by this. */
    private int emperorEnd;
    /** The vassal's end until it was handed over; -1 after. Guarded by this. */
    private int vassalEnd;
    private volatile ControlConnection link;
    private volatile boolean closed;
    /** Whether {@link #readVassal} runs: then it closes {@link #emperorEnd} when it ends. Guarded by this. */
    private boolean reading;
    private ScheduledFuture<?> statsTask;

    private UwsgiVassal(ForeignLauncher owner, SpawnRequest request, ForeignSpec spec, int[] pair, FdProxy proxy) {
        this.owner = owner;
        this.request = request;
        this.spec = spec;
        this.emperorEnd = pair[0];
        this.vassalEnd = pair[1];
        this.proxy = proxy;
    }

    /**
     * Starts a uWSGI vassal.
     *
     * @param owner the launcher (settings, log, the process launcher)
     * @param request what the supervisor asked for
     * @param spec the vassal file's foreign settings
     * @param callback told when the process runs or could not start
     * @throws IOException if no uWSGI binary is found or the descriptors cannot be prepared
     */
    static void launch(ForeignLauncher owner, SpawnRequest request, ForeignSpec spec, VassalLauncher.Callback callback)
            throws IOException {
        List<String> candidates = owner.settings().uwsgiCandidates();
        String binary = resolve(candidates, request.environment().get("PATH"));
        if (binary == null) {
            throw new IOException("no uWSGI binary found (tried " + String.join(", ", candidates)
                    + "): install uwsgi or set --emperor-wrapper");
        }
        int[] pair;
        try {
            pair = FdPassing.socketPair();
        } catch (SocketFds.SocketError e) {
            throw new IOException("cannot create the emperor socketpair: " + e.getMessage(), e);
        }
        String token = ForeignLauncher.token(request);
        FdProxy proxy;
        try {
            proxy = FdProxy.open(ForeignLauncher.runtimeDir(request).resolve("uwsgi-" + shortId(token) + ".sock"));
        } catch (IOException e) {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
            throw e;
        }
        UwsgiVassal vassal = new UwsgiVassal(owner, request, spec, pair, proxy);
        vassal.start(binary, callback);
    }

    private void start(String binary, VassalLauncher.Callback callback) {
        String name = request.vassalName();
        int[] handOver;
        synchronized (this) {
            handOver = new int[] {vassalEnd};
        }
        proxy.serve("uwsgi-proxy-" + name, handOver, PROXY_MESSAGE, owner.startTimeout(), Posix::close,
                why -> owner.log("vassal " + name + ": " + why), this::closeVassalEnd);
        List<String> command = new ArrayList<>(ForeignLauncher.tyrantPrefix(request.command())); // tyrant mode
        command.addAll(command(binary, name, findOnPath("setsid", request.environment().get("PATH")),
                owner.vassalArguments(request)));
        Map<String, String> env = environment(request.environment(), proxy.path());
        owner.log("vassal " + name + " runs under uWSGI: " + String.join(" ", command));
        callback.spawning(command); // issue 7: scale. The supervisor's "spawning vassal" line names it
        owner.delegate().launch(new SpawnRequest(name, command, request.workingDirectory(), env),
                new VassalLauncher.Callback() {
                    @Override
                    public void started(Process process) {
                        callback.started(process);
                        attach(process);
                    }

                    @Override
                    public void failed(IOException error) {
                        close();
                        callback.failed(error);
                    }
                });
    }

    /** Connects the translator once the process runs; everything ends with the process. */
    private void attach(Process process) {
        String name = request.vassalName();
        try {
            ControlConnection c = ControlConnection.connect(ForeignLauncher.controlSocket(request));
            c.send(Frame.of(EmperorMessage.HELLO, ForeignLauncher.token(request) + " " + process.pid()));
            link = c;
            Thread.ofVirtual().name("uwsgi-link-" + name).start(() -> c.readLoop(this::fromSupervisor, this::close));
        } catch (IOException e) {
            owner.log("vassal " + name + ": cannot reach the emperor's control socket: " + e.getMessage());
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            reading = true;
        }
        Thread.ofPlatform().daemon().name("uwsgi-emperor-fd-" + name).stackSize(256 * 1024).start(this::readVassal);
        // The vassal's workers hold the descriptor too: when the master dies, do not wait for them.
        process.onExit().thenRunAsync(this::close,
                java.util.concurrent.CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
    }

    /** Reads the vassal's bytes until end of file, and hands each to the supervisor. */
    private void readVassal() {
        int fd;
        synchronized (this) {
            fd = emperorEnd;
        }
        byte[] buffer = new byte[64];
        try {
            while (fd >= 0 && !closed) {
                int n = Native.read(fd, buffer);
                if (n <= 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    fromVassal(buffer[i] & 0xFF);
                }
            }
        } finally {
            synchronized (this) {
                reading = false;
                if (emperorEnd >= 0) {
                    Posix.close(emperorEnd);
                    emperorEnd = -1;
                }
            }
            close();
        }
    }

    private void fromVassal(int b) {
        Frame frame;
        synchronized (protocol) {
            frame = protocol.fromVassal(b);
        }
        ControlConnection c = link;
        if (frame == null) {
            String note = UwsgiEmperorProtocol.describe(b);
            if (note != null) {
                owner.log("vassal " + request.vassalName() + " " + note);
            }
            return;
        }
        if (c != null) {
            c.trySend(frame);
        }
        if (frame.type() == EmperorMessage.ACCEPTING && spec.stats() != null) {
            startStats();
        }
    }

    private void fromSupervisor(Frame frame) {
        int b;
        synchronized (protocol) {
            b = protocol.toVassal(frame);
        }
        if (b < 0) {
            return;
        }
        synchronized (this) {
            if (emperorEnd >= 0) {
                Native.write(emperorEnd, new byte[] {(byte) b});
            }
        }
    }

    private synchronized void startStats() {
        if (statsTask != null || closed) {
            return;
        }
        UwsgiStats stats = new UwsgiStats(spec.stats(), request.workingDirectory());
        statsTask = owner.timers().scheduleWithFixedDelay(() -> {
            ControlConnection c = link;
            String json = stats.read();
            if (json != null && c != null && !closed) {
                c.trySend(Frame.of(EmperorMessage.STATS_REPORT, json));
            }
        }, 0, STATS_PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void closeVassalEnd() {
        if (vassalEnd >= 0) {
            Posix.close(vassalEnd);
            vassalEnd = -1;
        }
    }

    /** Ends the translator: the supervisor sees the connection close, the reader ends. Idempotent. */
    private void close() {
        ControlConnection c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (statsTask != null) {
                statsTask.cancel(false);
            }
            if (emperorEnd >= 0) {
                Native.shutdown(emperorEnd); // wakes the reader, which closes it
                if (!reading) {
                    Posix.close(emperorEnd);
                    emperorEnd = -1;
                }
            }
            c = link;
        }
        proxy.close();
        if (c != null) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ pure parts

    /** uWSGI's emperor proxy message: {@code "uwsgi-emperor"} and the descriptor count as a native int. */
    private static byte[] proxyMessage() {
        byte[] id = "uwsgi-emperor".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[id.length + 4];
        System.arraycopy(id, 0, message, 0, id.length);
        java.nio.ByteBuffer.wrap(message, id.length, 4).order(java.nio.ByteOrder.nativeOrder()).putInt(1);
        return message;
    }

    /** Returns the data of uWSGI's emperor proxy message (for tests). */
    static byte[] proxyMessageBytes() {
        return PROXY_MESSAGE.clone();
    }

    /**
     * Returns the vassal's command line: {@code [setsid] BINARY --ini NAME}, the loader flag by extension as uWSGI's
     * emperor chooses it ({@code vassal_new_argv}: {@code --xml}, {@code --ini}, {@code --yaml}, {@code --json}).
     *
     * @param binary the uWSGI binary
     * @param name the vassal file name
     * @param setsid the {@code setsid} program, or null to run uWSGI directly
     * @param arguments the uWSGI options the emperor adds around the file ({@code --include F}...), the file's place
     *     marked by a null
     */
    static List<String> command(String binary, String name, String setsid, List<String> arguments) {
        List<String> command = new ArrayList<>(4 + arguments.size());
        if (setsid != null) {
            command.add(setsid);
        }
        command.add(binary);
        for (String arg : arguments) {
            if (arg == null) {
                command.add(loaderFlag(name));
                command.add(name);
            } else {
                command.add(arg);
            }
        }
        return command;
    }

    /** Returns uWSGI's loader flag for a vassal file name. */
    static String loaderFlag(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".xml")) {
            return "--xml";
        }
        if (lower.endsWith(".ini")) {
            return "--ini";
        }
        if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
            return "--yaml";
        }
        if (lower.endsWith(".json") || lower.endsWith(".js")) {
            return "--json";
        }
        return "--config";
    }

    /**
     * Returns the vassal's environment, as uWSGI's emperor prepares it ({@code uwsgi_emperor_spawn_vassal}): without
     * {@code UWSGI_RELOADS} and any emperor descriptors of its own, {@code UWSGI_VASSAL_xxx} renamed
     * {@code UWSGI_xxx}; plus {@code UWSGI_EMPEROR_PROXY}; without Imperium's control socket and token, which are
     * the translator's.
     */
    static Map<String, String> environment(Map<String, String> base, Path proxyPath) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : base.entrySet()) {
            String key = e.getKey();
            if (key.equals("UWSGI_RELOADS") || key.equals("UWSGI_EMPEROR_FD") || key.equals("UWSGI_EMPEROR_FD_CONFIG")
                    || key.equals("UWSGI_EMPEROR_PROXY") || key.equals(EmperorMessage.ENV_SOCKET)
                    || key.equals(EmperorMessage.ENV_TOKEN)) {
                continue;
            }
            env.put(key, e.getValue());
        }
        for (Map.Entry<String, String> e : base.entrySet()) {
            if (e.getKey().startsWith("UWSGI_VASSAL_") && e.getKey().length() > "UWSGI_VASSAL_".length()) {
                env.remove(e.getKey());
                env.put("UWSGI_" + e.getKey().substring("UWSGI_VASSAL_".length()), e.getValue());
            }
        }
        env.put("UWSGI_EMPEROR_PROXY", proxyPath.toString());
        return env;
    }

    /**
     * Returns the first of {@code candidates} that is an executable file: a path as given, a bare name looked up on
     * {@code path} (uWSGI tries its wrappers in this order with {@code execvp}).
     *
     * @return the program to run (a bare name found on the PATH is returned as its full path), or null
     */
    static String resolve(List<String> candidates, String path) {
        for (String candidate : candidates) {
            Path given = Path.of(candidate);
            String found = candidate.contains("/")
                    ? (Files.isExecutable(given) && !Files.isDirectory(given) ? candidate : null)
                    : findOnPath(candidate, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Returns the full path of an executable {@code name} on {@code path} (a {@code :}-separated list), or null. */
    static String findOnPath(String name, String path) {
        String dirs = path != null ? path : "/usr/local/bin:/usr/bin:/bin";
        for (String dir : dirs.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** A short piece of the spawn token for file names. */
    static String shortId(String token) {
        return token == null ? Long.toHexString(System.nanoTime()) : token.substring(0, Math.min(12, token.length()));
    }
}
