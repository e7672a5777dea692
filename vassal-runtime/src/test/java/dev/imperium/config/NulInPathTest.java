package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A NUL byte in a file name written in a vassal file (found by {@link ConfigFileFuzzTest}: {@code @(value\0.txt)}
 * escaped the loader as an {@link java.nio.file.InvalidPathException}) is a config error naming the file and line,
 * wherever a path is read: {@code @(…)}, includes, {@code if-exists}/{@code if-file}/{@code if-dir},
 * {@code for-readline} ({@code for-glob} just matches nothing).
 */
class NulInPathTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "http-socket = :@(value\u0000.txt)",
        "ini = inc\u0000.ini",
        "yaml = inc\u0000.yaml",
        "if-exists = a\u0000b\nmaster = true\nendif =",
        "if-not-file = a\u0000b\nmaster = true\nendif =",
        "if-dir = a\u0000b\nmaster = true\nendif =",
        "for-readline = a\u0000b\nenv = X=%(_)\nendfor =",
    })
    void aNulInAPathIsAConfigErrorWithFileAndLine(String line) throws Exception {
        Path file = dir.resolve("app.ini");
        Files.writeString(file, "[uwsgi]\nmaster = true\n" + line + "\n");
        ConfigLoader loader = new ConfigLoader(new LoaderOptions(Map.of(), false, dir));
        assertThatThrownBy(() -> loader.load("app.ini"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("app.ini:3");
    }
}
