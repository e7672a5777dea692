package dev.imperium.apps;

import dev.imperium.statics.MimeTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppLoaderTest {
    private static final String TYPED_APP = """
            package demo;

            import dev.imperium.app.*;
            import java.nio.file.*;

            public class TypedApp implements HttpApp {
                private Path directory;

                @Override
                public void start(AppContext context) throws Exception {
                    directory = context.directory();
                    Files.writeString(directory.resolve("started"), "worker " + context.workerId());
                }

                @Override
                public void stop() throws Exception {
                    Files.writeString(directory.resolve("stopped"), "yes");
                }

                @Override
                public Response handle(Request request) throws Exception {
                    ClassLoader mine = getClass().getClassLoader();
                    return switch (request.path()) {
                        case "/tccl" -> Response.text(String.valueOf(
                                Thread.currentThread().getContextClassLoader() == mine));
                        case "/visible" -> Response.text(visible(request.queryParam("class").orElseThrow(), mine));
                        case "/picocli" -> Response.text((String) Class.forName("picocli.CommandLine", true, mine)
                                .getMethod("who").invoke(null));
                        case "/boom" -> throw new IllegalStateException("typed boom");
                        case "/null" -> null;
                        case "/file" -> Response.file(Path.of(request.queryParam("path").orElseThrow()));
                        case "/echo" -> Response.text(request.method() + " " + request.path() + " "
                                + request.header("X-Test").orElse("-") + " " + request.bodyText());
                        default -> Response.notFound();
                    };
                }

                private static String visible(String name, ClassLoader loader) {
                    try {
                        Class.forName(name, false, loader);
                        return "visible";
                    } catch (ClassNotFoundException e) {
                        return "hidden";
                    }
                }
            }
            """;

    private static final String OWN_PICOCLI = """
            package picocli;

            public class CommandLine {
                public static String who() {
                    return "the app's own picocli";
                }
            }
            """;

    private static final String JWSGI_APP = """
            package demo;

            import java.util.HashMap;

            public class Jwsgi {
                public static Object[] application(HashMap env) {
                    HashMap<String, Object> headers = new HashMap<>();
                    headers.put("Content-Type", "text/plain");
                    return new Object[] {200, headers, "jwsgi " + env.get("PATH_INFO")};
                }
            }
            """;

    private static final String BROKEN_APPS = """
            package demo;

            import dev.imperium.app.*;

            public class Broken {
                public static class NotAnApp {
                }

                public static class NoDefaultConstructor implements HttpApp {
                    public NoDefaultConstructor(String x) {
                    }

                    public Response handle(Request request) {
                        return Response.text("x");
                    }
                }

                public static class FailingStart implements HttpApp {
                    public void start(AppContext context) {
                        throw new IllegalStateException("no database");
                    }

                    public Response handle(Request request) {
                        return Response.text("x");
                    }
                }
            }
            """;

    @TempDir
    static Path build;
    static Path classes;
    static Path jar;

    @TempDir
    Path vassalDir;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void compileApps() {
        classes = TestApps.compile(build, build.resolve("classes"), Map.of(
                "demo/TypedApp.java", TYPED_APP,
                "picocli/CommandLine.java", OWN_PICOCLI,
                "demo/Jwsgi.java", JWSGI_APP,
                "demo/Broken.java", BROKEN_APPS));
        jar = TestApps.jar(classes, build.resolve("app.jar"));
    }

    private LoadedApp load(String jwsgi, String typed, List<Path> classpath) throws AppLoadException {
        return AppLoader.load(new AppSpec(classpath, jwsgi, typed, false, vassalDir),
                MimeTypes.parse("text/plain txt"), log);
    }

    private LoadedApp typedApp() throws AppLoadException {
        return load(null, "demo.TypedApp", List.of(jar));
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static FakeExchange serve(LoadedApp app, FakeExchange exchange) throws Exception {
        assertThat(app.handle(exchange)).isTrue();
        return exchange;
    }

    @Test
    void loadsATypedAppAndServesWithIt() throws Exception {
        try (LoadedApp app = typedApp()) {
            assertThat(app.isPresent()).isTrue();
            assertThat(app.description()).isEqualTo("Imperium app \"demo.TypedApp\"");
            assertThat(log()).contains("Imperium app \"demo.TypedApp\" loaded");
            FakeExchange exchange = serve(app, FakeExchange.request("POST", "/echo").header("X-Test", "yes")
                    .header("Content-Length", "4").body("body").build());
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.responseText()).isEqualTo("POST /echo yes body");
            assertThat(exchange.responseField("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        }
    }

    @Test
    void startsTheAppOnLoadAndStopsItOnClose() throws Exception {
        LoadedApp app = typedApp();
        assertThat(vassalDir.resolve("started")).hasContent("worker 0");
        assertThat(vassalDir.resolve("stopped")).doesNotExist();
        app.close();
        app.close();
        assertThat(vassalDir.resolve("stopped")).hasContent("yes");
    }

    @Test
    void isolatesTheAppFromImperiumsOwnDependencies() throws Exception {
        try (LoadedApp app = typedApp()) {
            assertThat(text(app, "/visible?class=com.fasterxml.jackson.databind.ObjectMapper")).isEqualTo("hidden");
            assertThat(text(app, "/visible?class=dev.imperium.server.Handler")).isEqualTo("hidden");
            assertThat(text(app, "/visible?class=dev.imperium.apps.AppLoader")).isEqualTo("hidden");
            assertThat(text(app, "/visible?class=dev.imperium.app.Response")).isEqualTo("visible");
            assertThat(text(app, "/visible?class=java.sql.Connection")).isEqualTo("visible");
            assertThat(text(app, "/picocli")).isEqualTo("the app's own picocli");
        }
    }

    @Test
    void runsTheAppWithItsLoaderAsContextClassLoader() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (LoadedApp app = typedApp()) {
            assertThat(text(app, "/tccl")).isEqualTo("true");
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void answers500AndLogsWhenTheTypedAppFailsAndKeepsServing() throws Exception {
        try (LoadedApp app = typedApp()) {
            FakeExchange boom = serve(app, FakeExchange.get("/boom"));
            assertThat(boom.status()).isEqualTo(500);
            assertThat(log()).contains("exception in app demo.TypedApp while serving GET /boom",
                    "java.lang.IllegalStateException: typed boom", "demo.TypedApp.handle(TypedApp.java:");
            assertThat(serve(app, FakeExchange.get("/null")).status()).isEqualTo(500);
            assertThat(log()).contains("returned no response (null)");
            assertThat(serve(app, FakeExchange.get("/echo")).status()).isEqualTo(200);
        }
    }

    @Test
    void sendsFileResponsesWithTheirTypeOr404WhenMissing() throws Exception {
        Path file = Files.writeString(vassalDir.resolve("data.txt"), "file data\n");
        try (LoadedApp app = typedApp()) {
            FakeExchange found = serve(app, FakeExchange.get("/file?path=" + file));
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.responseField("Content-Type")).isEqualTo("text/plain");
            assertThat(found.contentLength()).isEqualTo(10);
            assertThat(found.transferredBytes()).isEqualTo(10);
            FakeExchange missing = serve(app, FakeExchange.get("/file?path=" + vassalDir.resolve("nope.txt")));
            assertThat(missing.status()).isEqualTo(404);
        }
    }

    @Test
    void loadsAJwsgiAppFromARelativeWildcardClasspathInSlashForm() throws Exception {
        Path lib = Files.createDirectories(vassalDir.resolve("lib"));
        Files.copy(jar, lib.resolve("app.jar"));
        try (LoadedApp app = load("demo/Jwsgi", null, List.of(Path.of("lib/*")))) {
            assertThat(app.description()).isEqualTo("JWSGI app \"demo/Jwsgi\"");
            assertThat(log()).contains("JWSGI app \"demo/Jwsgi\" loaded");
            FakeExchange exchange = serve(app, FakeExchange.get("/hello"));
            assertThat(exchange.responseText()).isEqualTo("jwsgi /hello");
        }
    }

    @Test
    void loadsFromAClassesDirectoryAndWarnsAboutMissingEntries() throws Exception {
        try (LoadedApp app = load("demo.Jwsgi:application", null, List.of(Path.of("missing.jar"), classes))) {
            assertThat(serve(app, FakeExchange.get("/x")).responseText()).isEqualTo("jwsgi /x");
        }
        assertThat(log()).contains("jvm-classpath entry " + vassalDir.resolve("missing.jar") + " does not exist");
    }

    @Test
    void explainsWhyAnAppCannotBeLoaded() {
        assertLoadFails(null, "demo.Missing", "class not found");
        assertLoadFails(null, "demo.Broken$NotAnApp", "does not implement dev.imperium.app.HttpApp");
        assertLoadFails(null, "demo.Broken$NoDefaultConstructor", "needs a public no-arg constructor");
        assertLoadFails(null, "demo.Broken$FailingStart", "start() failed");
        assertLoadFails("demo/Missing", null, "class demo.Missing not found");
        assertLoadFails("demo/Jwsgi:nope", null, "has no method Object[] nope(java.util.HashMap)");
        assertLoadFails("demo/Jwsgi", "demo.TypedApp", "both jwsgi and imperium-app are set");
    }

    private void assertLoadFails(String jwsgi, String typed, String message) {
        assertThatThrownBy(() -> load(jwsgi, typed, List.of(jar)))
                .as(jwsgi + " / " + typed)
                .isInstanceOf(AppLoadException.class)
                .hasMessageContaining(message);
    }

    @Test
    void needAppWithoutAnAppIsAnError() {
        assertThatThrownBy(() -> AppLoader.load(new AppSpec(List.of(), null, null, true, vassalDir),
                MimeTypes.builtIn(), log))
                .isInstanceOf(AppLoadException.class).hasMessageContaining("need-app");
        assertThat(AppLoadException.EXIT_CODE).isEqualTo(22);
    }

    @Test
    void withoutAnAppEveryRequestIsAnswered500AndLogged() throws Exception {
        try (LoadedApp app = load(null, null, List.of())) {
            assertThat(app.isPresent()).isFalse();
            assertThat(app.description()).isEqualTo("no app");
            FakeExchange exchange = serve(app, FakeExchange.get("/anything"));
            assertThat(exchange.status()).isEqualTo(500);
            assertThat(log()).contains("--- no app loaded --- while serving GET /anything");
        }
    }

    private static String text(LoadedApp app, String target) throws Exception {
        return serve(app, FakeExchange.get(target)).responseText();
    }
}
