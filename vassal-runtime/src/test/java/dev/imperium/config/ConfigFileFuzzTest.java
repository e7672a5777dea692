package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer target (issue 8): the text of one vassal file, loaded by {@link ConfigLoader} as the emperor loads a file
 * dropped into its directory: INI, YAML, JSON or XML (the input's first byte picks), with magic variables,
 * placeholders, {@code $(ENV)}, {@code @(file)}, includes and configuration logic. The directory also holds an
 * include ({@code inc.ini}, {@code inc.yaml}) and a value file ({@code value.txt}) the text may refer to.
 * {@code @(exec://…)} is off (as for a tyrant's vassals), so no command runs.
 *
 * <p>Invariants: only {@link ConfigException} escapes, carrying at least one diagnostic with a message; an accepted
 * config has entries with non-empty canonical keys (no {@code _}) and an origin each.
 */
class ConfigFileFuzzTest {
    private static final String[] EXTENSIONS = {"ini", "yaml", "json", "xml"};
    private static final Path DIR = directory();

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void vassalFile(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        String ext = EXTENSIONS[(input[0] & 0xFF) % EXTENSIONS.length];
        Path file = DIR.resolve("vassal." + ext);
        Files.write(file, java.util.Arrays.copyOfRange(input, 1, input.length));
        ConfigLoader loader = new ConfigLoader(new LoaderOptions(Map.of("HOME", "/home/fuzz", "PORT", "8080",
                "EMPTY", ""), false, DIR));
        VassalConfig config;
        try {
            config = loader.load(file.getFileName().toString());
        } catch (ConfigException e) {
            assertThat(e.diagnostics()).isNotEmpty();
            assertThat(e.getMessage()).isNotBlank();
            return;
        } finally {
            Files.delete(file);
        }
        for (ConfigEntry entry : config.entries()) {
            assertThat(entry.key()).isNotEmpty().doesNotContain("_");
            assertThat(entry.value()).isNotNull();
            assertThat(entry.origin()).isNotNull();
        }
    }

    private static Path directory() {
        try {
            Path dir = Files.createTempDirectory("imperium-config-fuzz");
            Files.writeString(dir.resolve("inc.ini"), "[uwsgi]\nmaster = true\nprocesses = %(workers)\n");
            Files.writeString(dir.resolve("inc.yaml"), "uwsgi:\n  listen: 64\n");
            Files.writeString(dir.resolve("value.txt"), "8080\n");
            dir.toFile().deleteOnExit();
            for (String name : new String[] {"inc.ini", "inc.yaml", "value.txt"}) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
