package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, bad configs: the text checks, the bounded reader, the cap on diagnostics, a file replaced while read. */
class ConfigTextTest {
    @TempDir
    Path dir;

    @Test
    void validTextPassesAndABomIsSkipped() {
        ConfigText.Decoded d = ConfigText.decode("\uFEFF[uwsgi]\nenv = A=café\t\r\n".getBytes(StandardCharsets.UTF_8),
                true);
        assertThat(d.problem()).isNull();
        assertThat(d.text()).isEqualTo("[uwsgi]\nenv = A=café\t\r\n");
    }

    @Test
    void invalidUtf8IsAnErrorExceptInAnIniComment() {
        byte[] value = "[uwsgi]\nenv = A=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        ConfigText.Decoded bad = ConfigText.decode(value, true);
        assertThat(bad.line()).isEqualTo(2);
        assertThat(bad.problem()).isEqualTo("line 2 is not valid UTF-8 (byte 0xE9 at byte 12 of the line): vassal"
                + " files must be UTF-8");
        byte[] comment = "[uwsgi]\n; caf\u00e9\nprocesses = 1\n".getBytes(StandardCharsets.ISO_8859_1);
        ConfigText.Decoded ok = ConfigText.decode(comment, true);
        assertThat(ok.problem()).isNull();
        assertThat(ok.warning()).isEqualTo("comment on line 2 is not valid UTF-8; read as ISO-8859-1");
        assertThat(ok.text()).isEqualTo("[uwsgi]\n; café\nprocesses = 1\n");
        assertThat(ConfigText.decode(comment, false).problem()).startsWith("line 2 is not valid UTF-8");
    }

    @Test
    void controlCharactersAndLongLinesAreErrors() {
        assertThat(ConfigText.decode("a\n\u0000".getBytes(StandardCharsets.UTF_8), false).problem())
                .isEqualTo("line 2 holds a NUL byte (column 1): a vassal file is text");
        assertThat(ConfigText.decode("x = \u0007".getBytes(StandardCharsets.UTF_8), false).problem())
                .isEqualTo("line 1 holds the control character U+0007 (column 5): a vassal file is text");
        assertThat(ConfigText.decode(("k = " + "v".repeat(ConfigText.MAX_LINE)).getBytes(StandardCharsets.UTF_8),
                false).problem()).isEqualTo("line 1 is longer than 65536 characters");
    }

    @Test
    void theReaderRefusesWhatIsNoRegularFileAndStopsAtItsLimit() throws Exception {
        Path big = Files.writeString(dir.resolve("big.ini"), "x".repeat(101));
        assertThat(catchThrowableOfType(ConfigFiles.UnreadableException.class, () -> ConfigFiles.read(big, 100)))
                .hasMessage(big + " is larger than 100 bytes");
        assertThat(ConfigFiles.read(big, 101)).hasSize(101);
        assertThat(catchThrowableOfType(ConfigFiles.UnreadableException.class,
                () -> ConfigFiles.read(Path.of("/dev/zero"), 100))).hasMessage("/dev/zero is a character device, not"
                + " a config file");
        assertThat(catchThrowableOfType(ConfigFiles.UnreadableException.class, () -> ConfigFiles.read(dir, 100)))
                .hasMessage(dir + " is a directory, not a config file");
        ConfigFiles.UnreadableException missing = catchThrowableOfType(ConfigFiles.UnreadableException.class,
                () -> ConfigFiles.read(dir.resolve("nope.ini"), 100));
        assertThat(missing.missing()).isTrue();
        // /proc files claim a size of 0: they are read all the same
        assertThat(ConfigFiles.read(Path.of("/proc/self/status"), 1 << 20).length).isPositive();
    }

    @Test
    void onlyTheFirstFiftyProblemsAreKept() {
        Diagnostics d = new Diagnostics();
        for (int i = 0; i < 120; i++) {
            d.error(new Origin(dir.resolve("a.ini"), i + 1), null, "bad " + i);
        }
        assertThat(d.all()).hasSize(51);
        assertThat(d.all().getLast().format()).isEqualTo(dir.resolve("a.ini") + ": error: ... and 70 more problems"
                + " not shown (only the first 50 are)");
        assertThat(d.errorCount()).isEqualTo(120);
    }

    @Test
    @Timeout(30)
    void aFileRenamedOverWhileItIsReadLoadsAsTheOldOrTheNewVersion() throws Exception {
        String a = "[uwsgi]\nprocesses = 1\n" + "; a\n".repeat(20_000);
        String b = "[uwsgi]\nprocesses = 2\n" + "; b\n".repeat(30_000);
        Path app = Files.writeString(dir.resolve("app.ini"), a);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> {
            int i = 0;
            while (running.get()) {
                try {
                    Path tmp = Files.writeString(dir.resolve(".app.ini.new"), i++ % 2 == 0 ? b : a);
                    Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        Set<String> seen = new HashSet<>();
        ConfigLoader loader = new ConfigLoader(new LoaderOptions(Map.of(), false, dir));
        try {
            for (int i = 0; i < 300; i++) {
                seen.add(loader.load("app.ini").values("processes").getFirst());
            }
        } finally {
            running.set(false);
            writer.join();
        }
        assertThat(seen).isSubsetOf("1", "2").isNotEmpty();
    }
}
