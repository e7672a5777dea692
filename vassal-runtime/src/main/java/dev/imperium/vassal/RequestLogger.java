package dev.imperium.vassal;

import dev.imperium.jwsgi.ByteText;
import dev.imperium.jwsgi.IpText;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.logging.DatagramSender;
import dev.imperium.logging.DatagramTarget;
import dev.imperium.logging.LogFormat;
import dev.imperium.logging.LoggerSpec;
import dev.imperium.logging.RequestLogEntry;
import dev.imperium.logging.RequestLogPolicy;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import dev.imperium.uwsgi.UwsgiVars;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worker's request log (uWSGI's {@code log_request} and {@code logit}, {@code core/logging.c}): decides whether a
 * finished request gets a line ({@link RequestLogPolicy}), formats it (uWSGI's default line, or the
 * {@code log-format}), and sends it to the master's request pipe ({@link RequestPipe}, for files and the main log)
 * and straight to any datagram request logger ({@code syslog:}, {@code rsyslog:}, {@code socket:}), without a hop
 * through the master. Thread-safe.
 */
final class RequestLogger {
    private final RequestLogPolicy policy;
    private final LogFormat format;
    private final RequestLog defaultLine;
    private final boolean forwardedFor;
    private final boolean memoryReport;
    private final boolean toPipe;
    private final java.util.function.Consumer<String> pipe;
    private final List<DatagramTarget> direct;
    private final int workerId;
    private final long pid = ProcessHandle.current().pid();
    private final JwsgiEnvBuilder vars = JwsgiEnvBuilder.forThisHost();

    /** The {@code http-socket-modifier1} an HTTP request counts as having (its head keeps only 9, CGI). */
    private final int httpModifier1;

    private RequestLogger(LogSettings settings, int workerId, int httpModifier1, boolean toPipe,
            java.util.function.Consumer<String> pipe, List<DatagramTarget> direct) {
        this.pipe = pipe;
        this.httpModifier1 = httpModifier1;
        this.policy = settings.policy();
        this.format = settings.format();
        this.defaultLine = new RequestLog(settings.micros());
        this.forwardedFor = settings.forwardedFor();
        this.memoryReport = settings.memoryReport();
        this.workerId = workerId;
        this.toPipe = toPipe;
        this.direct = List.copyOf(direct);
    }

    /**
     * Builds a worker's request log. Request lines go where uWSGI sends them: to the {@code req-logger}s, else to the
     * {@code logger}s, else to the vassal's log.
     *
     * @param vassal the vassal's settings
     * @param workerId the worker's id
     * @return the request log
     */
    static RequestLogger of(VassalSettings vassal, int workerId) {
        return of(vassal, workerId, RequestPipe::write);
    }

    /** As {@link #of(VassalSettings, int)}, the lines for the master going to {@code pipe}. */
    static RequestLogger of(VassalSettings vassal, int workerId, java.util.function.Consumer<String> pipe) {
        LogSettings settings = vassal.logging();
        List<LoggerSpec> loggers = !settings.requestLoggers().isEmpty() ? settings.requestLoggers()
                : settings.loggers();
        boolean toPipe = loggers.isEmpty();
        List<DatagramTarget> direct = new ArrayList<>();
        for (LoggerSpec spec : loggers) {
            if (spec instanceof LoggerSpec.Datagram d) {
                try {
                    direct.add(new DatagramTarget(DatagramSender.open(d.address()), d.framing()));
                } catch (IOException e) {
                    Log.line("request logger " + d.address() + ": " + e.getMessage());
                }
            } else {
                toPipe = true;
            }
        }
        return new RequestLogger(settings, workerId, vassal.config().intValue("http-socket-modifier1", 0), toPipe,
                pipe, direct);
    }

    /** Returns a request log with uWSGI's defaults (every request, the default line), for tests and fallbacks. */
    static RequestLogger defaults(int workerId) {
        return new RequestLogger(LogSettings.defaults(), workerId, 0, true, RequestPipe::write, List.of());
    }

    /** Returns true if this worker may ever log a request. */
    boolean active() {
        return !policy.never();
    }

    /**
     * Logs one finished request, if the policy says so.
     *
     * @param exchange the exchange as routing left it
     * @param doNotLog routing's {@code donotlog:} ran
     * @param logVars routing's {@code logvar:} values
     * @param appLoaded whether an app is loaded ({@code app: 0} or {@code app: -1})
     * @param appRequests requests served by the app in this worker
     * @param workerRequests requests served by this worker
     * @param startMillis when the request started (epoch ms)
     * @param durationNanos how long it took
     * @param core the core that served it
     * @param ioError the I/O error with the client that ended it, or null
     */
    void log(Exchange exchange, boolean doNotLog, Map<String, String> logVars, boolean appLoaded, long appRequests,
            long workerRequests, long startMillis, long durationNanos, int core, IOException ioError) {
        long micros = durationNanos / 1000;
        if (!policy.shouldLog(doNotLog, exchange.status(), exchange.bodyBytes(), micros, ioError != null)) {
            return;
        }
        Entry entry = new Entry(exchange, logVars, startMillis, micros, core, ioError);
        String line;
        if (format != null) {
            line = format.format(entry);
        } else {
            JwsgiEnvBuilder.VarsBlock block = vars.measure(exchange.request());
            String memory = memoryReport ? memory(entry.vszBytes(), entry.rssBytes()) : "";
            line = memory + defaultLine.format(exchange, entry.lineAddress(), appLoaded ? 0 : -1, appRequests,
                    workerRequests, block.count(), block.bytes(), startMillis, micros, core);
        }
        if (toPipe) {
            pipe.accept(line);
        }
        if (!direct.isEmpty()) {
            long now = System.currentTimeMillis();
            for (DatagramTarget target : direct) {
                target.send(pid, line, now);
            }
        }
    }

    /** uWSGI's {@code memory-report} prefix of the default line. */
    private static String memory(long vsz, long rss) {
        return "{address space usage: " + vsz + " bytes/" + vsz / 1024 / 1024 + "MB} {rss usage: " + rss + " bytes/"
                + rss / 1024 / 1024 + "MB} ";
    }

    /** Reads this process's address space and resident size from {@code /proc/self/statm}; {0, 0} if unreadable. */
    static long[] memory() {
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/statm"))) {
            String[] fields = new String(in.readNBytes(128), java.nio.charset.StandardCharsets.US_ASCII).trim()
                    .split(" ");
            return new long[] {Long.parseLong(fields[0]) * 4096, Long.parseLong(fields[1]) * 4096};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** One request as the formats see it; values are computed when a format asks for them. */
    private final class Entry implements RequestLogEntry {
        private final Exchange exchange;
        private final RequestHead head;
        private final Map<String, String> logVars;
        private final long startMillis;
        private final long micros;
        private final int core;
        private final IOException ioError;
        private Map<String, Object> env;
        private long[] memory;
        private JwsgiEnvBuilder.VarsBlock block;

        Entry(Exchange exchange, Map<String, String> logVars, long startMillis, long micros, int core,
                IOException ioError) {
            this.exchange = exchange;
            this.head = exchange.request();
            this.logVars = logVars;
            this.startMillis = startMillis;
            this.micros = micros;
            this.core = core;
            this.ioError = ioError;
        }

        private String cgi(String name) {
            UwsgiVars cgi = head.cgiVars();
            String v = cgi == null ? null : cgi.get(name);
            return v == null ? null : ByteText.fromWire(v);
        }

        private String header(String cgiName, String field) {
            if (head.cgiVars() != null) {
                return cgi(cgiName);
            }
            String v = head.fields().get(field);
            return v == null ? null : ByteText.fromWire(v);
        }

        /** The {@code X-Forwarded-For} value under {@code log-x-forwarded-for}, else null. */
        private String forwarded() {
            return forwardedFor ? header("HTTP_X_FORWARDED_FOR", "X-Forwarded-For") : null;
        }

        /** The address of the default line: as before, or {@code X-Forwarded-For}. */
        String lineAddress() {
            String xff = forwarded();
            return xff != null ? xff : head.remoteAddress();
        }

        @Override
        public String addr() {
            String xff = forwarded();
            if (xff != null) {
                return xff;
            }
            String remote = head.cgiVars() != null ? cgi("REMOTE_ADDR") : null;
            return remote != null ? remote : IpText.canonical(head.remoteAddress());
        }

        @Override
        public String user() {
            String user = cgi("REMOTE_USER");
            return user == null ? "" : user;
        }

        @Override
        public String method() {
            return head.method();
        }

        @Override
        public String uri() {
            return ByteText.fromWire(head.target());
        }

        @Override
        public String proto() {
            return head.protocol();
        }

        @Override
        public String host() {
            return header("HTTP_HOST", "Host");
        }

        @Override
        public String userAgent() {
            return header("HTTP_USER_AGENT", "User-Agent");
        }

        @Override
        public String referer() {
            return header("HTTP_REFERER", "Referer");
        }

        @Override
        public int status() {
            return exchange.status();
        }

        @Override
        public long bodyBytes() {
            return exchange.bodyBytes();
        }

        @Override
        public long headerBytes() {
            return exchange.headerBytes();
        }

        @Override
        public int headerCount() {
            return exchange.headerCount();
        }

        @Override
        public long contentLength() {
            return Math.max(0, head.contentLength());
        }

        @Override
        public long startMicros() {
            return startMillis * 1000;
        }

        @Override
        public long durationMicros() {
            return micros;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public int workerId() {
            return workerId;
        }

        @Override
        public int core() {
            return core;
        }

        private JwsgiEnvBuilder.VarsBlock block() {
            if (block == null) {
                block = vars.measure(head);
            }
            return block;
        }

        @Override
        public int varCount() {
            return block().count();
        }

        @Override
        public int varBytes() {
            return block().bytes();
        }

        @Override
        public int modifier1() {
            return head.modifier1() != 0 || head.cgiVars() != null ? head.modifier1() : httpModifier1;
        }

        @Override
        public long rssBytes() {
            return memory()[1];
        }

        @Override
        public long vszBytes() {
            return memory()[0];
        }

        private long[] memory() {
            if (memory == null) {
                memory = RequestLogger.memory();
            }
            return memory;
        }

        @Override
        public String var(String name) {
            if (head.cgiVars() != null) {
                return cgi(name);
            }
            if (env == null) {
                env = vars.build(head, InputStream.nullInputStream());
            }
            Object v = env.get(name);
            return v instanceof String s ? s : null;
        }

        @Override
        public String logVar(String name) {
            return logVars == null ? null : logVars.get(name);
        }

        @Override
        public int readErrors() {
            return ioError != null && !exchange.committed() ? 1 : 0;
        }

        @Override
        public int writeErrors() {
            return ioError != null && exchange.committed() ? 1 : 0;
        }
    }
}
