package dev.imperium.samples.api;

import dev.imperium.app.AppContext;
import dev.imperium.app.Request;
import dev.imperium.app.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ApiAppTest {
    private final ApiApp app = new ApiApp();

    @BeforeEach
    void start() {
        app.start(AppContext.of(3, Path.of(".")));
    }

    private Response get(String target) throws Exception {
        return app.handle(Request.builder("GET", target).build());
    }

    @Test
    void answersTextAtTheRoot() throws Exception {
        Response response = get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyText()).hasValueSatisfying(text -> assertThat(text).contains("/api/hello"));
    }

    @Test
    void answersHelloWorldAsPlainText() throws Exception {
        Response response = get("/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyText()).contains("Hello World");
        assertThat(response.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    }

    @Test
    void greetsByNameWithCorrectlyEscapedJson() throws Exception {
        assertThat(get("/api/hello?name=X").bodyText()).contains("{\"message\":\"Hello, X\"}");
        assertThat(get("/api/hello?name=%22Bob%22+%5C+%C3%A9").bodyText())
                .contains("{\"message\":\"Hello, \\\"Bob\\\" \\\\ é\"}");
        assertThat(get("/api/hello").bodyText()).contains("{\"message\":\"Hello, world\"}");
        assertThat(get("/api/hello").header("Content-Type")).contains("application/json");
    }

    @Test
    void reportsPidWorkerAndTime() throws Exception {
        Response response = get("/api/info");
        assertThat(response.bodyText()).hasValueSatisfying(json -> assertThat(json)
                .contains("\"pid\":" + ProcessHandle.current().pid())
                .contains("\"worker\":3")
                .containsPattern("\"time\":\"\\d{4}-\\d\\d-\\d\\dT")
                .contains("\"uptimeSeconds\":"));
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    @Test
    void answers404And405AsTheRouterDoes() throws Exception {
        assertThat(get("/api/nope").statusCode()).isEqualTo(404);
        assertThat(app.handle(Request.builder("POST", "/api/hello").build()).statusCode()).isEqualTo(405);
    }
}
