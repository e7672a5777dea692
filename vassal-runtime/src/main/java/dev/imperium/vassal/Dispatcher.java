package dev.imperium.vassal;

import dev.imperium.http.HttpFields;
import dev.imperium.routing.InternalRouting;
import dev.imperium.server.AcceptGate;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.stats.AppExceptions;
import dev.imperium.statics.StaticFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's entry point for every request, whatever protocol carried it: takes a core (one of {@code threads}
 * request slots, uWSGI's "cores"), runs the internal routing when the vassal has any (which may answer itself, or
 * change the request), offers the request to each handler in turn (static files, then the app), answers 500 when a
 * handler fails before responding and 404 when none answers, writes the request log line (unless a route said
 * {@code donotlog}) and reports the worker's first request to the master (loyalty). As the listener's {@link AcceptGate} it lets a worker accept a
 * connection only while one of its cores is free. It counts each request in the worker's {@link Scoreboard} (status,
 * bytes, duration, which handler answered, read and write errors) for the stats server and the emperor report.
 */
final class Dispatcher implements Handler, AcceptGate {
    private final List<Handler> handlers;
    private final boolean appLoaded;
    private final ArrayDeque<Integer> freeCores;
    private final ReentrantLock coresLock = new ReentrantLock();
    private final Condition coreFreed = coresLock.newCondition();
    /** The request log (Logging, issue 6); null when no request is ever logged. */
    private volatile RequestLogger requestLogger;
    private final AtomicLong workerRequests = new AtomicLong();
    private final AtomicLong appRequests = new AtomicLong();
    private final AtomicBoolean firstDone = new AtomicBoolean();
    private final Runnable onFirstRequest;
    private final Scoreboard scoreboard;
    /** Whether each request's description goes to the scoreboard (harakiri's log lines, the stats server's vars). */
    private final boolean describe;
    /** Per core: what answered its request ({@link Scoreboard#STATIC}, {@link Scoreboard#ROUTED} or 0). */
    private final int[] answeredBy;
    /** Per core: the routing's {@code next}, made once so that a routed request allocates nothing for it. */
    private final Handler[] offerOnCore;
    private final ResponseHeaderRules headerRules;
    private final InternalRouting routing;
    private volatile Recycling recycling;
    private volatile PostBuffering postBuffering;
    /** The cores' platform threads ({@code threads}), or null to serve on the connections' virtual threads. */
    private volatile CoreThreads coreThreads;

    /**
     * When the worker retires itself: after {@code afterRequests} requests (uWSGI's {@code max-requests}; 0 = no
     * count), or once its resident memory reaches {@code rssLimitBytes} ({@code reload-on-rss}; 0 = no limit),
     * provided it has lived {@code minLifetimeNanos}, {@code action} runs once.
     */
    record Recycling(long afterRequests, long rssLimitBytes, long minLifetimeNanos, long startNanos,
            Runnable action) {

        boolean due(long requests) {
            if (System.nanoTime() - startNanos < minLifetimeNanos) {
                return false;
            }
            if (afterRequests > 0 && requests >= afterRequests) {
                return true;
            }
            return rssLimitBytes > 0 && WorkerLimits.residentBytes("self") >= rssLimitBytes;
        }
    }

    /**
     * Creates the dispatcher.
     *
     * @param handlers the handlers, in the order they are offered a request
     * @param appLoaded whether an app is loaded (the log line says {@code app: 0} or {@code app: -1})
     * @param threads the number of requests served at once (uWSGI's {@code threads})
     * @param logRequests false under {@code disable-logging}
     * @param onFirstRequest run once, after the first request completes
     * @param scoreboard where each core's request in flight and the request counters are published for the master,
     *     or null
     * @param describe write each request's description to the scoreboard too
     * @param headerRules the {@code add-header}/{@code del-header} rules applied to every response
     * @param routing the vassal's internal routing, or null when it has none
     */
    Dispatcher(List<Handler> handlers, boolean appLoaded, int threads, boolean logRequests, Runnable onFirstRequest,
               Scoreboard scoreboard, boolean describe, ResponseHeaderRules headerRules, InternalRouting routing) {
        this.handlers = List.copyOf(handlers);
        this.appLoaded = appLoaded;
        this.requestLogger = logRequests ? RequestLogger.defaults(0) : null;
        this.onFirstRequest = onFirstRequest;
        this.scoreboard = scoreboard;
        this.describe = describe;
        this.answeredBy = new int[threads];
        this.offerOnCore = new Handler[threads];
        for (int i = 0; i < threads; i++) {
            int core = i;
            offerOnCore[i] = exchange -> offer(exchange, core);
        }
        this.headerRules = headerRules;
        this.routing = routing;
        this.freeCores = new ArrayDeque<>(threads);
        for (int i = 0; i < threads; i++) {
            freeCores.add(i);
        }
    }

    @Override
    public boolean awaitCapacity(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        coresLock.lock();
        try {
            while (freeCores.isEmpty()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = coreFreed.awaitNanos(nanos);
            }
            return true;
        } finally {
            coresLock.unlock();
        }
    }

    private int takeCore() throws InterruptedException {
        coresLock.lock();
        try {
            while (freeCores.isEmpty()) {
                coreFreed.await();
            }
            return freeCores.pop();
        } finally {
            coresLock.unlock();
        }
    }

    private void releaseCore(int core) {
        coresLock.lock();
        try {
            freeCores.push(core);
            coreFreed.signalAll();
        } finally {
            coresLock.unlock();
        }
    }

    @Override
    public boolean handle(Exchange received) throws Exception {
        PostBuffering buffering = postBuffering;
        Exchange exchange = buffering == null ? received : buffering.buffer(received);
        try {
            return serveInCore(exchange);
        } finally {
            PostBuffering.release(exchange);
        }
    }

    private boolean serveInCore(Exchange exchange) throws Exception {
        int core = takeCore();
        answeredBy[core] = 0;
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        if (scoreboard != null) {
            RequestHead head = exchange.request();
            scoreboard.begin(core, startMillis,
                    describe ? head.remoteAddress() + " - " + head.method() + " " + head.target() : null);
        }
        InternalRouting.Routed routed;
        int failure = 0;
        long micros = 0;
        try {
            Exchange wrapped = headerRules.wrap(exchange);
            CoreThreads threads = coreThreads;
            // a request served on a listener's accept thread (a platform thread that lives as long as the worker)
            // runs there: handing it to the core's thread would only add two thread switches
            if (threads == null || !Thread.currentThread().isVirtual()) {
                routed = serve(wrapped, core);
            } else {
                InternalRouting.Routed[] result = new InternalRouting.Routed[1];
                threads.run(core, () -> {
                    if (scoreboard != null) {
                        scoreboard.runsOn(core);
                    }
                    result[0] = serve(wrapped, core);
                });
                routed = result[0];
            }
        } catch (IOException e) {
            // the client went away: while its body was read (nothing answered yet) or while the answer was written;
            // the stats count it, log-ioerror and %(ioerr) see it
            failure = exchange.committed() ? Scoreboard.WRITE_ERROR : Scoreboard.READ_ERROR;
            logRequest(exchange, null, workerRequests.get(), appRequests.get(), startMillis, startNanos, core, e);
            throw e;
        } finally {
            micros = (System.nanoTime() - startNanos) / 1000;
            if (scoreboard != null) {
                scoreboard.end(core, exchange.status(), exchange.headerBytes() + exchange.bodyBytes(), micros,
                        answeredBy[core] | failure);
            }
            releaseCore(core);
        }
        long total = workerRequests.incrementAndGet();
        long app = appLoaded ? appRequests.incrementAndGet() : 0;
        logRequest(exchange, routed, total, app, startMillis, startNanos, core, null);
        if (!firstDone.get() && firstDone.compareAndSet(false, true)) {
            onFirstRequest.run();
        }
        Recycling r = recycling;
        if (r != null && r.due(total)) {
            recycling = null;
            r.action().run();
        }
        return true;
    }

    /** Writes the request's log line, if the request log wants one (Logging, issue 6). */
    private void logRequest(Exchange exchange, InternalRouting.Routed routed, long total, long app, long startMillis,
            long startNanos, int core, IOException ioError) {
        RequestLogger logger = requestLogger;
        if (logger != null) {
            logger.log(routed == null ? exchange : routed.exchange(), routed != null && routed.doNotLog(),
                    routed == null ? null : routed.logVars(), appLoaded, app, total, startMillis,
                    System.nanoTime() - startNanos, core, ioError);
        }
    }

    /**
     * Sets the request log (Logging, issue 6).
     *
     * @param logger the request log, or null to log no request
     */
    void logRequestsWith(RequestLogger logger) {
        this.requestLogger = logger == null || !logger.active() ? null : logger;
    }

    /**
     * Makes the worker recycle itself (see {@link Recycling}); checked after each request, as uWSGI does.
     *
     * @param recycling when and how, or null for never
     */
    void recycleWith(Recycling recycling) {
        this.recycling = recycling;
    }

    /**
     * Reads each request's whole body before it takes a request slot ({@code post-buffering}).
     *
     * @param buffering how, or null to hand the body to the app as it arrives
     */
    void bufferBodiesWith(PostBuffering buffering) {
        this.postBuffering = buffering;
    }

    /**
     * Runs every request on the platform thread of the core serving it (uWSGI's prethreaded {@code threads}) rather
     * than on its connection's virtual thread; set before the listeners start.
     *
     * @param threads one thread per core, or null for virtual threads
     */
    void runOn(CoreThreads threads) {
        this.coreThreads = threads;
    }

    /**
     * Routes the request when the vassal has routing, then serves it; returns what routing did, or null. Notes in
     * {@link #answeredBy} whether routing answered it itself or a static file did.
     */
    private InternalRouting.Routed serve(Exchange exchange, int core) throws IOException {
        if (routing == null) {
            offer(exchange, core);
            return null;
        }
        answeredBy[core] = Scoreboard.ROUTED; // unless routing hands the request on to the handlers
        try {
            return routing.serve(exchange, offerOnCore[core]);
        } catch (IOException e) {
            throw e;
        } catch (Exception | Error e) {
            failed(exchange, e);
            return null;
        }
    }

    /** Offers the request to each handler; 404 when none answers, 500 when one fails before answering. */
    private boolean offer(Exchange exchange, int core) throws IOException {
        answeredBy[core] = 0;
        try {
            for (Handler handler : handlers) {
                if (handler.handle(exchange)) {
                    if (handler instanceof StaticFiles) {
                        answeredBy[core] = Scoreboard.STATIC;
                    }
                    return true;
                }
            }
            respond(exchange, 404, "Not Found");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            failed(exchange, t);
        }
        return true;
    }

    private static void failed(Exchange exchange, Throwable t) throws IOException {
        AppExceptions.record();
        RequestHead head = exchange.request();
        if (dev.imperium.server.net.BodyReadException.in(t) == null) { // else the connection logs the client's failure
            Log.error("error while serving " + head.method() + " " + head.target() + ": " + t, t);
        }
        if (!exchange.committed()) {
            respond(exchange, 500, "Internal Server Error");
        }
    }

    private static void respond(Exchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.US_ASCII);
        HttpFields fields = new HttpFields(1).add("Content-Type", "text/plain");
        try (var out = exchange.respond(status, fields, body.length)) {
            out.write(body);
        }
    }
}
