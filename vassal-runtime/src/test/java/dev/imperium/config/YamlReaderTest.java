package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
    private static final Path FILE = Path.of("/v/app.yaml");
    private final YamlReader reader = new YamlReader();

    private List<String> read(String text, String section, Diagnostics d) {
        return reader.read(FILE, text, section, d).entries().stream()
                .map(e -> e.key() + "=" + e.value() + "@" + e.origin().line() + (e.bare() ? "(bare)" : "")).toList();
    }

    @Test
    void duplicateKeysInOneMappingKeepEveryValueInOrder() {
        Diagnostics d = new Diagnostics();
        assertThat(read("""
                uwsgi:
                  socket: :3031
                  processes: 2
                  socket: :3032
                  socket: :3033
                """, null, d)).containsExactly("socket=:3031@2", "processes=2@3", "socket=:3032@4", "socket=:3033@5");
        assertThat(d.all()).isEmpty();
    }

    @Test
    void listsScalarsAsWrittenCommentsAndBareKeys() {
        Diagnostics d = new Diagnostics();
        assertThat(read("""
                # leading comment
                other:
                  x: 1
                uwsgi:
                  env:
                    - A=1
                    - B=2
                  flow: [c, d]
                  yes-word: yes
                  octal: 0777
                  float: 1.50
                  quoted: "q # not a comment"   # a comment
                  master:
                  endif:
                  text: |
                    block
                """, null, d)).containsExactly("env=A=1@6", "env=B=2@7", "flow=c@8", "flow=d@8", "yes-word=yes@9",
                "octal=0777@10", "float=1.50@11", "quoted=q # not a comment@12", "master=true@13(bare)",
                "endif=true@14(bare)", "text=block\n@15");
        assertThat(d.all()).isEmpty();
    }

    @Test
    void sectionIsATopLevelKey() {
        String text = "app1:\n  plugin: rack\napp2:\n  plugin: php\n";
        assertThat(read(text, "app2", new Diagnostics())).containsExactly("plugin=php@4");
        ReadResult none = reader.read(FILE, text, null, new Diagnostics());
        assertThat(none.sectionFound()).isFalse();
    }

    @Test
    void nestedMappingsAndListsAreErrors() {
        Diagnostics d = new Diagnostics();
        assertThat(read("""
                uwsgi:
                  env:
                    A: 1
                  list:
                    - [x, y]
                    -
                  ok: 1
                """, null, d)).containsExactly("ok=1@7");
        assertThat(d.all()).extracting(Diagnostic::format).containsExactly(
                "/v/app.yaml:2: error: 'env' holds a nested mapping, which is no uWSGI option value (uWSGI would"
                        + " silently flatten it)",
                "/v/app.yaml:5: error: list under 'list' holds a nested list or mapping, which is no uWSGI option"
                        + " value",
                "/v/app.yaml:6: error: empty list item under 'list'");
    }

    @Test
    void syntaxErrorNamesTheLineAndExplainsPercent() {
        Diagnostics d = new Diagnostics();
        ReadResult result = reader.read(FILE, "uwsgi:\n  a: 1\n  b: %(x)\n", null, d);
        assertThat(result.failed()).isTrue();
        assertThat(d.all()).singleElement().satisfies(diag -> {
            assertThat(diag.origin().line()).isEqualTo(3);
            assertThat(diag.message()).startsWith("YAML syntax error: ").contains("'%'").contains("quote a value");
        });
    }

    @Test
    void topLevelMustBeAMapping() {
        Diagnostics d = new Diagnostics();
        reader.read(FILE, "- a\n- b\n", null, d);
        assertThat(d.all()).singleElement().extracting(Diagnostic::message).asString().contains("must be a mapping");
        assertThat(reader.read(FILE, "", null, new Diagnostics()).sectionFound()).isFalse();
    }
}
