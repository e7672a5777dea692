package dev.imperium.tests.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built distribution and the samples are: system properties {@code imperium.dist}
 * ({@code cli/target/imperium}) and {@code imperium.samples} ({@code config-samples}), set by the tests' pom.
 */
public final class Dist {
    private Dist() {
    }

    /** Returns {@code <dist>/bin/<name>}, failing clearly if the distribution was not built. */
    public static Path bin(String name) {
        Path bin = home().resolve("bin").resolve(name);
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: build first (./mvnw -DskipTests package)");
        }
        return bin;
    }

    /** Returns the distribution's root. */
    public static Path home() {
        return Path.of(System.getProperty("imperium.dist", "../cli/target/imperium")).toAbsolutePath().normalize();
    }

    /** Returns the config-samples directory. */
    public static Path samples() {
        return Path.of(System.getProperty("imperium.samples", "../config-samples")).toAbsolutePath().normalize();
    }

    /** Returns the built hello-jwsgi sample jar. */
    public static Path helloJar() {
        return samples().resolve("apps/hello-jwsgi/target/hello-jwsgi.jar");
    }

    /**
     * A vassal file serving the hello-jwsgi sample on {@code http-socket = 127.0.0.1:PORT} with one worker, request
     * logging off, and {@code extra} lines (or "") at the end.
     */
    public static String helloVassal(int port, String extra) {
        return """
                [uwsgi]
                http-socket = 127.0.0.1:%d
                http-socket-modifier1 = 8
                processes = 1
                jvm-classpath = %s
                jwsgi = dev.imperium.samples.hello.HelloApp
                disable-logging = true
                %s
                """.formatted(port, helloJar(), extra);
    }

    /** Returns where the test apps ({@code dev.imperium.tests.apps}) were compiled: a class path a worker can load. */
    public static Path testApps() {
        try {
            return Path.of(dev.imperium.tests.apps.BlockingApp.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the built typed-api sample jar. */
    public static Path typedApiJar() {
        return samples().resolve("apps/typed-api/target/typed-api.jar");
    }
}
