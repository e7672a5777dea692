package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.imperium.apps.FakeExchange;
import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.server.Handler;
import dev.imperium.statics.MimeTypes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): internal routing, from the rule text to a served request: {@link RuleParser} (regexps,
 * conditions, actions), {@link Template} expansion ({@code $1}, {@code ${VAR}}, {@code ${qs[...]}} ...) and
 * {@link RouteEngine} over an in-memory request, with an app behind it.
 *
 * <p>Input, as text (ISO-8859-1): the first line is the request-target; a line {@code H name: value} adds a request
 * header (but Content-Length, which the in-memory request takes as its body's length); any other line
 * {@code option=value} is a config entry (the routing options are read, the rest skipped).
 * Rules that name {@code /dev/} or {@code /proc/} are left out (a {@code static:} of a device is the config author's
 * choice, not a parser bug).
 *
 * <p>Invariants: a bad rule is only ever an {@link IllegalArgumentException} from {@link RoutingRules#from}; a
 * served request never throws, ends with a status in 100..599 (the app or a routing answer), or is closed on purpose.
 */
class RoutingFuzzTest {
    private final AtomicInteger logLines = new AtomicInteger();

    @FuzzTest
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void rules(byte[] input) throws Exception {
        String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", 32);
        String target = lines[0];
        if (target.isEmpty() || target.charAt(0) != '/') {
            target = "/" + target;
        }
        int question = target.indexOf('?');
        FakeExchange.Builder request = FakeExchange.request("GET", target)
                .path(question < 0 ? target : target.substring(0, question));
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 1; i < Math.min(lines.length, 31); i++) {
            String line = lines[i];
            if (line.startsWith("H ")) {
                int colon = line.indexOf(':');
                if (colon > 2 && !line.substring(2, colon).strip().equalsIgnoreCase("Content-Length")) {
                    request.header(line.substring(2, colon).strip(), line.substring(colon + 1).strip());
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.contains("/dev/") || line.contains("/proc/")) {
                continue;
            }
            entries.add(new ConfigEntry(line.substring(0, eq), line.substring(eq + 1),
                    new Origin(Path.of("fuzz.ini"), i + 1)));
        }
        RoutingRules rules;
        try {
            rules = RoutingRules.from(entries);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("fuzz.ini");
            return;
        }
        InternalRouting routing = new InternalRouting(rules, new RouteEnvironment(MimeTypes.builtIn(), 3, 4242,
                new JwsgiEnvBuilder("fuzzhost"), line -> logLines.incrementAndGet(),
                new Htpasswd(line -> logLines.incrementAndGet())));
        FakeExchange exchange = request.build();
        Handler app = ex -> {
            byte[] body = "app".getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = ex.respond(200, new HttpFields().add("Content-Type", "text/plain"),
                    body.length)) {
                out.write(body);
            }
            return true;
        };
        routing.serve(exchange, app);
        if (!exchange.aborted() && exchange.committed()) {
            assertThat(exchange.status()).isBetween(100, 599);
        }
    }
}
