package dev.imperium.cgi;

import dev.imperium.http.HttpFields;
import dev.imperium.http.HttpProtocolException;
import dev.imperium.http.PathDecoder;
import dev.imperium.jwsgi.ByteText;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.Exchange;
import dev.imperium.server.Handler;
import dev.imperium.server.RequestHead;
import dev.imperium.server.ResponseBody;
import dev.imperium.server.RewrittenExchange;
import dev.imperium.uwsgi.UwsgiVars;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs CGI scripts, as uWSGI's CGI plugin does (uwsgi-docs "Running CGI scripts on uWSGI"; RFC 3875): the request's
 * path picks the script ({@link CgiResolver}), which runs as a process with the CGI environment
 * ({@link CgiEnvironment}) and the query's words as arguments ({@link CgiArguments}), its directory as working
 * directory, the request body on its standard input (streamed, then closed), its standard error in the vassal log;
 * its standard output is read as a CGI response ({@link CgiResponseParser}) whose body is streamed to the client as
 * it comes.
 *
 * <p>Answers, as uWSGI's: 404 ({@code Not Found}) when no script matches, 403 ({@code Forbidden}) for a file that may
 * not run, 301 to add a directory's trailing slash, 500 with {@code invalid CGI response !!!} in the log when the
 * script's output is not a CGI response (uWSGI closes the connection without an answer). A script that shows no
 * progress for {@code cgi-timeout} seconds is killed with everything it started, logged {@code CGI timeout !!!}; the
 * client gets 504, or, when the answer had begun, a cut-short response. A local redirect (a response of only
 * {@code Location: /path}) is served by offering a GET of that path to the worker's handlers again (see
 * {@link #redirectLocallyThrough}).
 *
 * <p>Never declines a request. Thread-safe: each request runs its own script.
 */
public final class CgiHandler implements Handler {
    /** How many local redirects one request may follow. */
    static final int MAX_LOCAL_REDIRECTS = 10;

    private final CgiConfig config;
    private final CgiResolver resolver;
    private final Path workDir;
    private final Map<String, String> inherited;
    private final String serverSoftware;
    private final JwsgiEnvBuilder httpVars;
    private final Consumer<String> log;
    private final ThreadLocal<int[]> redirectDepth = ThreadLocal.withInitial(() -> new int[1]);
    private volatile Handler localRedirects = this;

    /**
     * Creates the handler.
     *
     * @param config the {@code cgi*} options
     * @param workDir the worker's directory: relative paths resolve against it
     * @param inherited the environment scripts start from (the worker's)
     * @param serverSoftware {@code SERVER_SOFTWARE}, e.g. {@code Imperium/1.0}
     * @param httpVars builds the variables of a request that arrived as HTTP, as uWSGI's {@code http-socket} does
     * @param log where log lines go (the vassal log)
     * @throws IllegalArgumentException with {@code cgi-optimize}, if a {@code cgi} path does not exist
     */
    public CgiHandler(CgiConfig config, Path workDir, Map<String, String> inherited, String serverSoftware,
            JwsgiEnvBuilder httpVars, Consumer<String> log) {
        this.config = config;
        this.resolver = new CgiResolver(config, workDir);
        this.workDir = workDir;
        this.inherited = Map.copyOf(inherited);
        this.serverSoftware = serverSoftware;
        this.httpVars = httpVars;
        this.log = log;
    }

    /**
     * Sets the handler a local redirect is offered to (the worker's whole chain: static files, CGI, apps); by
     * default, this handler alone. Call before serving.
     */
    public void redirectLocallyThrough(Handler chain) {
        this.localRedirects = Objects.requireNonNull(chain, "chain");
    }

    /** Logs the {@code cgi} paths as uWSGI does at start-up ({@code initialized CGI mountpoint: /m = /path}). */
    public void logMountpoints() {
        for (CgiConfig.Mountpoint m : config.mountpoints()) {
            log.accept(m.mountpoint() == null ? "initialized CGI path: " + m.path()
                    : "initialized CGI mountpoint: " + m.mountpoint() + " = " + m.path());
        }
    }

    @Override
    public boolean handle(Exchange exchange) throws Exception {
        RequestHead head = exchange.request();
        String documentRoot = head.cgiVars() == null ? null : head.cgiVars().get("DOCUMENT_ROOT");
        CgiTarget target = resolver.resolve(head.path(), documentRoot, head.query() == null ? "" : head.query());
        switch (target) {
            case CgiTarget.NotFound() -> text(exchange, 404, "Not Found");
            case CgiTarget.Forbidden(String reason) -> {
                if (reason != null) {
                    log.accept(reason);
                }
                text(exchange, 403, "Forbidden");
            }
            case CgiTarget.AddSlash(String location) -> {
                HttpFields fields = new HttpFields(1).add("Location", location);
                exchange.respond(301, fields, 0).close();
            }
            case CgiTarget.Script script -> run(exchange, head, script);
        }
        return true;
    }

    private void run(Exchange exchange, RequestHead head, CgiTarget.Script script) throws Exception {
        Map<String, String> env = CgiEnvironment.build(inherited, requestVars(head), script, serverSoftware,
                workDir.toString(), config.unset());
        List<String> command = new ArrayList<>();
        if (script.helper() != null) {
            command.add(script.helper());
        }
        command.add(script.file().toString());
        command.addAll(CgiArguments.of(head.query()));
        CgiProcess process;
        try {
            process = CgiProcess.start(command, env, script.directory(), config.timeoutSeconds(),
                    !config.doNotKillOnError(), () -> log.accept("CGI timeout !!!"));
        } catch (IOException e) {
            log.accept("cannot run CGI script " + script.file() + ": " + e.getMessage());
            text(exchange, 500, "Internal Server Error");
            return;
        }
        String location;
        try (process) {
            location = converse(exchange, process);
        }
        if (location != null) {
            redirectLocally(exchange, location);
        }
    }

    /**
     * Feeds the request body to the script and sends its response, whichever the script is ready for; returns the
     * path of a local redirect instead of answering one.
     */
    private String converse(Exchange exchange, CgiProcess process) throws IOException, InterruptedException {
        InputStream body = exchange.body();
        byte[] in = new byte[16384];
        boolean feeding = true;
        byte[] head = new byte[Math.min(config.bufferSize(), 16384)];
        int length = 0;
        ResponseBody out = null;
        try {
            while (true) {
                CgiProcess.Chunk chunk = process.next(feeding);
                if (chunk == null) {
                    int n = body.read(in);
                    if (n < 0) {
                        process.endInput();
                        feeding = false;
                    } else {
                        process.input(in, n);
                    }
                    continue;
                }
                if (out != null) {
                    if (sendBody(out, chunk, process)) {
                        return null;
                    }
                    continue;
                }
                if (chunk.kind() != CgiProcess.Chunk.Kind.DATA) {
                    failBeforeAnswer(exchange, process, chunk, length == 0 ? "no output" : "no end of headers");
                    return null;
                }
                if (length + chunk.length() > config.bufferSize()) {
                    invalid(exchange, process, "headers larger than cgi-buffer-size (" + config.bufferSize() + ")");
                    return null;
                }
                if (length + chunk.length() > head.length) {
                    head = Arrays.copyOf(head, Math.min(config.bufferSize(),
                            Math.max(head.length * 2, length + chunk.length())));
                }
                System.arraycopy(chunk.bytes(), 0, head, length, chunk.length());
                length += chunk.length();
                int end = CgiResponseParser.headEnd(head, length);
                if (end < 0) {
                    continue;
                }
                CgiResponseHead response;
                try {
                    response = CgiResponseParser.parse(head, end);
                } catch (CgiResponseException e) {
                    invalid(exchange, process, e.getMessage());
                    return null;
                }
                if (response.kind() == CgiResponseHead.Kind.LOCAL_REDIRECT) {
                    return response.location();
                }
                out = exchange.respond(response.status(), response.fields(), response.contentLength());
                out.write(head, end, length - end);
                if (!process.pending()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            process.killOnError();
            throw e;
        }
    }

    /** Sends one piece of the body; returns true once the response is complete. */
    private boolean sendBody(ResponseBody out, CgiProcess.Chunk chunk, CgiProcess process) throws IOException {
        switch (chunk.kind()) {
            case DATA -> {
                out.write(chunk.bytes(), 0, chunk.length());
                if (!process.pending()) {
                    out.flush();
                }
                return false;
            }
            case END -> {
                out.close();
                return true;
            }
            case ERROR -> {
                log.accept("error reading CGI response");
                throw new CgiAbortedException("error reading the CGI response; response cut short");
            }
            default -> throw new CgiAbortedException("CGI timeout; response cut short");
        }
    }

    private void failBeforeAnswer(Exchange exchange, CgiProcess process, CgiProcess.Chunk chunk, String what)
            throws IOException {
        if (chunk.kind() == CgiProcess.Chunk.Kind.TIMEOUT) {
            text(exchange, 504, "Gateway Timeout");
        } else {
            invalid(exchange, process, what);
        }
    }

    private void invalid(Exchange exchange, CgiProcess process, String what) throws IOException {
        log.accept("invalid CGI response !!! (" + what + ", pid " + process.pid() + ")");
        process.killOnError();
        text(exchange, 500, "Internal Server Error");
    }

    /** RFC 3875 §6.2.2: answers as if the client had sent a GET of {@code location}. */
    private void redirectLocally(Exchange exchange, String location) throws Exception {
        int[] depth = redirectDepth.get();
        if (depth[0] >= MAX_LOCAL_REDIRECTS) {
            log.accept("CGI local redirect loop: more than " + MAX_LOCAL_REDIRECTS + " redirects, the last to "
                    + location);
            text(exchange, 500, "Internal Server Error");
            return;
        }
        RequestHead redirected;
        try {
            redirected = redirected(exchange.request(), location);
        } catch (HttpProtocolException e) {
            log.accept("invalid CGI response !!! (local redirect to a bad path: " + location + ")");
            text(exchange, 500, "Internal Server Error");
            return;
        }
        depth[0]++;
        try {
            if (!localRedirects.handle(new RewrittenExchange(exchange, redirected, InputStream.nullInputStream()))) {
                text(exchange, 404, "Not Found");
            }
        } finally {
            depth[0]--;
        }
    }

    /**
     * The head of a GET of {@code location} ({@code /path?query}, as the script wrote it) in place of {@code head}:
     * the same connection and fields, without the body's fields; the variables of a request that came as
     * variables rewritten to match.
     *
     * @throws HttpProtocolException if the path's percent-encoding is broken
     */
    static RequestHead redirected(RequestHead head, String location) throws HttpProtocolException {
        int q = location.indexOf('?');
        String rawPath = q < 0 ? location : location.substring(0, q);
        String query = q < 0 ? "" : location.substring(q + 1);
        byte[] raw = rawPath.getBytes(StandardCharsets.ISO_8859_1);
        String path = PathDecoder.decode(raw, 0, raw.length);
        HttpFields fields = new HttpFields(head.fields().size());
        head.fields().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Transfer-Encoding")) {
                fields.add(name, value);
            }
        });
        UwsgiVars vars = head.cgiVars();
        if (vars != null) {
            vars = vars.with("REQUEST_METHOD", "GET").with("REQUEST_URI", location)
                    .with("PATH_INFO", ByteText.toWire(path)).with("QUERY_STRING", query)
                    .without("CONTENT_LENGTH").without("CONTENT_TYPE");
        }
        return new RequestHead("GET", location, path, query, head.protocol(), fields, -1, false,
                head.remoteAddress(), head.remotePort(), head.localAddress(), head.localPort(), head.scheme(), vars,
                head.scriptName(), head.modifier1());
    }

    /** The request's variables, decoded: the front server's, or those uWSGI's {@code http-socket} makes. */
    private Map<String, String> requestVars(RequestHead head) {
        HashMap<String, Object> env = httpVars.build(head, InputStream.nullInputStream());
        Map<String, String> vars = HashMap.newHashMap(env.size());
        env.forEach((name, value) -> {
            if (value instanceof String text) {
                vars.put(name, text);
            }
        });
        return vars;
    }

    /** A short plain-text answer, with uWSGI's bodies ({@code Not Found}, {@code Forbidden} ...). */
    private static void text(Exchange exchange, int status, String text) throws IOException {
        if (exchange.committed()) {
            return;
        }
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        HttpFields fields = new HttpFields(1).add("Content-Type", "text/plain");
        try (ResponseBody out = exchange.respond(status, fields, body.length)) {
            out.write(body);
        }
    }
}
