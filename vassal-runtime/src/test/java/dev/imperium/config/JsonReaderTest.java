package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    private static final Path FILE = Path.of("/v/app.json");
    private final JsonReader reader = new JsonReader();

    private List<String> read(String text, String section, Diagnostics d) {
        return reader.read(FILE, text, section, d).entries().stream()
                .map(e -> e.key() + "=" + e.value() + "@" + e.origin().line()).toList();
    }

    @Test
    void arraysBooleansNumbersNullAndRepeatedKeys() {
        Diagnostics d = new Diagnostics();
        assertThat(read("""
                {"uwsgi": {
                  // YAJL allows comments
                  "socket": [":1", ":2", true, null, 1.50],
                  /* block comment */
                  "master": true, "off": false, "none": null,
                  "num": 1.50, "int": 4,
                  "socket": ":3"
                }}
                """, null, d)).containsExactly("socket=:1@3", "socket=:2@3", "socket=1@3", "socket=0@3",
                "socket=1.50@3", "master=1@5", "off=0@5", "none=0@5", "num=1.50@6", "int=4@6", "socket=:3@7");
        assertThat(d.all()).isEmpty();
    }

    @Test
    void sectionIsATopLevelKeyHoldingAnObject() {
        String text = "{\"app1\": {\"plugin\": \"rack\"}, \"app2\": {\"plugin\": \"php\"}}";
        assertThat(read(text, "app2", new Diagnostics())).containsExactly("plugin=php@1");
        assertThat(reader.read(FILE, text, null, new Diagnostics()).sectionFound()).isFalse();
        Diagnostics d = new Diagnostics();
        reader.read(FILE, "{\"uwsgi\": [1]}", null, d);
        assertThat(d.all()).singleElement().extracting(Diagnostic::message).isEqualTo("'uwsgi' must be an object of"
                + " options");
    }

    @Test
    void nestedValuesAreErrorsAndSyntaxErrorsNameTheLine() {
        Diagnostics d = new Diagnostics();
        assertThat(read("{\"uwsgi\": {\n\"a\": {\"b\": 1},\n\"c\": [[1]],\n\"ok\": 1}}", null, d))
                .containsExactly("ok=1@4");
        assertThat(d.all()).extracting(Diagnostic::format).containsExactly(
                "/v/app.json:2: error: 'a' holds a nested object, which is no uWSGI option value",
                "/v/app.json:3: error: array under 'c' holds a nested array or object, which is no uWSGI option"
                        + " value");
        Diagnostics syntax = new Diagnostics();
        assertThat(reader.read(FILE, "{\"uwsgi\": {\n\"a\": 1,\n\"b\" 2}}", null, syntax).failed()).isTrue();
        assertThat(syntax.all()).singleElement().satisfies(diag -> {
            assertThat(diag.origin().line()).isEqualTo(3);
            assertThat(diag.message()).startsWith("JSON syntax error: ");
        });
    }
}
