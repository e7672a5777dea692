package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the config tests: fixture paths, loaders, files written on the fly, result views. */
final class ConfigFixtures {
    private ConfigFixtures() {
    }

    /** The directory holding {@code src/test/resources/config} (as copied to the test classpath). */
    static Path fixtures() {
        try {
            return Path.of(ConfigFixtures.class.getResource("/config/jwsgi-vassal.ini").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loader resolving relative paths against {@code cwd}, with the given environment, commands allowed. */
    static ConfigLoader loader(Path cwd, Map<String, String> env) {
        return new ConfigLoader(new LoaderOptions(env, true, cwd));
    }

    static ConfigLoader loader(Path cwd) {
        return loader(cwd, Map.of());
    }

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads and returns the config, failing the test with every diagnostic if it does not load. */
    static VassalConfig load(ConfigLoader loader, String spec) {
        try {
            return loader.load(spec);
        } catch (ConfigException e) {
            throw new AssertionError("config did not load:\n" + e.diagnostics(), e);
        }
    }

    /** Loads a config that must fail and returns the exception. */
    static ConfigException fails(ConfigLoader loader, String spec) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(spec));
        assertThat(e).as("loading %s should fail", spec).isNotNull();
        return e;
    }

    /** The entries as {@code key=value} strings, in order. */
    static List<String> pairs(VassalConfig config) {
        return config.entries().stream().map(e -> e.key() + "=" + e.value()).toList();
    }

    /** The formatted diagnostics of a failed load. */
    static List<String> messages(ConfigException e) {
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    static List<String> warnings(VassalConfig config) {
        return config.diagnostics().stream().map(Diagnostic::format).toList();
    }
}
