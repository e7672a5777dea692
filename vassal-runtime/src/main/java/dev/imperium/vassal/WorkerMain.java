package dev.imperium.vassal;

import dev.imperium.apps.AppLoadException;
import dev.imperium.config.ConfigEntry;
import dev.imperium.config.VassalConfig;
import dev.imperium.control.ControlConnection;
import dev.imperium.control.Frame;
import dev.imperium.control.WorkerMessage;
import dev.imperium.os.FileLimits;
import dev.imperium.os.InheritedSockets;
import dev.imperium.os.Posix;
import dev.imperium.os.Signals;
import dev.imperium.server.AcceptGate;
import dev.imperium.server.Handler;
import dev.imperium.server.RewrittenExchange;
import dev.imperium.server.fastcgi.FcgiConnection;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Connection;
import dev.imperium.server.net.ConnectionFactory;
import dev.imperium.server.net.ConnectionLimit;
import dev.imperium.server.net.Listener;
import dev.imperium.server.scgi.ScgiConnection;
import dev.imperium.stats.AppExceptions;
import dev.imperium.server.uwsgi.UwsgiConnection;
import dev.imperium.uwsgi.UwsgiHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;

/**
 * A worker process: started by the master with the listening socket as fd 0, it loads the vassal's app and serves
 * requests until the master tells it to stop.
 *
 * <p>Arguments: {@code <worker id> <generation> <master pid>}. Environment: {@link WorkerMessage#ENV_SOCKET},
 * {@link WorkerMessage#ENV_TOKEN}. Signals as uWSGI's workers (uwsgi-docs "Management"): SIGHUP stops gracefully,
 * SIGINT and SIGTERM end the process at once. If the master dies the kernel kills the worker
 * ({@code PR_SET_PDEATHSIG}); if the master's control link closes, the worker ends itself.
 */
public final class WorkerMain {
    private final int id;
    private final int generation;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ControlConnection master;
    private final List<Listener> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int mercySeconds = 60;
    /** Closed by the master's {@link WorkerMessage#PAUSE}; asked before the dispatcher's free cores. */
    private final PauseGate pauseGate = new PauseGate(AcceptGate.OPEN);
    private volatile Scoreboard scoreboard;

    private WorkerMain(int id, int generation) {
        this.id = id;
        this.generation = generation;
    }

    /**
     * Runs a worker.
     *
     * @param args {@code <worker id> <generation> <master pid>}
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: WorkerMain <worker id> <generation> <master pid> (started by a vassal master)");
            System.exit(2);
        }
        RequestPipe.claim(); // Logging (issue 6): stdout carries request lines only
        Posix.setParentDeathSignal(Posix.SIGKILL);
        if (Posix.getppid() != Long.parseLong(args[2])) {
            System.exit(1);
        }
        int code = new WorkerMain(Integer.parseInt(args[0]), Integer.parseInt(args[1])).run();
        Posix.exitNow(code);
    }

    private int run() {
        List<SocketProtocol> protocols = new ArrayList<>();
        List<ServerSocketChannel> channels;
        try {
            String wire = System.getenv(WorkerMessage.ENV_PROTOCOLS);
            for (String name : (wire == null || wire.isEmpty() ? "http" : wire).split(",")) {
                protocols.add(SocketProtocol.fromWireName(name));
            }
            channels = InheritedSockets.channels(protocols.size());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("worker " + id + ": " + e.getMessage());
            return 1;
        }
        try {
            master = ControlConnection.connect(Path.of(System.getenv(WorkerMessage.ENV_SOCKET)));
            master.send(Frame.of(WorkerMessage.HELLO, id + " " + generation + " "
                    + System.getenv(WorkerMessage.ENV_TOKEN) + " " + ProcessHandle.current().pid()));
        } catch (IOException e) {
            System.err.println("worker " + id + ": cannot reach the master: " + e.getMessage());
            return 1;
        }

        CompletableFuture<VassalConfig> config = new CompletableFuture<>();
        List<ConfigEntry> entries = new ArrayList<>();
        master.startReader("master-link", true, frame -> {
            switch (frame.type()) {
                case WorkerMessage.CONFIG_ENTRY -> entries.add(Master.ConfigWire.decode(frame.payload()));
                case WorkerMessage.CONFIG_END ->
                        config.complete(new VassalConfig(Path.of(frame.text()), entries, List.of()));
                case WorkerMessage.STOP_GRACEFUL -> stopGracefully();
                case WorkerMessage.STOP -> Runtime.getRuntime().halt(WorkerMessage.EXIT_END);
                case WorkerMessage.PAUSE -> pauseGate.paused(true);
                case WorkerMessage.RESUME -> pauseGate.paused(false);
                case WorkerMessage.HARAKIRI_DUMP -> dumpStuckRequests();
                default -> { }
            }
        }, () -> {
            if (!stopping.get()) {
                Log.stamped("uWSGI worker " + id + " screams: UAAAAAAH my master disconnected: i will kill myself !!!");
                Runtime.getRuntime().halt(1);
            }
        });

        VassalSettings settings;
        try {
            settings = VassalSettings.from(config.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            return fail("no config from the master: " + e, 1);
        }
        mercySeconds = settings.workerMercySeconds();
        Log.useDate(settings.logging().date()); // Logging (issue 6)

        String scoreboardFile = System.getenv(WorkerMessage.ENV_SCOREBOARD);
        if (scoreboardFile != null) {
            try {
                scoreboard = Scoreboard.open(Path.of(scoreboardFile));
                AppExceptions.countWith(scoreboard::exception); // Stats server (issue 6): uWSGI's exceptions
            } catch (IOException e) {
                return fail("cannot open the harakiri scoreboard " + scoreboardFile + ": " + e.getMessage(), 1);
            }
        }
        try {
            // after the sockets, the master link and the scoreboard are open, before any app code runs
            PrivilegeDrop.from(settings.config()).apply();
        } catch (RuntimeException e) {
            return fail("cannot drop privileges: " + e.getMessage(), 1);
        }

        WorkerApp app;
        try {
            app = WorkerApp.load(settings, Path.of("").toAbsolutePath(), id);
        } catch (AppLoadException e) {
            Log.line(e.getMessage());
            Log.line("*** no app loaded. GAME OVER ***");
            return fail(e.getMessage(), WorkerMessage.EXIT_NO_APP);
        } catch (RuntimeException e) {
            Log.line("worker " + id + ": " + e.getMessage());
            return fail(String.valueOf(e.getMessage()), 1);
        }
        Dispatcher dispatcher = new Dispatcher(app.handlers(), app.loaded(), settings.threads(),
                !settings.disableLogging(), () -> master.trySend(Frame.of(WorkerMessage.FIRST_REQUEST)), scoreboard,
                settings.harakiriSeconds() > 0 || settings.stats() != null, settings.responseHeaders(), app.routing());
        dispatcher.logRequestsWith(RequestLogger.of(settings, id)); // Logging (issue 6)
        AcceptGate gate = new AcceptGate() { // the pause applies first, then the free cores
            @Override
            public boolean awaitCapacity(Duration timeout) throws InterruptedException {
                return pauseGate.awaitCapacity(timeout) && dispatcher.awaitCapacity(timeout);
            }
        };
        if (!settings.virtualThreads()) {
            // Workers: uWSGI's prethreaded mode, one platform thread per core
            dispatcher.runOn(new CoreThreads(settings.threads(), settings.threadStackSizeKb()));
        }
        long recycleAfter = settings.recycleAfterRequests(id);
        long rssLimit = WorkerLimits.from(settings.config()).reloadOnRssBytes();
        if (recycleAfter > 0 || rssLimit > 0) {
            dispatcher.recycleWith(new Dispatcher.Recycling(recycleAfter, rssLimit,
                    TimeUnit.SECONDS.toNanos(Math.max(0, settings.minWorkerLifetimeSeconds())), System.nanoTime(),
                    this::recycle));
        }
        PostBuffering postBuffering = PostBuffering.from(settings.config(),
                Path.of(System.getProperty("java.io.tmpdir")));
        dispatcher.bufferBodiesWith(postBuffering);
        boolean inlineServing = settings.threads() == 1 && postBuffering == null;
        Http1Config httpConfig = Http1Config.fromUwsgi(settings.bufferSize(), settings.limitPost(),
                Duration.ofSeconds(settings.socketTimeoutSeconds()));
        WorkerHttpLog httpLog = new WorkerHttpLog(settings.bufferSize(), id);
        // Issue 8: slow clients. The process's connections, all sockets together; further clients wait in the queue.
        ConnectionLimit connectionLimit = new ConnectionLimit(
                FileLimits.connectionsWithin(settings.maxConnections(), FileLimits.softLimit(), 1),
                httpLog::connectionLimitReached);
        // CGI and mounts: the modifier1 a request asks for (9: CGI), a uwsgi packet's own or the socket's option
        VassalConfig options = settings.config();
        IntPredicate uwsgiModifiers = app.servesCgi()
                ? m -> UwsgiConnection.APP_MODIFIERS.test(m) || m == UwsgiHeader.MODIFIER1_CGI
                : UwsgiConnection.APP_MODIFIERS;
        for (int i = 0; i < channels.size(); i++) {
            ConnectionFactory factory = switch (protocols.get(i)) {
                case HTTP -> Http1Connection.factory(
                        withModifier1(dispatcher, options.intValue("http-socket-modifier1", 0)), httpConfig, httpLog);
                case UWSGI -> UwsgiConnection.factory(dispatcher, httpConfig, httpLog, uwsgiModifiers);
                case FASTCGI, FASTCGI_NPH -> FcgiConnection.factory(
                        withModifier1(dispatcher, options.intValue("fastcgi-modifier1", 0)), httpConfig, httpLog,
                        protocols.get(i) == SocketProtocol.FASTCGI_NPH);
                case SCGI, SCGI_NPH -> ScgiConnection.factory(
                        withModifier1(dispatcher, options.intValue("scgi-modifier1", 0)), httpConfig, httpLog,
                        protocols.get(i) == SocketProtocol.SCGI_NPH);
            };
            // one core and no post-buffering: a request whose head has arrived is served on the accept thread
            servers.add((inlineServing
                    ? Listener.forSharedSocketServingInline(channels.get(i), gate, factory,
                            Http1Connection.timing(httpConfig), httpLog::acceptLog)
                    : Listener.forSharedSocket(channels.get(i), gate, factory, Http1Connection.timing(httpConfig),
                            httpLog::acceptLog)).limitConnections(connectionLimit));
        }

        Signals.on("HUP", this::stopGracefully);
        Signals.on("INT", () -> Runtime.getRuntime().halt(WorkerMessage.EXIT_END));
        Signals.on("TERM", () -> Runtime.getRuntime().halt(WorkerMessage.EXIT_END));

        if (stopping.get()) {
            return 0;
        }
        warmUpVirtualThreads();
        servers.forEach(Listener::start);
        master.trySend(Frame.of(WorkerMessage.ACCEPTING));
        try {
            stopped.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(mercySeconds);
            boolean clean = true;
            for (Listener server : servers) {
                clean &= server.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            app.close();
            return clean ? 0 : 1;
        } catch (InterruptedException e) {
            return 1;
        }
    }

    /**
     * Logs the stack of each request in flight ({@code harakiri-verbose}: the master is about to kill this worker),
     * with uWSGI's {@code HARAKIRI: --- uWSGI worker N core C (pid: P) WAS managing request URI since TIME ---}.
     */
    private void dumpStuckRequests() {
        Scoreboard board = scoreboard;
        if (board == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        for (int core = 0; core < board.cores(); core++) {
            long start = board.startMillis(core);
            Thread thread = board.thread(core);
            if (start > 0) {
                StackTraceElement[] stack = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
                for (String line : Harakiri.stuckRequestLines(id, core, ProcessHandle.current().pid(),
                        board.description(core), start, stack)) {
                    out.append(line).append('\n');
                }
            }
        }
        if (!out.isEmpty()) {
            System.err.print(out);
            System.err.flush();
        }
    }

    /**
     * CGI and mounts: the requests of a socket whose {@code *-modifier1} option is 9 ask for CGI, as a uwsgi packet
     * with modifier1 9 does. Other values change nothing (the JVM app serves 0 and 8 alike), so they are not carried
     * and cost nothing per request.
     */
    private static Handler withModifier1(Handler handler, int modifier1) {
        if (modifier1 != UwsgiHeader.MODIFIER1_CGI) {
            return handler;
        }
        return exchange -> handler.handle(RewrittenExchange.of(exchange, exchange.request().withModifier1(modifier1)));
    }

    /** max-requests reached: uWSGI's "goodbye cruel world", then the master starts a replacement. */
    private void recycle() {
        Log.line("...The work of process " + ProcessHandle.current().pid() + " is done. Seeya!");
        master.trySend(Frame.of(WorkerMessage.RECYCLING));
        stopGracefully();
    }

    private void stopGracefully() {
        if (stopping.compareAndSet(false, true)) {
            servers.forEach(Listener::stopAccepting);
            stopped.countDown();
        }
    }

    /**
     * Starts the virtual-thread scheduler and the I/O poller before the first connection needs them: a virtual
     * thread blocks reading a pipe until this thread writes to it. Otherwise the first request of a new worker pays
     * for both (20–30 ms here, several times that on a loaded host: what a reload under load shows as its slowest
     * request).
     */
    private static void warmUpVirtualThreads() {
        try {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                Thread reader = Thread.ofVirtual().name("warm-up").start(() -> {
                    try {
                        source.read(ByteBuffer.allocate(1));
                    } catch (IOException ignored) {
                        // closed: nothing to warm up
                    }
                });
                long deadline = System.nanoTime() + 100_000_000L;
                while (reader.getState() != Thread.State.WAITING && reader.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                sink.write(ByteBuffer.wrap(new byte[] {1}));
                reader.join(1000);
            }
        } catch (IOException | InterruptedException e) {
            // the warm-up is an optimisation only
        }
    }

    private int fail(String reason, int code) {
        if (master != null) {
            master.trySend(Frame.of(WorkerMessage.FATAL, reason));
        }
        return code;
    }
}
