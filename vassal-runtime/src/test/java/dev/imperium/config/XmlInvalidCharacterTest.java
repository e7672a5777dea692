package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A NUL byte inside an XML vassal file's DTD made the JDK's StAX parser throw a MissingResourceException (its message
 * bundle lacks the key InvalidCharInDTD), which escaped the loader (found by {@link ConfigFileFuzzTest}). It is an XML
 * syntax error with the file and line, like any other.
 */
class XmlInvalidCharacterTest {
    @Test
    void aNulInTheDtdIsAnXmlSyntaxErrorWithItsLine() {
        Diagnostics d = new Diagnostics();
        ReadResult result = new XmlReader().read(Path.of("/v/app.xml"),
                "<?xml version=\"1.0\"?>\n<!DOCTYPE uwsgi [\n\0<!ENTITY e \"x\">]>\n<uwsgi><master/></uwsgi>\n", null, d);
        assertThat(result.entries()).isEmpty();
        assertThat(d.all()).extracting(Diagnostic::format)
                .singleElement().asString()
                .startsWith("/v/app.xml:3: error: XML syntax error")
                .contains("InvalidCharInDTD");
    }
}
