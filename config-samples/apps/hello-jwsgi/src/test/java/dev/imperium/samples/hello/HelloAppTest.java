package dev.imperium.samples.hello;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HelloAppTest {
    private static HashMap<String, Object> env(String path, String body) {
        HashMap<String, Object> env = new HashMap<>();
        env.put("REQUEST_METHOD", "GET");
        env.put("PATH_INFO", path);
        env.put("QUERY_STRING", "");
        env.put("jwsgi.input", new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headers(Object headers) {
        return (Map<String, Object>) headers;
    }

    @Test
    void saysHello() throws IOException {
        Object[] response = HelloApp.application(env("/", ""));
        assertThat(response).hasSize(3);
        assertThat(response[0]).isEqualTo(200);
        assertThat(headers(response[1])).containsEntry("Content-Type", "text/plain; charset=utf-8");
        assertThat(response[2]).isEqualTo("Hello from JWSGI\n");
    }

    @Test
    void dumpsTheEnvSortedWithAFixedMarkerForTheInput() throws IOException {
        HashMap<String, Object> env = env("/env", "");
        env.put("HTTP_X_MULTI", "line1\nline2\\");
        assertThat(HelloApp.application(env)[2]).isEqualTo("""
                HTTP_X_MULTI=line1\\nline2\\\\
                PATH_INFO=/env
                QUERY_STRING=
                REQUEST_METHOD=GET
                jwsgi.input=<jwsgi.input>
                """);
        assertThat(HelloApp.application(env("/env/sub", ""))[2]).asString().contains("PATH_INFO=/env/sub\n");
    }

    @Test
    void echoesTheBodyWithItsContentType() throws IOException {
        HashMap<String, Object> env = env("/echo", "ping");
        env.put("CONTENT_TYPE", "text/x-test");
        Object[] response = HelloApp.application(env);
        assertThat((byte[]) response[2]).isEqualTo("ping".getBytes(StandardCharsets.UTF_8));
        assertThat(headers(response[1])).containsEntry("Content-Type", "text/x-test");
        Object[] untyped = HelloApp.application(env("/echo", ""));
        assertThat(headers(untyped[1])).containsEntry("Content-Type", "application/octet-stream");
    }

    @Test
    void answersARepeatedHeaderAndAChunkedBody() throws IOException {
        Object[] response = HelloApp.application(env("/headers", ""));
        assertThat((String[]) ((Map<?, ?>) response[1]).get("X-Multi")).containsExactly("one", "two");
        assertThat((List<?>) response[2]).hasSize(4);
    }

    @Test
    void answers404ElsewhereOnTheSite() throws IOException {
        assertThat(HelloApp.application(env("/nope", ""))[0]).isEqualTo(404);
    }
}
