package dev.imperium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imperium.apps.FakeExchange;
import dev.imperium.config.ConfigEntry;
import dev.imperium.config.Origin;
import dev.imperium.http.HttpFields;
import dev.imperium.jwsgi.JwsgiEnvBuilder;
import dev.imperium.statics.MimeTypes;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A NUL byte where routing turns text into a file name (found by {@link RoutingFuzzTest}: a {@code basicauth} file
 * name with a NUL escaped {@link RoutingRules#from} as an {@link java.nio.file.InvalidPathException} that named no
 * config line). In a rule it is a syntax error naming the line; in a request's vars (a uwsgi client may send any
 * byte) it names no file, so the request is answered as for a missing file instead of failing.
 */
class NulInPathTest {
    private final List<String> log = new ArrayList<>();

    @Test
    void aBasicauthFileNameWithANulIsASyntaxErrorNamingTheLine() {
        List<ConfigEntry> entries = List.of(new ConfigEntry("route", "^/secret basicauth:realm,users\0.htpasswd",
                new Origin(Path.of("app.ini"), 7)));
        assertThatThrownBy(() -> RoutingRules.from(entries))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app.ini:7")
                .hasMessageContaining("invalid htpasswd file name");
    }

    @Test
    void fileConditionsOnANulNameAreFalse() {
        for (Condition c : List.of(Condition.EXISTS, Condition.ISFILE, Condition.ISDIR, Condition.ISLINK,
                Condition.ISEXEC)) {
            assertThat(c.test("/etc\0/passwd", null)).as(c.name()).isFalse();
        }
    }

    @Test
    void aRequestVarWithANulNamesNoFile() throws Exception {
        InternalRouting routing = routing("route-if", "isfile:/etc/${HTTP_X} return:403",
                "route-run", "static:/etc/${HTTP_X}");
        FakeExchange ex = FakeExchange.request("GET", "/").header("X", "hostname\0x").build();
        routing.serve(ex, e -> {
            try (OutputStream out = e.respond(200, new HttpFields(), 0)) {
                return true;
            }
        });
        assertThat(ex.status()).isEqualTo(404);
    }

    private InternalRouting routing(String... keyValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new ConfigEntry(keyValues[i], keyValues[i + 1], new Origin(Path.of("app.ini"), i / 2 + 1)));
        }
        return new InternalRouting(RoutingRules.from(entries), new RouteEnvironment(MimeTypes.builtIn(), 3, 4242,
                new JwsgiEnvBuilder("testhost"), log::add, new Htpasswd(log::add)));
    }
}
