package dev.imperium.jwsgi;

import dev.imperium.http.HttpProtocolException;
import dev.imperium.apps.FakeExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwsgiHandlerTest {
    /** A JWSGI app whose answer each test scripts. */
    public static final class ScriptedApp {
        static volatile Function<HashMap<String, Object>, Object[]> script;

        public static Object[] application(HashMap<String, Object> env) {
            return script.apply(env);
        }
    }

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final ClassLoader appLoader = new URLClassLoader("test-app", new URL[0], getClass().getClassLoader());
    private JwsgiHandler handler;

    @BeforeEach
    void handler() throws JwsgiLoadException {
        JwsgiEntryPoint entry = JwsgiEntryPoint.load(ScriptedApp.class.getName(), getClass().getClassLoader());
        handler = new JwsgiHandler(entry, new JwsgiEnvBuilder("test"), appLoader,
                new PrintStream(errors, true, StandardCharsets.UTF_8));
    }

    private FakeExchange serve(Function<HashMap<String, Object>, Object[]> app) throws IOException {
        return serve(FakeExchange.get("/"), app);
    }

    private FakeExchange serve(FakeExchange exchange, Function<HashMap<String, Object>, Object[]> app)
            throws IOException {
        ScriptedApp.script = app;
        assertThat(handler.handle(exchange)).isTrue();
        return exchange;
    }

    private static Object[] response(Object status, Object headers, Object body) {
        return new Object[] {status, headers, body};
    }

    private static Map<String, Object> headers(Object... nameValues) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put((String) nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    private String log() {
        return errors.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sendsAStringBodyWithItsLengthSoTheConnectionCanStayOpen() throws IOException {
        FakeExchange exchange = serve(env -> response(200, headers("Content-Type", "text/plain"), "héllo\n"));
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseField("Content-Type")).isEqualTo("text/plain");
        assertThat(exchange.contentLength()).isEqualTo(7);
        assertThat(exchange.responseText()).isEqualTo("héllo\n");
        assertThat(exchange.responseClosed()).isTrue();
    }

    @Test
    void acceptsALongStatusAndTheEnvOfTheRequest() throws IOException {
        FakeExchange exchange = serve(FakeExchange.get("/path?q=1"),
                env -> response(404L, new HashMap<>(), env.get("PATH_INFO") + " " + env.get("QUERY_STRING")));
        assertThat(exchange.status()).isEqualTo(404);
        assertThat(exchange.responseText()).isEqualTo("/path q=1");
    }

    @Test
    void sendsStringArrayAndByteArrayBodiesWithTheirLength() throws IOException {
        FakeExchange strings = serve(env -> response(200, Map.of(), new String[] {"a", "bc", ""}));
        assertThat(strings.contentLength()).isEqualTo(3);
        assertThat(strings.responseText()).isEqualTo("abc");
        FakeExchange bytes = serve(env -> response(200, Map.of(), new byte[] {1, 2, 3, 4}));
        assertThat(bytes.contentLength()).isEqualTo(4);
        assertThat(bytes.responseBytes()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void streamsIterableItemsOfEveryKindWithUnknownLength() throws IOException {
        List<Object> items = List.of("one ", "two ".getBytes(StandardCharsets.UTF_8), 3, " ", new StringBuilder("4"));
        FakeExchange exchange = serve(env -> response(200, Map.of(), items));
        assertThat(exchange.contentLength()).isEqualTo(-1);
        assertThat(exchange.responseText()).isEqualTo("one two 3 4");
    }

    @Test
    void acceptsAnythingWithIteratorAsBody() throws IOException {
        FakeExchange exchange = serve(env -> response(200, Map.of(), List.of("a", "b").stream()));
        assertThat(exchange.responseText()).isEqualTo("ab");
    }

    @Test
    void sendsAFileZeroCopyWithItsLength(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("body.txt"), "file body\n");
        FakeExchange exchange = serve(env -> response(200, Map.of(), file.toFile()));
        assertThat(exchange.contentLength()).isEqualTo(10);
        assertThat(exchange.responseText()).isEqualTo("file body\n");
        assertThat(exchange.transferredBytes()).isEqualTo(10);
    }

    @Test
    void streamsAnInputStreamInChunksAndClosesIt() throws IOException {
        byte[] big = new byte[20_000];
        java.util.Arrays.fill(big, (byte) 'x');
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream(big) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        FakeExchange exchange = serve(env -> response(200, Map.of(), in));
        assertThat(exchange.contentLength()).isEqualTo(-1);
        assertThat(exchange.responseBytes()).hasSize(20_000);
        assertThat(closed).isTrue();
    }

    @Test
    void writesOneFieldLinePerValueOfAnArrayOrIterable() throws IOException {
        FakeExchange exchange = serve(env -> response(200,
                headers("Set-Cookie", new String[] {"a=1", "b=2"}, "X-List", List.of("x", "y")), ""));
        assertThat(exchange.responseFields().getAll("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(exchange.responseFields().getAll("X-List")).containsExactly("x", "y");
    }

    @Test
    void honoursAMatchingContentLengthAndDropsTransferEncoding() throws IOException {
        FakeExchange exchange = serve(env -> response(200,
                headers("Content-Length", "5", "Transfer-Encoding", "chunked"), "hello"));
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.contentLength()).isEqualTo(5);
        assertThat(exchange.responseFields().contains("Content-Length")).isFalse();
        assertThat(exchange.responseFields().contains("Transfer-Encoding")).isFalse();
    }

    @Test
    void usesTheAppContentLengthForAStream() throws IOException {
        FakeExchange exchange = serve(env -> response(200, headers("Content-Length", "3"),
                new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8))));
        assertThat(exchange.contentLength()).isEqualTo(3);
        assertThat(exchange.responseText()).isEqualTo("abc");
    }

    @Test
    void abortsAStreamShorterThanItsContentLength() {
        ScriptedApp.script = env -> response(200, headers("Content-Length", "10"),
                new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)));
        FakeExchange exchange = FakeExchange.get("/");
        assertThatThrownBy(() -> handler.handle(exchange)).isInstanceOf(IOException.class)
                .hasMessageContaining("response aborted");
        assertThat(exchange.responseClosed()).isFalse();
        assertThat(log()).contains("ended after 3 of its Content-Length 10 bytes");
    }

    @Test
    void answers500ForAContentLengthThatDoesNotMatchTheBody() throws IOException {
        assertServerError(env -> response(200, headers("Content-Length", "4"), "hello"),
                "Content-Length 4 does not match the body's 5 bytes");
        assertServerError(env -> response(200, headers("Content-Length", "-1"), "hello"),
                "is not a non-negative integer");
        assertServerError(env -> response(200, headers("Content-Length", List.of("5", "6")), "hello"),
                "two different Content-Length values");
    }

    @Test
    void answers500AndLogsTheStackTraceWhenTheAppThrows() throws IOException {
        FakeExchange exchange = serve(FakeExchange.get("/boom"), env -> {
            throw new IllegalStateException("boom in app");
        });
        assertThat(exchange.status()).isEqualTo(500);
        assertThat(exchange.responseText()).isEqualTo("Internal Server Error\n");
        assertThat(log()).contains("exception in JWSGI app", "GET /boom",
                "java.lang.IllegalStateException: boom in app", "\tat ");
    }

    @Test
    void aBadRequestBodyTheAppLetsEscapeGoesToTheProtocolLayerNot500() {
        // a malformed chunked body once became a logged app failure and a 500; it is the client's 400
        HttpProtocolException bad = new HttpProtocolException(400, "chunk-size line must end in CRLF");
        ScriptedApp.script = env -> {
            throw new java.io.UncheckedIOException(bad);
        };
        FakeExchange exchange = FakeExchange.request("POST", "/echo").build();
        assertThatThrownBy(() -> handler.handle(exchange)).isSameAs(bad);
        assertThat(exchange.committed()).isFalse();
        assertThat(log()).isEmpty();
    }

    @Test
    void keepsServingAfterAFailure() throws IOException {
        serve(env -> {
            throw new IllegalStateException("first");
        });
        assertThat(serve(env -> response(200, Map.of(), "fine")).responseText()).isEqualTo("fine");
    }

    @Test
    void answers500ForResponsesThatBreakTheContract() throws IOException {
        assertServerError(env -> null, "returned null");
        assertServerError(env -> new Object[] {200, Map.of()}, "2 items, expected 3");
        assertServerError(env -> response("200", Map.of(), ""), "Integer or a Long");
        assertServerError(env -> response(99, Map.of(), ""), "status 99 is not 200..599");
        assertServerError(env -> response(1000, Map.of(), ""), "status 1000");
        assertServerError(env -> response(200, "not a map", ""), "entrySet()");
        assertServerError(env -> response(200, null, ""), "entrySet()");
        assertServerError(env -> response(200, Map.of(1, "x"), ""), "header names must be Strings");
        assertServerError(env -> response(200, Map.of("X", 5), ""), "header X must be a String");
        assertServerError(env -> response(200, Map.of("X", new String[] {null}), ""), "every value of header X");
        assertServerError(env -> response(200, Map.of("Bad Name", "v"), ""), "header name 'Bad Name'");
        assertServerError(env -> response(200, Map.of("X", "a\r\nSet-Cookie: evil=1"), ""), "CR, LF or NUL");
        assertServerError(env -> response(200, Map.of(), 42), "unsupported JWSGI response body type");
        assertServerError(env -> response(200, Map.of(), null), "unsupported JWSGI response body type");
        assertServerError(env -> response(200, Map.of(), new File("/nonexistent/file")), "not a regular file");
    }

    @Test
    void closesAStreamBodyOfAnInvalidResponse() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream(new byte[1]) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        assertServerError(env -> response(700, Map.of(), in), "status 700");
        assertThat(closed).isTrue();
    }

    private void assertServerError(Function<HashMap<String, Object>, Object[]> app, String logged)
            throws IOException {
        errors.reset();
        FakeExchange exchange = serve(app);
        assertThat(exchange.status()).as(logged).isEqualTo(500);
        assertThat(log()).as(logged).contains(logged).contains("GET /");
    }

    @Test
    void skipsTheBodyOfAHeadRequest() throws IOException {
        FakeExchange exchange = serve(FakeExchange.request("HEAD", "/").build(),
                env -> response(200, Map.of(), "hello"));
        assertThat(exchange.contentLength()).isEqualTo(5);
        assertThat(exchange.responseBytes()).isEmpty();
    }

    @Test
    void dropsTheConnectionWhenTheBodyIteratorFailsMidway() {
        Iterator<Object> failing = new Iterator<>() {
            private int calls;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object next() {
                if (calls++ == 1) {
                    throw new IllegalStateException("iterator broke");
                }
                return "part ";
            }
        };
        Iterable<Object> body = () -> failing;
        ScriptedApp.script = env -> response(200, Map.of(), body);
        FakeExchange exchange = FakeExchange.get("/");
        assertThatThrownBy(() -> handler.handle(exchange)).isInstanceOf(IOException.class);
        assertThat(exchange.responseText()).isEqualTo("part ");
        assertThat(exchange.responseClosed()).isFalse();
        assertThat(log()).contains("JWSGI body iterator failed", "iterator broke");
    }

    @Test
    void runsTheAppWithItsClassLoaderAsContextClassLoader() throws IOException {
        AtomicReference<ClassLoader> seen = new AtomicReference<>();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        serve(env -> {
            seen.set(Thread.currentThread().getContextClassLoader());
            return response(200, Map.of(), "");
        });
        assertThat(seen.get()).isSameAs(appLoader);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void givesTheAppTheRequestBody() throws IOException {
        FakeExchange exchange = serve(FakeExchange.request("POST", "/echo").header("Content-Length", "4")
                .body("ping").build(), env -> {
                    try {
                        return response(200, Map.of(), ((InputStream) env.get("jwsgi.input")).readAllBytes());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertThat(exchange.responseText()).isEqualTo("ping");
    }
}
