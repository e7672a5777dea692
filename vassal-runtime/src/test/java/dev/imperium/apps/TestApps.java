package dev.imperium.apps;

import dev.imperium.app.HttpApp;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Compiles app sources at test time into a directory or a jar that is NOT on the test class path, so that class
 * loader isolation is tested for real. Sources compile against Imperium's classes (for {@code dev.imperium.app}).
 */
final class TestApps {
    private TestApps() {
    }

    /** Compiles {@code sources} (file path to text, e.g. {@code demo/App.java}) into {@code outputDir}. */
    static Path compile(Path workDir, Path outputDir, Map<String, String> sources) {
        try {
            Path sourceDir = Files.createDirectories(workDir.resolve("src-" + outputDir.getFileName()));
            List<String> args = new ArrayList<>(List.of("-d", outputDir.toString(), "-classpath", imperiumClasses(),
                    "-proc:none", "-Xlint:none"));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceDir.resolve(source.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            Files.createDirectories(outputDir);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = javac.run(null, OutputStream.nullOutputStream(), errors, args.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("test app did not compile:\n"
                        + errors.toString(StandardCharsets.UTF_8));
            }
            return outputDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Packs a directory of classes into a jar. */
    static Path jar(Path classesDir, Path jarFile) {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile));
                Stream<Path> files = Files.walk(classesDir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classesDir.relativize(file).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
            return jarFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String imperiumClasses() {
        try {
            return Path.of(HttpApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
