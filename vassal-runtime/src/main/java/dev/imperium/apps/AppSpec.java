package dev.imperium.apps;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a vassal's config says about its app, for {@link AppLoader#load}.
 *
 * @param classpath the {@code jvm-classpath} entries, in order: jars or directories; relative ones resolve against
 *     {@code directory}; an entry whose last element is {@code *} stands for every jar in that directory (as
 *     {@code java -cp} does, which is what uWSGI hands them to)
 * @param jwsgi the {@code jwsgi} value, {@code Class[:method]}, or null
 * @param imperiumApp the {@code imperium-app} value, the class name of a {@code dev.imperium.app.HttpApp}, or null
 * @param needApp the {@code need-app} flag: no app configured is then an error too
 * @param directory the vassal's working directory ({@code chdir}, else the directory it was started in)
 */
public record AppSpec(List<Path> classpath, String jwsgi, String imperiumApp, boolean needApp, Path directory) {

    /** Copies the classpath and requires the directory. */
    public AppSpec {
        classpath = List.copyOf(classpath);
        Objects.requireNonNull(directory, "directory");
    }

    /**
     * A spec without {@code need-app}, resolving relative paths against the current working directory.
     *
     * @param classpath the {@code jvm-classpath} entries
     * @param jwsgi the {@code jwsgi} value or null
     * @param imperiumApp the {@code imperium-app} value or null
     */
    public AppSpec(List<Path> classpath, String jwsgi, String imperiumApp) {
        this(classpath, jwsgi, imperiumApp, false, Path.of("").toAbsolutePath());
    }

    /** Returns true if {@code jwsgi} or {@code imperium-app} is set. */
    public boolean hasApp() {
        return jwsgi != null || imperiumApp != null;
    }
}
