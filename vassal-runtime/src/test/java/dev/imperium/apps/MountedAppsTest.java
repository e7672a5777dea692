package dev.imperium.apps;

import dev.imperium.statics.MimeTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two apps compiled at test time, mounted under two prefixes. */
class MountedAppsTest {
    @TempDir
    static Path work;
    private static Path classes;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private static final String JWSGI = """
            package demo;

            import java.util.HashMap;

            public class Names {
                public static Object[] application(HashMap<String, Object> env) {
                    HashMap<String, Object> headers = new HashMap<>();
                    return new Object[] {200, headers, "jwsgi " + env.get("SCRIPT_NAME") + " " + env.get("PATH_INFO")};
                }
            }
            """;
    private static final String TYPED = """
            package demo;

            import dev.imperium.app.HttpApp;
            import dev.imperium.app.Request;
            import dev.imperium.app.Response;

            public class Typed implements HttpApp {
                @Override
                public Response handle(Request request) {
                    return Response.text("typed " + request.path() + " " + request.target());
                }
            }
            """;

    @BeforeAll
    static void compile() {
        classes = TestApps.compile(work, work.resolve("classes"), Map.of("demo/Names.java", JWSGI,
                "demo/Typed.java", TYPED));
    }

    private MountedApps load(List<Mount> mounts, boolean manageScriptName, boolean noDefaultApp, boolean needApp)
            throws AppLoadException {
        return MountedApps.load(AppLoader.noApp(), mounts, manageScriptName, noDefaultApp, List.of(classes), work,
                MimeTypes.load(List.of(), line -> { }), needApp, log);
    }

    private static String get(MountedApps apps, String target) throws Exception {
        FakeExchange exchange = FakeExchange.get(target);
        apps.handle(exchange);
        return exchange.status() + " " + exchange.responseText();
    }

    @Test
    void eachAppSeesItsMountpointAsScriptName() throws Exception {
        try (MountedApps apps = load(List.of(new Mount("/j", "demo/Names"), new Mount("/t", "demo.Typed")), true,
                false, false)) {
            assertThat(get(apps, "/j/a/b?x=1")).isEqualTo("200 jwsgi /j /a/b");
            assertThat(get(apps, "/t/c?y=2")).isEqualTo("200 typed /c /t/c?y=2");
            assertThat(get(apps, "/j")).isEqualTo("200 jwsgi /j ");
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("mounting demo/Names on /j",
                "JWSGI app \"demo/Names\" loaded (mountpoint='/j')", "mounting demo.Typed on /t",
                "Imperium app \"demo.Typed\" loaded (mountpoint='/t')");
    }

    @Test
    void anUnmatchedRequestGoesToTheFirstAppOrIs500WithNoDefaultApp() throws Exception {
        List<Mount> mounts = List.of(new Mount("/j", "demo.Names"), new Mount("/t", "demo.Typed"));
        try (MountedApps apps = load(mounts, true, false, false)) {
            assertThat(get(apps, "/elsewhere")).isEqualTo("200 jwsgi  /elsewhere");
        }
        try (MountedApps apps = load(mounts, true, true, false)) {
            assertThat(get(apps, "/elsewhere")).startsWith("500 ");
        }
    }

    @Test
    void withoutManageScriptNameOnlyTheFrontServersScriptNameSelects() throws Exception {
        try (MountedApps apps = load(List.of(new Mount("/j", "demo.Names"), new Mount("/t", "demo.Typed")), false,
                false, false)) {
            assertThat(get(apps, "/t/x")).as("SCRIPT_NAME is empty on HTTP: the default app")
                    .isEqualTo("200 jwsgi  /t/x");
        }
    }

    @Test
    void aMountThatFailsIsLoggedAndLeftOutUnlessNeedApp() throws Exception {
        List<Mount> mounts = List.of(new Mount("/x", "demo.Missing"), new Mount("/t", "demo.Typed"));
        try (MountedApps apps = load(mounts, true, false, false)) {
            assertThat(get(apps, "/x/1")).as("its requests go to the default app").isEqualTo("200 typed /x/1 /x/1");
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("demo.Missing not found");
        assertThatThrownBy(() -> load(mounts, true, false, true)).isInstanceOf(AppLoadException.class);
    }
}
