package dev.imperium.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Debian's Chromium, headless, showing one page that a test drives through the Chrome DevTools Protocol (CDP) over
 * the JDK's WebSocket client: {@link #evaluate} runs JavaScript in the page ({@code Runtime.evaluate}),
 * {@link #send} any other CDP command. The browser gets its own profile directory and a free debugging port
 * ({@code --remote-debugging-port=0}; the port is read back from {@code DevToolsActivePort}), carries an
 * {@link Orphans} marker, and {@link #close()} stops it and checks that none of its processes is left.
 *
 * <p>JavaScript exceptions and console errors of the page (a Content-Security-Policy refusal among them) are
 * collected in {@link #errors()}.
 */
public final class HeadlessChromium implements AutoCloseable {
    /** Where Debian installs Chromium. */
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final String marker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private WebSocket socket;

    private HeadlessChromium(ManagedProcess process, String marker) {
        this.process = process;
        this.marker = marker;
    }

    /** Returns true if Chromium is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts Chromium on {@code url} and connects to that page.
     *
     * @param dir an empty directory of the test's own: the profile and the browser's log go there
     * @param url the page to open
     * @return the browser, connected to the page; close it
     */
    public static HeadlessChromium open(Path dir, String url) {
        String marker = UUID.randomUUID().toString();
        Path profile = dir.resolve("profile");
        ManagedProcess process;
        try {
            Files.createDirectories(profile);
            Path tmp = Files.createDirectories(dir.resolve("tmp")); // its sockets and shared memory stay in dir
            process = ManagedProcess.builder("chromium", List.of(BINARY.toString(), "--headless=new",
                            "--remote-debugging-port=0", "--user-data-dir=" + profile, "--no-sandbox",
                            "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                            "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                            "--disable-background-networking", "--disable-component-update", "--mute-audio",
                            "--window-size=1280,800", url))
                    .directory(dir).log(dir.resolve("chromium.log"))
                    .env(Orphans.MARKER, marker)
                    .env("TMPDIR", tmp.toString())
                    .grace(Duration.ofSeconds(5))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HeadlessChromium browser = new HeadlessChromium(process, marker);
        try {
            browser.connect(profile.resolve("DevToolsActivePort"), url);
            browser.send("Runtime.enable", JSON.createObjectNode());
            browser.send("Log.enable", JSON.createObjectNode());
            return browser;
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    private void connect(Path activePort, String url) {
        int[] port = new int[1];
        await("chromium's DevToolsActivePort").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .failFast("chromium exited; log:\n" + process.logTail(30), () -> !process.isAlive())
                .until(() -> {
                    if (!Files.exists(activePort)) {
                        return false;
                    }
                    List<String> lines = Files.readAllLines(activePort);
                    if (lines.size() < 2 || lines.get(0).isBlank()) {
                        return false;
                    }
                    port[0] = Integer.parseInt(lines.get(0).strip());
                    return true;
                });
        String[] debuggerUrl = new String[1];
        await("the page target of " + url).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .failFast("chromium exited; log:\n" + process.logTail(30), () -> !process.isAlive())
                .until(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port[0] + "/json/list"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    for (JsonNode target : JSON.readTree(r.body())) {
                        if (target.path("type").asText().equals("page") && target.path("url").asText().startsWith(url)
                                && target.hasNonNull("webSocketDebuggerUrl")) {
                            debuggerUrl[0] = target.path("webSocketDebuggerUrl").asText();
                            return true;
                        }
                    }
                    return false;
                });
        try {
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(debuggerUrl[0]), new Listener())
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to " + debuggerUrl[0], e);
        }
    }

    /**
     * Sends a CDP command and waits for its result.
     *
     * @param method e.g. {@code Emulation.setDeviceMetricsOverride}
     * @param params its parameters
     * @return the {@code result} object
     * @throws IllegalStateException if the browser answers with an error or not within 15 s
     */
    public JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (this) { // one message at a time on the socket
                socket.sendText(JSON.writeValueAsString(message), true)
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonNode reply = answer.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.path("error"));
            }
            return reply.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + ": no answer from chromium", e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as JSON.
     *
     * @param expression e.g. {@code document.title}
     * @return the value ({@code MissingNode} for {@code undefined})
     * @throws IllegalStateException if the expression throws
     */
    public JsonNode evaluate(String expression) {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw on " + expression + ": "
                    + result.path("exceptionDetails").path("exception").path("description").asText(
                            result.path("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** Evaluates an expression whose value is a string (null for null or undefined). */
    public String string(String expression) {
        JsonNode v = evaluate(expression);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** Returns {@code text} as a JavaScript string literal (JSON's quoting), to build expressions safely. */
    public static String literal(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the page's JavaScript exceptions and console errors so far. */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Returns the browser's own output, for failure messages. */
    public String log() {
        return process.logTail(40);
    }

    /**
     * Disconnects, stops Chromium (SIGTERM, SIGKILL after 5 s) and checks that none of its processes is left.
     *
     * @throws AssertionError if a process of the browser outlived it
     */
    @Override
    public void close() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
        process.close();
        Orphans.assertNoneLeft(marker, Duration.ofSeconds(10), "chromium");
    }

    private void received(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(message.path("id").asInt());
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.path("exceptionDetails")
                    .path("exception").path("description").asText(params.path("exceptionDetails").toString()));
            case "Runtime.consoleAPICalled" -> {
                if (params.path("type").asText().equals("error")) {
                    errors.add("console.error: " + params.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                // a missing favicon is a "network" error; the page's own errors (CSP, JS) are not
                if (entry.path("level").asText().equals("error") && !entry.path("source").asText().equals("network")) {
                    errors.add(entry.path("source").asText() + ": " + entry.path("text").asText());
                }
            }
            default -> { }
        }
    }

    /** Gathers text frames into messages. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
