package dev.imperium.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Evaluates the {@code if-*} conditions as uWSGI 2.0 does ({@code core/config.c} {@code uwsgi_logic_opt_if_*}) and
 * gives the value of {@code %(_)} inside the block.
 *
 * <ul>
 *   <li>{@code if-env NAME} / {@code if-env NAME=VALUE}: set (to VALUE); {@code %(_)} is its value.
 *       {@code if-opt} does the same with the first entry of that option written above the block.</li>
 *   <li>{@code if-exists} (readable), {@code if-file} (regular file), {@code if-dir}: relative paths are resolved
 *       against the loader's working directory; {@code %(_)} is the path.</li>
 *   <li>{@code if-hostname} compares, {@code if-hostname-match} finds a regular expression in the host name.</li>
 *   <li>{@code if-plugin}: only the built-in {@code jvm} and {@code jwsgi} are loaded.</li>
 *   <li>{@code if-reload}: env {@code IMPERIUM_RELOADS} holds a number above 0 (uWSGI uses {@code UWSGI_RELOADS}).
 *       </li>
 * </ul>
 * Each {@code if-not-*} is the negation; when its name is unset, {@code %(_)} has no value.
 */
final class Conditions {
    /** The env variable a vassal master sets when it re-reads its config for a reload ({@code if-reload}). */
    static final String RELOADS_ENV = "IMPERIUM_RELOADS";

    /** What a condition needs to know. */
    interface Context {
        Map<String, String> env();

        Path cwd();

        /** Returns the raw value of the first entry of an option written so far, or null. */
        String firstValue(String key);

        String hostname();
    }

    /**
     * The outcome of a condition.
     *
     * @param taken whether the block's entries count
     * @param underscore the value of {@code %(_)} inside the block, or null when there is none
     */
    record Outcome(boolean taken, String underscore) {
    }

    private Conditions() {
    }

    static Outcome test(String kind, String arg, Context context, Origin origin, Diagnostics diagnostics) {
        java.util.function.Predicate<java.util.function.Predicate<Path>> file =
                test -> is(context, arg, origin, kind, diagnostics, test);
        return switch (kind) {
            case "if-env" -> named(arg, context.env().get(name(arg)), true);
            case "if-not-env" -> named(arg, context.env().get(name(arg)), false);
            case "if-opt" -> named(arg, context.firstValue(LoadSession.canonicalKey(name(arg))), true);
            case "if-not-opt" -> named(arg, context.firstValue(LoadSession.canonicalKey(name(arg))), false);
            case "if-exists" -> new Outcome(!arg.isEmpty() && file.test(Files::isReadable), arg);
            case "if-not-exists" -> new Outcome(arg.isEmpty() || !file.test(Files::isReadable), arg);
            case "if-file" -> new Outcome(!arg.isEmpty() && file.test(Files::isRegularFile), arg);
            case "if-not-file" -> new Outcome(arg.isEmpty() || !file.test(Files::isRegularFile), arg);
            case "if-dir" -> new Outcome(!arg.isEmpty() && file.test(Files::isDirectory), arg);
            case "if-not-dir" -> new Outcome(arg.isEmpty() || !file.test(Files::isDirectory), arg);
            case "if-plugin" -> new Outcome(Plugins.isBuiltIn(arg), arg);
            case "if-not-plugin" -> new Outcome(!Plugins.isBuiltIn(arg), arg);
            case "if-hostname" -> new Outcome(context.hostname().equals(arg), arg);
            case "if-not-hostname" -> new Outcome(!context.hostname().equals(arg), arg);
            case "if-hostname-match" -> new Outcome(matches(arg, context, origin, diagnostics), arg);
            case "if-not-hostname-match" -> new Outcome(!matches(arg, context, origin, diagnostics), arg);
            case "if-reload" -> new Outcome(isReload(context.env()), null);
            case "if-not-reload" -> new Outcome(!isReload(context.env()), null);
            default -> throw new IllegalArgumentException("not a condition: " + kind);
        };
    }

    /**
     * Tests the file {@code arg} names. An empty path names nothing (C's access("") fails), rather than the working
     * directory (the callers check); a name no file can have is reported and names nothing.
     */
    private static boolean is(Context context, String arg, Origin origin, String kind, Diagnostics diagnostics,
            java.util.function.Predicate<Path> test) {
        Path path = ConfigPaths.resolve(context.cwd(), arg, origin, kind, diagnostics);
        return path != null && test.test(path);
    }

    private static String name(String arg) {
        int eq = arg.indexOf('=');
        return eq < 0 ? arg : arg.substring(0, eq);
    }

    /** {@code NAME} or {@code NAME=VALUE} against the value found (null when unset). */
    private static Outcome named(String arg, String found, boolean positive) {
        int eq = arg.indexOf('=');
        boolean holds = found != null && (eq < 0 || arg.substring(eq + 1).equals(found));
        return new Outcome(holds == positive, found);
    }

    private static boolean matches(String regex, Context context, Origin origin, Diagnostics diagnostics) {
        try {
            return Pattern.compile(regex).matcher(context.hostname()).find();
        } catch (PatternSyntaxException e) {
            diagnostics.error(origin, null, "invalid regular expression '" + regex + "': " + e.getDescription());
            return false;
        }
    }

    private static boolean isReload(Map<String, String> env) {
        String reloads = env.get(RELOADS_ENV);
        return reloads != null && Expander.toLong(reloads) > 0;
    }
}
