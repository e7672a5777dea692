package dev.imperium.apps;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns {@code jvm-classpath} entries into class loader URLs: relative entries resolve against the vassal's
 * directory, {@code dir/*} expands to the jars in {@code dir} (sorted by name, as {@code java -cp} wildcards), and an
 * entry that does not exist is reported and skipped (the JVM uWSGI starts skips it silently).
 */
final class AppClasspath {
    private AppClasspath() {
    }

    /**
     * Resolves the entries.
     *
     * @param entries the {@code jvm-classpath} values, in order
     * @param directory what relative entries resolve against
     * @param warnings receives a line per missing entry
     * @return the URLs, in order
     * @throws AppLoadException if an entry cannot be turned into a URL or a wildcard directory cannot be listed
     */
    static URL[] urls(List<Path> entries, Path directory, Consumer<String> warnings) throws AppLoadException {
        List<URL> urls = new ArrayList<>();
        for (Path entry : entries) {
            Path path = directory.resolve(entry).normalize();
            if (path.getFileName() != null && path.getFileName().toString().equals("*")) {
                urls.addAll(jarsIn(path.getParent()));
            } else if (Files.exists(path)) {
                urls.add(url(path));
            } else {
                warnings.accept("[imperium-apps] jvm-classpath entry " + path + " does not exist; skipped");
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static List<URL> jarsIn(Path dir) throws AppLoadException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
            for (Path file : listing) {
                if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
                    jars.add(file);
                }
            }
        } catch (IOException e) {
            throw new AppLoadException("jvm-classpath: cannot list " + dir + "/*: " + e, e);
        }
        jars.sort(null);
        List<URL> urls = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            urls.add(url(jar));
        }
        return urls;
    }

    private static URL url(Path path) throws AppLoadException {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new AppLoadException("jvm-classpath: " + path + " is not a usable path: " + e, e);
        }
    }
}
