package dev.imperium.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseTest {
    @Test
    void factoriesSetStatusTypeAndBody() {
        assertThat(Response.text("hi").header("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(Response.text("hi").bodyText()).contains("hi");
        assertThat(Response.html("<p>").header("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(Response.json("{}").header("Content-Type")).contains("application/json");
        assertThat(Response.bytes(new byte[] {1}, "image/png").body()).isInstanceOf(Response.Body.Bytes.class);
        assertThat(Response.status(204).body()).isEqualTo(new Response.Body.Empty());
        assertThat(Response.notFound().statusCode()).isEqualTo(404);
        assertThat(Response.redirect("/there").statusCode()).isEqualTo(302);
        assertThat(Response.redirect("/there").header("Location")).contains("/there");
        assertThat(Response.file(Path.of("a.pdf")).body()).isEqualTo(new Response.Body.OfFile(Path.of("a.pdf")));
        assertThat(Response.stream(new ByteArrayInputStream(new byte[0]), "text/csv").body())
                .isInstanceOfSatisfying(Response.Body.OfStream.class, s -> assertThat(s.length()).isEqualTo(-1));
    }

    @Test
    void isImmutable() {
        Response base = Response.text("x");
        Response changed = base.withStatus(201).header("X-A", "1").contentType("text/x");
        assertThat(base.statusCode()).isEqualTo(200);
        assertThat(base.headers()).hasSize(1);
        assertThat(changed.statusCode()).isEqualTo(201);
        assertThat(changed.headers()).extracting(Response.Header::name).containsExactly("X-A", "Content-Type");
        assertThat(changed.header("content-type")).contains("text/x");
    }

    @Test
    void keepsRepeatedHeaders() {
        Response response = Response.status(204).header("Set-Cookie", "a=1").header("Set-Cookie", "b=2");
        assertThat(response.headers()).containsExactly(new Response.Header("Set-Cookie", "a=1"),
                new Response.Header("Set-Cookie", "b=2"));
    }

    @Test
    void copiesTheBytesItIsGiven() {
        byte[] bytes = {1, 2};
        Response response = Response.bytes(bytes, "application/octet-stream");
        bytes[0] = 9;
        assertThat(((Response.Body.Bytes) response.body()).bytes()).containsExactly(1, 2);
    }

    @Test
    void rejectsWhatWouldBreakTheResponse() {
        assertThatThrownBy(() -> Response.status(100)).hasMessageContaining("200..599");
        assertThatThrownBy(() -> Response.text("x").withStatus(600)).hasMessageContaining("200..599");
        for (String name : List.of("", "Bad Name", "X:Y", "Ünicode")) {
            assertThatThrownBy(() -> Response.text("x").header(name, "v")).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header name");
        }
        assertThatThrownBy(() -> Response.text("x").header("X-A", "a\r\nSet-Cookie: evil"))
                .hasMessageContaining("CR, LF or NUL");
        assertThatThrownBy(() -> Response.text("x").header("Content-Length", "1"))
                .hasMessageContaining("set by the server");
        assertThatThrownBy(() -> Response.text("x").header("transfer-encoding", "chunked"))
                .hasMessageContaining("set by the server");
        assertThatThrownBy(() -> Response.stream(new ByteArrayInputStream(new byte[0]), -2, "x/y"))
                .hasMessageContaining("length");
    }
}
