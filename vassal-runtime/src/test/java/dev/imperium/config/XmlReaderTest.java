package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlReaderTest {
    private static final Path FILE = Path.of("/v/app.xml");
    private final XmlReader reader = new XmlReader();

    private List<String> read(String text, String section, Diagnostics d) {
        return reader.read(FILE, text, section, d).entries().stream()
                .map(e -> e.key() + "=" + e.value() + "@" + e.origin().line()).toList();
    }

    @Test
    void rootUwsgiElementsEmptyFlagsRepeatsAndUntrimmedText() {
        Diagnostics d = new Diagnostics();
        assertThat(read("""
                <?xml version="1.0"?>
                <!-- comment -->
                <uwsgi>
                  <socket>/tmp/a.sock</socket>
                  <master/>
                  <socket>127.0.0.1:8000</socket>
                  <!-- <socket>ignored</socket> -->
                  <enable-threads></enable-threads>
                  <env>  A=&amp;1  </env>
                </uwsgi>
                """, null, d)).containsExactly("socket=/tmp/a.sock@4", "master=1@5", "socket=127.0.0.1:8000@6",
                "enable-threads=1@8", "env=  A=&1  @9");
        assertThat(d.all()).isEmpty();
    }

    @Test
    void idSelectsAStanzaAndFiltersOptions() {
        String text = """
                <i-love-xml>
                  <uwsgi id="turbogears"><socket>/tmp/tg.sock</socket></uwsgi>
                  <other><uwsgi id="django"><socket>nested, not a stanza</socket></uwsgi></other>
                  <uwsgi id="django">
                    <socket>/tmp/django.sock</socket>
                    <threads id="turbogears">1</threads>
                    <threads id="django">2</threads>
                  </uwsgi>
                </i-love-xml>
                """;
        assertThat(read(text, "django", new Diagnostics())).containsExactly("socket=/tmp/django.sock@5",
                "threads=2@7");
        assertThat(read(text, null, new Diagnostics())).containsExactly("socket=/tmp/tg.sock@2");
        assertThat(reader.read(FILE, text, "flask", new Diagnostics()).sectionFound()).isFalse();
    }

    @Test
    void appElementCdataAndNestedElements() {
        Diagnostics d = new Diagnostics();
        assertThat(read("""
                <uwsgi>
                  <app mountpoint="/x">myapp</app>
                  <app domain="example.com">other</app>
                  <![CDATA[print("hi")]]>
                  <env><name>A</name></env>
                </uwsgi>
                """, null, d)).containsExactly("mount=/x=myapp@2", "app=@2", "mount=example.com|=other@3", "app=@3",
                "eval=print(\"hi\")@4");
        assertThat(d.all()).extracting(Diagnostic::format).containsExactly(
                "/v/app.xml:5: error: <env> must hold only text, not other elements");
    }

    @Test
    void syntaxErrorNamesTheLine() {
        Diagnostics d = new Diagnostics();
        assertThat(reader.read(FILE, "<uwsgi>\n<a>1</a>\n<b>2</c>\n</uwsgi>", null, d).failed()).isTrue();
        assertThat(d.all()).singleElement().satisfies(diag -> {
            assertThat(diag.origin().line()).isEqualTo(3);
            assertThat(diag.message()).startsWith("XML syntax error: ");
        });
    }

    @Test
    void externalEntitiesAreNotRead() {
        Diagnostics d = new Diagnostics();
        reader.read(FILE, "<!DOCTYPE uwsgi [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<uwsgi><a>&x;</a></uwsgi>",
                null, d);
        assertThat(d.all()).isNotEmpty();
    }
}
