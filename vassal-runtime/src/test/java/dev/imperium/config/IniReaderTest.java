package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IniReaderTest {
    private static final Path FILE = Path.of("/etc/vassals/app.ini");
    private final IniReader reader = new IniReader();

    private List<RawEntry> read(String text, String section, Diagnostics diagnostics) {
        return reader.read(FILE, text, section, diagnostics).entries();
    }

    private static List<String> pairs(List<RawEntry> entries) {
        return entries.stream().map(e -> e.key() + "=" + e.value() + "@" + e.origin().line()).toList();
    }

    @Test
    void readsKeysValuesCommentsAndBareFlags() {
        Diagnostics d = new Diagnostics();
        List<RawEntry> entries = read("""
                ; comment
                # another comment
                [uwsgi]
                  socket   =   :3031\t
                master
                \tprocesses=4\r
                empty =
                url = http://x/?a=b
                note = 4 ; not a comment
                ; socket = :9999
                """, null, d);
        assertThat(pairs(entries)).containsExactly("socket=:3031@4", "master=true@5", "processes=4@6", "empty=@7",
                "url=http://x/?a=b@8", "note=4 ; not a comment@9");
        assertThat(entries.get(1).bare()).isTrue();
        assertThat(entries.get(3).bare()).isFalse();
        assertThat(d.all()).isEmpty();
    }

    @Test
    void repeatedKeysKeepEveryValueInOrder() {
        List<RawEntry> entries = read("[uwsgi]\nenv = A=1\nprocesses = 2\nenv = B=2\nenv = A=3\n", null,
                new Diagnostics());
        assertThat(pairs(entries)).containsExactly("env=A=1@2", "processes=2@3", "env=B=2@4", "env=A=3@5");
    }

    @Test
    void readsOnlyTheAskedSectionWhichMayRepeat() {
        String text = "[uwsgi]\na = 1\n[other]\nb = 2\n[uwsgi]\nc = 3\n";
        assertThat(pairs(read(text, null, new Diagnostics()))).containsExactly("a=1@2", "c=3@6");
        assertThat(pairs(read(text, "other", new Diagnostics()))).containsExactly("b=2@4");
        ReadResult missing = reader.read(FILE, text, "nope", new Diagnostics());
        assertThat(missing.sectionFound()).isFalse();
        assertThat(missing.entries()).isEmpty();
    }

    @Test
    void fileWithoutTrailingNewlineAndWithCrlf() {
        assertThat(pairs(read("[uwsgi]\r\na = 1\r\nb = 2", null, new Diagnostics()))).containsExactly("a=1@2", "b=2@3");
    }

    @Test
    void entriesBeforeAnySectionAreReportedAsIgnored() {
        Diagnostics d = new Diagnostics();
        assertThat(pairs(read("orphan = 1\n[uwsgi]\na = 1\n", null, d))).containsExactly("a=1@3");
        assertThat(d.all()).singleElement().hasToString(
                "/etc/vassals/app.ini:1: warning: 'orphan' is not inside a [section] and is ignored");
    }

    @Test
    void brokenHeaderAndMissingKeyAreErrors() {
        Diagnostics d = new Diagnostics();
        read("[uwsgi\n[uwsgi]\n= value\n", null, d);
        assertThat(d.all()).extracting(Diagnostic::format).containsExactly(
                "/etc/vassals/app.ini:1: error: section header '[uwsgi' must end with ']'",
                "/etc/vassals/app.ini:3: error: missing option name before '='");
    }

    @Test
    void sectionNameIsTakenAsWritten() {
        ReadResult result = reader.read(FILE, "[ uwsgi ]\na = 1\n", null, new Diagnostics());
        assertThat(result.sectionFound()).isFalse();
        assertThat(reader.read(FILE, "[ uwsgi ]\na = 1\n", " uwsgi ", new Diagnostics()).entries()).hasSize(1);
    }
}
