package dev.imperium.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imperium.tests.support.BlockingRequests;
import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.HeadlessChromium;
import dev.imperium.tests.support.LoadLoop;
import dev.imperium.tests.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.imperium.tests.support.HeadlessChromium.literal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The fleet page ({@code --emperor-dashboard}) as an operator sees it: a real emperor and vassal, the page open in
 * headless Chromium, the vassal's workers and request rate (from its stats reports) following real requests, and
 * vassal files dropped into and removed from the directory while the page stays open.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardIT {
    private static final Duration START = Duration.ofSeconds(60);
    /** The page polls every second; a change shows within a few. */
    private static final Duration LIVE = Duration.ofSeconds(10);
    private static final Pattern URL = Pattern.compile("\\[emperor] fleet page on (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A file name that is markup: the page must show it as text and run nothing. */
    private static final String HOSTILE = "<img src=x onerror=window.pwned=1>.ini";

    @TempDir
    Path root;

    private EmperorFixture emperor;
    private HeadlessChromium browser;

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (emperor != null) {
                emperor.close();
            }
        }
    }

    /** A vassal of two workers; {@code BlockingApp} can hold a request in a worker. */
    private static String appIni(int port) {
        return """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 2
                jvm-classpath = %s
                jwsgi = dev.imperium.tests.apps.BlockingApp
                disable-logging = true
                """.formatted(port, Dist.testApps());
    }

    private static String helloIni(int port) {
        return """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                processes = 1
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                """.formatted(port, Dist.helloJar());
    }

    private String startEmperorWithDashboard() {
        emperor = EmperorFixture.start(root, "--emperor-dashboard", "127.0.0.1:0");
        emperor.awaitLog(URL.pattern(), Duration.ofSeconds(20));
        Matcher m = URL.matcher(emperor.log());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The names in the table's rows, in order. */
    private List<String> rows() {
        List<String> names = new ArrayList<>();
        browser.evaluate("[...document.querySelectorAll('#vassals tr.vassal')].map(r => r.dataset.vassal)")
                .forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The text of a vassal's cell, found by its column label; null if the row is not there. */
    private String cell(String vassal, String column) {
        return browser.string("(() => { const r = [...document.querySelectorAll('#vassals tr.vassal')]"
                + ".find(r => r.dataset.vassal === " + literal(vassal) + "); if (!r) return null;"
                + " const c = [...r.children].find(c => c.getAttribute('data-label') === " + literal(column) + ");"
                + " return c ? c.textContent : null; })()");
    }

    /** The request rate a vassal's row shows, or -1 while it shows none (a dash). */
    private double rate(String vassal) {
        String text = cell(vassal, "Requests/s");
        return text == null || text.equals("\u2013") ? -1 : Double.parseDouble(text);
    }

    /** The points of the rate chart in a vassal's row: {@code x,y} pairs; 0 while nothing is drawn. */
    private int chartPoints(String vassal) {
        String points = browser.string("(() => { const r = [...document.querySelectorAll('#vassals tr.vassal')]"
                + ".find(r => r.dataset.vassal === " + literal(vassal) + ");"
                + " return r ? r.querySelector('svg.spark polyline').getAttribute('points') || '' : ''; })()");
        return points == null || points.isBlank() ? 0 : points.trim().split("\\s+").length;
    }

    /** A vassal's state as the page words it, e.g. {@code running}. */
    private String state(String vassal) {
        return browser.string("(() => { const r = [...document.querySelectorAll('#vassals tr.vassal')]"
                + ".find(r => r.dataset.vassal === " + literal(vassal) + ");"
                + " return r ? r.querySelector('.state .label').textContent : null; })()");
    }

    @Test
    void thePageFollowsTheTrafficAndTheDirectoryLiveAndShowsNamesAsText() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "chromium is not installed");
        String url = startEmperorWithDashboard();
        int port = FreePorts.next();
        emperor.deploy("app.ini", appIni(port));
        long master = emperor.awaitGeneration("app.ini", 1, START);

        browser = HeadlessChromium.open(Files.createDirectories(root.resolve("chromium")), url);
        await("the vassal row").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                .until(() -> rows().equals(List.of("app.ini")));
        await("running, with its pid").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                .until(() -> "running".equals(state("app.ini"))
                        && Long.toString(master).equals(cell("app.ini", "PID")));
        assertThat(cell("app.ini", "Vassal")).isEqualTo("app.ini");
        assertThat(cell("app.ini", "Generation")).isEqualTo("1");
        assertThat(cell("app.ini", "Restarts")).isEqualTo("0");
        assertThat(cell("app.ini", "Last error")).isEqualTo("\u2013");
        assertThat(browser.string("document.querySelectorAll('#fleet thead th[scope=col]').length"))
                .isEqualTo("9");
        browser.evaluate("window.imperiumTestMark = 'same page'");

        // Its workers, from its stats reports: both idle, then one holding a request.
        await("its two workers, idle").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                .until(() -> "0/2".equals(cell("app.ini", "Workers busy/total")));
        Path release = root.resolve("release");
        CompletableFuture<RawHttp.Response> held = BlockingRequests.block(port, release, LIVE);
        try {
            await("one worker busy").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                    .until(() -> "1/2".equals(cell("app.ini", "Workers busy/total")));
        } finally {
            Files.writeString(release, "");
        }
        assertThat(held.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);

        // Traffic while files come and go: a request rate shows, its chart drawn (a line needs two points).
        long loaded = System.nanoTime();
        try (LoadLoop load = LoadLoop.start(port, "/", 1, 0, Duration.ofSeconds(60))) {
            // A second file appears on the same page, without a reload; its name is markup, shown as text.
            long dropped = System.nanoTime();
            emperor.deploy(HOSTILE, "[uwsgi]\nprocesses = 1\n"); // no socket: it refuses to start
            await("the new row").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                    .until(() -> rows().equals(List.of(HOSTILE, "app.ini")));
            long shown = System.nanoTime();
            assertThat(cell(HOSTILE, "Vassal")).isEqualTo(HOSTILE);
            // It fails to start: the emperor's reason is on the page, behind a button that expands it.
            await("its last error").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !"\u2013".equals(cell(HOSTILE, "Last error")));
            String error = cell(HOSTILE, "Last error");
            assertThat(error).containsAnyOf("exited with code", "fatal error");
            String details = browser.string("(() => { const r = [...document.querySelectorAll('#vassals tr.vassal')]"
                    + ".find(r => r.dataset.vassal === " + literal(HOSTILE) + ");"
                    + " const b = r.querySelector('td.error button'); b.click();"
                    + " const d = document.getElementById(b.getAttribute('aria-controls'));"
                    + " return (d.hidden ? 'hidden' : 'shown') + ' ' + b.getAttribute('aria-expanded') + ' '"
                    + " + d.querySelector('.message').textContent; })()");
            assertThat(details).startsWith("shown true ").contains(error.strip());
            assertThat(browser.string("String(window.pwned)")).isEqualTo("undefined");
            assertThat(browser.string("String(document.querySelectorAll('img').length)")).isEqualTo("0");

            // Removed: the row goes away, still on the same page.
            long removed = System.nanoTime();
            emperor.remove(HOSTILE);
            await("the row gone").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                    .until(() -> rows().equals(List.of("app.ini")));
            System.out.printf("fleet page: a dropped file's row after %d ms, a removed file's row gone after %d ms;"
                    + " its last error: %s%n", (shown - dropped) / 1_000_000, (System.nanoTime() - removed) / 1_000_000,
                    error);

            await("a request rate and its chart").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                    .failFast("requests fail: " + load.failures(), () -> load.failed() > 0)
                    .until(() -> rate("app.ini") >= 1 && chartPoints("app.ini") >= 2); // the held one alone: < 1/s
            load.stop();
            assertThat(load.failures()).isEmpty();
            System.out.printf("fleet page: %s requests/s shown; %d requests in %d ms%n",
                    cell("app.ini", "Requests/s"), load.ok(), (System.nanoTime() - loaded) / 1_000_000);
        }
        assertThat(browser.string("(() => { const r = [...document.querySelectorAll('#vassals tr.vassal')]"
                + ".find(r => r.dataset.vassal === 'app.ini');"
                + " return r.querySelector('svg.spark').getAttribute('aria-label'); })()"))
                .startsWith("requests per second over the last minute: now ");
        assertThat(browser.string("window.imperiumTestMark")).isEqualTo("same page");
        await("its workers idle again after the traffic").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                .until(() -> "0/2".equals(cell("app.ini", "Workers busy/total")));

        // A narrow window: one card per vassal, nothing wider than the screen.
        browser.send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", 360)
                .put("height", 740).put("deviceScaleFactor", 1).put("mobile", true));
        await("the narrow layout").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                .until(() -> "block".equals(browser.string(
                        "getComputedStyle(document.querySelector('#vassals tr.vassal')).display")));
        assertThat(browser.string("String(document.documentElement.scrollWidth <= window.innerWidth)"))
                .as("no horizontal scrolling at 360 px").isEqualTo("true");

        assertThat(browser.errors()).as("script errors or policy refusals in the page").isEmpty();
    }

    @Test
    void apiFleetServesTheSnapshotTheEmperorTakes() throws Exception {
        String url = startEmperorWithDashboard();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> empty = http.send(HttpRequest.newBuilder(URI.create(url + "api/fleet"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(empty.statusCode()).isEqualTo(200);
        JsonNode root0 = JSON.readTree(empty.body());
        assertThat(root0.path("vassals")).isEmpty();
        assertThat(root0.path("emperor").path("pid").asLong()).isEqualTo(emperor.process().pid());
        assertThat(root0.path("emperor").path("vassals_dir").asText()).isEqualTo(emperor.vassals().toString());

        int port = FreePorts.next();
        emperor.deploy("hello.ini", helloIni(port));
        long master = emperor.awaitGeneration("hello.ini", 1, START);

        JsonNode v = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "api/fleet"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("vassals").get(0);
        assertThat(v.path("name").asText()).isEqualTo("hello.ini");
        assertThat(v.path("state").asText()).isEqualTo("RUNNING");
        assertThat(v.path("pid").asLong()).isEqualTo(master);
        assertThat(v.path("generation").asInt()).isEqualTo(1);
        assertThat(v.path("restarts").asInt()).isZero();
        assertThat(v.has("last_error")).isFalse();

        // From the vassal's stats reports: its worker, and the requests it answered (a 404 counts too).
        for (String path : List.of("/", "/env", "/nothing-here")) {
            RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                    Duration.ofSeconds(10));
        }
        JsonNode[] reported = new JsonNode[1];
        await("a report counting the 3 requests").atMost(LIVE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    reported[0] = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "api/fleet"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body())
                            .path("vassals").get(0);
                    return reported[0].path("requests_total").asLong() >= 3;
                });
        assertThat(reported[0].path("requests_total").asLong()).isEqualTo(3);
        assertThat(reported[0].path("workers_total").asInt()).isEqualTo(1);
        assertThat(reported[0].path("workers_busy").asInt()).isZero();
    }
}
