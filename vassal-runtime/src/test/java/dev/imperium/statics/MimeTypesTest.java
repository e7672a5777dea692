package dev.imperium.statics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MimeTypesTest {
    @Test
    void readsTheMimeTypesFileFormat() {
        MimeTypes types = MimeTypes.parse("""
                # comment line
                text/html\t\thtml htm
                text/css css # trailing comment
                application/x-empty

                text/x-first dup
                text/x-second dup
                """);
        assertThat(types.forFileName("index.html")).contains("text/html");
        assertThat(types.forFileName("/srv/a.b/page.htm")).contains("text/html");
        assertThat(types.forFileName("style.css")).contains("text/css");
        assertThat(types.forFileName("x.dup")).contains("text/x-first");
    }

    @Test
    void usesTheTypeAsGivenWithoutAddingACharset() {
        assertThat(MimeTypes.parse("text/plain txt").forFileName("a.txt")).contains("text/plain");
    }

    @Test
    void findsNothingWithoutAKnownExtension() {
        MimeTypes types = MimeTypes.parse("text/css css");
        assertThat(types.forFileName("README")).isEmpty();
        assertThat(types.forFileName("dir.css/file")).isEmpty();
        assertThat(types.forFileName("trailing.")).isEmpty();
        assertThat(types.forFileName("a.unknown")).isEmpty();
    }

    @Test
    void fallsBackToTheLowerCaseExtension() {
        assertThat(MimeTypes.parse("text/css css").forFileName("A.CSS")).contains("text/css");
    }

    @Test
    void loadsFilesInOrderAndReportsMissingOnes(@TempDir Path dir) throws IOException {
        Path first = Files.writeString(dir.resolve("first.types"), "text/x-one one\n");
        Path second = Files.writeString(dir.resolve("second.types"), "text/x-two two one\n");
        List<String> warnings = new ArrayList<>();
        MimeTypes types = MimeTypes.load(List.of(first, dir.resolve("missing.types"), second), warnings::add);
        assertThat(types.forFileName("a.one")).contains("text/x-one");
        assertThat(types.forFileName("a.two")).contains("text/x-two");
        assertThat(warnings).singleElement().asString().contains("missing.types");
    }

    @Test
    void fallsBackToTheBuiltInTableWhenNoFileCanBeRead(@TempDir Path dir) {
        List<String> warnings = new ArrayList<>();
        MimeTypes types = MimeTypes.load(List.of(dir.resolve("nope")), warnings::add);
        assertThat(types).isSameAs(MimeTypes.builtIn());
        assertThat(types.forFileName("app.js")).contains("text/javascript");
        assertThat(types.forFileName("logo.svg")).contains("image/svg+xml");
        assertThat(warnings).hasSize(1);
    }

    @Test
    void readsCommentsBlanksTabsAndCrlfLinesAsTheFileFormatSays() {
        MimeTypes types = MimeTypes.parse("# comment\r\n\ttext/x-a\ta  aa # trailing comment xx\r\n\n"
                + "text/x-b b\ntext/x-dup a\n   \nimage/x-c c");
        assertThat(types.forFileName("f.a")).contains("text/x-a");
        assertThat(types.forFileName("f.aa")).contains("text/x-a");
        assertThat(types.forFileName("f.xx")).isEmpty();
        assertThat(types.forFileName("f.b")).contains("text/x-b");
        assertThat(types.forFileName("f.c")).contains("image/x-c");
        assertThat(types.size()).isEqualTo(4);
    }
}
