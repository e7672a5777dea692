package dev.imperium.router;

import dev.imperium.jwsgi.Hostname;
import dev.imperium.logging.ThrottledLines;
import dev.imperium.os.Credentials;
import dev.imperium.os.FileLimits;
import dev.imperium.os.InheritedSockets;
import dev.imperium.os.Posix;
import dev.imperium.os.Signals;
import dev.imperium.server.AcceptGate;
import dev.imperium.server.http.Http1Config;
import dev.imperium.server.http.Http1Connection;
import dev.imperium.server.http.Http1Log;
import dev.imperium.server.net.BodyReadException;
import dev.imperium.server.net.ConnectionLimit;
import dev.imperium.server.net.Listener;
import dev.imperium.vassal.Log;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * An {@code http} router process (uWSGI's "uWSGI http N"): started by the vassal master with the public HTTP socket
 * as its fd 0, it keeps client connections and forwards each request to the vassal's workers over the uwsgi
 * protocol ({@link UwsgiForwarder}).
 *
 * <p>Arguments: {@code <router id> <master pid> <options>}, the options being {@code --to NODE} (repeatable),
 * {@code --keepalive SECONDS} (0: close after each response), {@code --timeout SECONDS}, {@code --modifier1 N},
 * {@code --modifier2 N}, {@code --buffer-size BYTES}, {@code --limit-post BYTES}, {@code --headers-timeout SECONDS}
 * (default: {@code --timeout}), {@code --max-connections N}, {@code --uid N --gid N --user NAME}
 * (the user and group it drops to once it holds its sockets, when started as root), {@code --sockets N} (how many
 * public sockets the master hands over: one is fd 0, several come over a socket pair on fd 0). Signals: SIGHUP stops gracefully
 * (in-flight requests finish), SIGINT and SIGTERM end the process at once. It dies with its master
 * ({@code PR_SET_PDEATHSIG}).
 */
public final class RouterMain {
    private RouterMain() {
    }

    /** Options as the master passes them. */
    record Options(List<Upstream> nodes, int keepAliveSeconds, int timeoutSeconds, int modifier1, int modifier2,
            int bufferSize, long limitPost, int uid, int gid, String user, int sockets, int headersTimeoutSeconds,
            int maxConnections) {

        static Options parse(String[] args, int from) {
            List<Upstream> nodes = new ArrayList<>();
            int keepAlive = 0;
            int timeout = 60;
            int modifier1 = 0;
            int modifier2 = 0;
            int bufferSize = Http1Config.DEFAULT_HEAD_SIZE;
            long limitPost = 0;
            int uid = -1;
            int gid = -1;
            String user = null;
            int sockets = 1;
            int headersTimeout = -1;
            int maxConnections = Integer.MAX_VALUE;
            for (int i = from; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + args[i]);
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--to" -> nodes.add(Upstream.parse(v));
                    case "--keepalive" -> keepAlive = Integer.parseInt(v);
                    case "--timeout" -> timeout = Integer.parseInt(v);
                    case "--modifier1" -> modifier1 = Integer.parseInt(v);
                    case "--modifier2" -> modifier2 = Integer.parseInt(v);
                    case "--buffer-size" -> bufferSize = Integer.parseInt(v);
                    case "--limit-post" -> limitPost = Long.parseLong(v);
                    case "--uid" -> uid = Integer.parseInt(v);
                    case "--gid" -> gid = Integer.parseInt(v);
                    case "--user" -> user = v.isEmpty() ? null : v;
                    case "--sockets" -> sockets = Integer.parseInt(v);
                    case "--headers-timeout" -> headersTimeout = Integer.parseInt(v);
                    case "--max-connections" -> maxConnections = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown router option " + args[i]);
                }
            }
            return new Options(nodes, keepAlive, timeout, modifier1, modifier2, bufferSize, limitPost, uid, gid,
                    user, sockets, headersTimeout > 0 ? headersTimeout : timeout, maxConnections);
        }
    }

    /**
     * Runs a router.
     *
     * @param args {@code <router id> <master pid> <options>}
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: RouterMain <router id> <master pid> --to NODE ... (started by a vassal master)");
            System.exit(2);
        }
        Posix.setParentDeathSignal(Posix.SIGKILL);
        if (Posix.getppid() != Long.parseLong(args[1])) {
            System.exit(1);
        }
        Options options;
        List<ServerSocketChannel> sockets;
        try {
            options = Options.parse(args, 2);
            sockets = InheritedSockets.channels(options.sockets());
            if (Credentials.effectiveUid() == 0 && (options.uid() > 0 || options.gid() > 0)) {
                // the vassal's uid/gid, as its workers; a credential change clears the parent-death signal
                Credentials.drop(options.uid(), options.gid(), options.user());
                Posix.setParentDeathSignal(Posix.SIGKILL);
            }
        } catch (IOException | RuntimeException e) {
            Log.line("uWSGI http " + args[0] + ": " + e.getMessage());
            Posix.exitNow(1);
            return;
        }
        long maxBody = options.limitPost() > 0 ? options.limitPost() : 64L << 20;
        UwsgiForwarder forwarder = new UwsgiForwarder(options.nodes(), options.modifier1(), options.modifier2(),
                Hostname.get(), options.keepAliveSeconds() > 0, maxBody, options.timeoutSeconds() * 1000L,
                Log::line);
        Duration timeout = Duration.ofSeconds(options.timeoutSeconds());
        Duration idle = options.keepAliveSeconds() > 0 ? Duration.ofSeconds(options.keepAliveSeconds()) : timeout;
        Http1Config config = Http1Config.fromUwsgi(Math.max(options.bufferSize(), Http1Config.DEFAULT_HEAD_SIZE),
                options.limitPost(), timeout).withTimeouts(timeout, timeout, idle)
                .withHeadTimeout(Duration.ofSeconds(options.headersTimeoutSeconds()));
        // Issue 8: slow clients. Timeouts, bodies cut short and a full connection table are logged rate-limited.
        ThrottledLines timeouts = new ThrottledLines(ThrottledLines.DEFAULT_WINDOW, "socket timeouts", Log::line);
        ThrottledLines bodyReads = new ThrottledLines(ThrottledLines.DEFAULT_WINDOW, "request bodies cut short",
                Log::line);
        ThrottledLines full = new ThrottledLines(ThrottledLines.DEFAULT_WINDOW,
                "times the connection limit was reached", Log::line);
        int maxConnections = FileLimits.connectionsWithin(options.maxConnections(), FileLimits.softLimit(), 2);
        ConnectionLimit limit = options.maxConnections() == Integer.MAX_VALUE ? ConnectionLimit.NONE
                : new ConnectionLimit(maxConnections, n -> full.log("[uwsgi-http] imperium-max-connections reached:"
                        + " http router " + args[0] + " holds " + n + " connections, new clients wait in the listen"
                        + " queue"));
        Http1Log log = new Http1Log() {
            @Override
            public void timedOut(String remoteAddress, String phase) {
                timeouts.log("[uwsgi-http] socket timeout while " + (phase.equals("write") ? "writing a response to "
                        : "reading from ") + remoteAddress);
            }

            @Override
            public void bodyReadFailed(String remoteAddress, BodyReadException failure) {
                bodyReads.log(failure.getMessage() + " (" + remoteAddress + ")");
            }

            @Override
            public void requestRejected(String remoteAddress, int status, String reason) {
                Log.line("[uwsgi-http] " + remoteAddress + ": " + status + " " + reason);
            }

            @Override
            public void handlerFailed(dev.imperium.server.RequestHead request, Throwable failure) {
                Log.line("[uwsgi-http] " + (request == null ? "connection" : request.method() + " "
                        + request.target()) + ": " + failure.getMessage());
            }

            @Override
            public void acceptLog(String line) {
                Log.line("[uwsgi-http] " + line);
            }
        };
        List<Listener> listeners = new ArrayList<>();
        for (ServerSocketChannel socket : sockets) {
            listeners.add(Listener.forSharedSocket(socket, AcceptGate.OPEN,
                    Http1Connection.factory(forwarder, config, log), Http1Connection.timing(config),
                    log::acceptLog).limitConnections(limit));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.on("HUP", () -> {
            listeners.forEach(Listener::stopAccepting);
            stop.countDown();
        });
        Signals.on("INT", () -> Runtime.getRuntime().halt(0));
        Signals.on("TERM", () -> Runtime.getRuntime().halt(0));
        listeners.forEach(Listener::start);
        try {
            stop.await();
            for (Listener listener : listeners) {
                listener.awaitTermination(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Posix.exitNow(0);
    }
}
