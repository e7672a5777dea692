package dev.imperium.vassal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.config.VassalConfig;
import dev.imperium.http.HttpFields;
import dev.imperium.server.Exchange;
import dev.imperium.server.RequestHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestLoggerTest {
    private final List<String> lines = new ArrayList<>();

    private RequestLogger logger(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        entries.add(new ConfigEntry("http-socket", ":8080", new Origin(Path.of("v.ini"), 1)));
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("v.ini"), i / 2 + 2)));
        }
        return RequestLogger.of(VassalSettings.from(new VassalConfig(Path.of("v.ini"), entries, List.of())), 2,
                lines::add);
    }

    private static Exchange exchange(int status, long body) {
        HttpFields fields = new HttpFields().add("Host", "h").add("X-Forwarded-For", "203.0.113.9")
                .add("User-Agent", "ua");
        RequestHead head = new RequestHead("GET", "/p?q", "/p", "q", "HTTP/1.1", fields, -1, false, "127.0.0.1", 4000,
                "127.0.0.1", 8080, "http");
        return new FinishedExchange(head, status, 40, body);
    }

    @Test
    void defaultLineWithMicrosAndForwardedFor() {
        logger("log-micros", "true", "log-x-forwarded-for", "true").log(exchange(200, 3), false, null, true, 1, 1,
                System.currentTimeMillis(), 2_500_000, 0, null);
        assertThat(lines).singleElement().asString().startsWith("[pid: ").contains("] 203.0.113.9 () {")
                .contains("GET /p?q => generated 3 bytes in 2500 micros (HTTP/1.1 200)");
    }

    @Test
    void logFormatWithLogVarsAndErrors() {
        logger("log-format", "%(addr) %(status) %(wid) %(uagent) %(route) %(werr) %(rerr) %(var.HTTP_HOST)")
                .log(exchange(500, 0), false, Map.of("route", "r1"), true, 1, 1, System.currentTimeMillis(), 1000, 0,
                        new IOException("reset"));
        assertThat(lines).containsExactly("127.0.0.1 500 2 ua r1 1 0 h");
    }

    @Test
    void thePolicyDecides() {
        RequestLogger l = logger("disable-logging", "true", "log-5xx", "true", "log-format", "%(status)");
        l.log(exchange(200, 1), false, null, true, 1, 1, 0, 0, 0, null);
        l.log(exchange(502, 1), false, null, true, 1, 1, 0, 0, 0, null);
        l.log(exchange(503, 1), true, null, true, 1, 1, 0, 0, 0, null);
        assertThat(lines).containsExactly("502");
        assertThat(logger("disable-logging", "true").active()).isFalse();
        assertThat(l.active()).isTrue();
    }

    @Test
    void memoryReportPrefixesTheDefaultLine() {
        logger("memory-report", "true").log(exchange(200, 1), false, null, true, 1, 1, 0, 0, 0, null);
        assertThat(lines).singleElement().asString()
                .matches("\\{address space usage: \\d+ bytes/\\d+MB} \\{rss usage: \\d+ bytes/\\d+MB} \\[pid: .*");
    }
}
