package dev.imperium.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutesTest {
    private final Routes routes = Routes.create()
            .get("/", request -> Response.text("home"))
            .post("/items", request -> Response.text("created " + request.bodyText()).withStatus(201))
            .delete("/items", request -> Response.status(204))
            .prefix("/files", request -> Response.text("files " + request.path()))
            .prefix("/files/special/", request -> Response.text("special"));

    private Response call(String method, String target) throws Exception {
        return routes.handle(Request.builder(method, target).body("x").build());
    }

    private static String text(Response response) {
        return response.bodyText().orElseThrow();
    }

    @Test
    void routesByMethodAndExactPath() throws Exception {
        assertThat(text(call("GET", "/"))).isEqualTo("home");
        assertThat(call("POST", "/items").statusCode()).isEqualTo(201);
        assertThat(text(call("POST", "/items?ignored=1"))).isEqualTo("created x");
        assertThat(call("DELETE", "/items").statusCode()).isEqualTo(204);
    }

    @Test
    void answers405WithAllowForAKnownPathAndAnotherMethod() throws Exception {
        Response response = call("PUT", "/items");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.header("Allow")).contains("DELETE, POST");
        assertThat(call("POST", "/").header("Allow")).contains("GET, HEAD");
    }

    @Test
    void servesHeadWithTheGetHandler() throws Exception {
        assertThat(text(call("HEAD", "/"))).isEqualTo("home");
    }

    @Test
    void matchesPrefixesOnSegmentsWithTheLongestFirst() throws Exception {
        assertThat(text(call("GET", "/files"))).isEqualTo("files /files");
        assertThat(text(call("PUT", "/files/a/b"))).isEqualTo("files /files/a/b");
        assertThat(text(call("GET", "/files/special/x"))).isEqualTo("special");
        assertThat(call("GET", "/filesystem").statusCode()).isEqualTo(404);
    }

    @Test
    void answers404OrTheFallbackForUnknownPaths() throws Exception {
        assertThat(call("GET", "/nope").statusCode()).isEqualTo(404);
        Routes withFallback = routes.otherwise(request -> Response.text("fallback"));
        assertThat(text(withFallback.handle(Request.builder("GET", "/nope").build()))).isEqualTo("fallback");
    }

    @Test
    void isImmutable() throws Exception {
        Routes more = routes.get("/extra", request -> Response.text("extra"));
        assertThat(text(more.handle(Request.builder("GET", "/extra").build()))).isEqualTo("extra");
        assertThat(call("GET", "/extra").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesBadOrDuplicateRoutes() {
        assertThatThrownBy(() -> routes.get("/", request -> Response.text("again")))
                .hasMessageContaining("already routed");
        assertThatThrownBy(() -> routes.get("relative", request -> Response.text("x")))
                .hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> routes.prefix("/files", request -> Response.text("x")))
                .hasMessageContaining("already routed");
    }
}
