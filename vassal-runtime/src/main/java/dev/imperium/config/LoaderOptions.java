package dev.imperium.config;

import java.nio.file.Path;
import java.util.Map;

/** TEMPORARY stub until the config workstream lands. */
public record LoaderOptions(Map<String, String> env, boolean allowExec, Path cwd) {
    /** Defaults: the process environment, exec allowed, the working directory. */
    public static LoaderOptions defaults() {
        return new LoaderOptions(System.getenv(), true, Path.of("").toAbsolutePath());
    }
}
