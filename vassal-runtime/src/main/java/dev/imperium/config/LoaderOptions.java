package dev.imperium.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link ConfigLoader} resolves what a config refers to.
 *
 * @param env the environment for {@code $(NAME)}, {@code if-env} and {@code @(exec://…)} commands; also read for
 *     {@code IMPERIUM_VASSALS_DIR} ({@code %v}) and {@code IMPERIUM_RELOADS} ({@code if-reload})
 * @param allowExec whether {@code @(exec://command)} may run commands; when false the reference is left as written
 *     and reported as a warning, so that checking a config never runs anything
 * @param cwd the directory relative paths are resolved against (config files, includes, {@code @(file)},
 *     {@code if-exists}...), as uWSGI resolves them against its working directory; made absolute
 */
public record LoaderOptions(Map<String, String> env, boolean allowExec, Path cwd) {
    /** Copies the environment and makes {@code cwd} absolute. */
    public LoaderOptions {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        cwd = Objects.requireNonNull(cwd, "cwd").toAbsolutePath().normalize();
    }

    /** Returns options with this process's environment, command execution allowed and its working directory. */
    public static LoaderOptions defaults() {
        return new LoaderOptions(System.getenv(), true, Path.of(""));
    }

    /** Returns a copy with another environment. */
    public LoaderOptions withEnv(Map<String, String> newEnv) {
        return new LoaderOptions(newEnv, allowExec, cwd);
    }

    /** Returns a copy that does (or does not) run {@code @(exec://…)} commands. */
    public LoaderOptions withAllowExec(boolean allow) {
        return new LoaderOptions(env, allow, cwd);
    }

    /** Returns a copy resolving relative paths against another directory. */
    public LoaderOptions withCwd(Path newCwd) {
        return new LoaderOptions(env, allowExec, newCwd);
    }
}
