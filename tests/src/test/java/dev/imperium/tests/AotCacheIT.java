package dev.imperium.tests;

import dev.imperium.tests.support.Dist;
import dev.imperium.tests.support.EmperorFixture;
import dev.imperium.tests.support.FreePorts;
import dev.imperium.tests.support.ManagedProcess;
import dev.imperium.tests.support.RawHttp;
import dev.imperium.tests.support.Vassals;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT caches of {@code lib/aot/} are used by masters and workers, and not used once a jar in {@code lib/} is
 * newer than the cache: JDK 25.0.3 and older would otherwise run the classes recorded in the cache instead of the
 * updated jar's (JDK-8377932).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AotCacheIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final Vassals vassals = new Vassals(() -> dir);

    @Test
    void aJarNewerThanTheCacheTurnsTheCacheOff() throws Exception {
        Path built = Dist.home().resolve("lib/aot/vassal.aot");
        assertThat(built).as("the build records lib/aot/vassal.aot (imperium aot-cache)").exists();
        try (Stream<Path> jars = Files.list(Dist.home().resolve("lib"))) {
            FileTime recorded = Files.getLastModifiedTime(built);
            Assumptions.assumeTrue(jars.filter(p -> p.toString().endsWith(".jar")).allMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p).compareTo(recorded) <= 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }), "the distribution's AOT caches are older than its jars (built with -Dimperium.aot.skip=true)");
        }
        Path home = copyOfTheDistribution();
        Path cache = home.resolve("lib/aot/vassal.aot");

        List<String> fresh = commandLines(home);
        assertThat(fresh).hasSize(3).allMatch(line -> line.contains("-XX:AOTCache=" + cache));

        Path jar;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("imperium-vassal-runtime-")).findFirst()
                    .orElseThrow();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(cache).toInstant().plusSeconds(1)));

        List<String> stale = commandLines(home);
        assertThat(stale).hasSize(3).noneMatch(line -> line.contains("-XX:AOTCache"));
    }

    /** Starts {@code bin/vassal} of {@code home} with 2 workers, checks it serves, and returns the command lines of
     * its master and workers. */
    private List<String> commandLines(Path home) throws IOException {
        int port = FreePorts.next();
        Files.writeString(dir.resolve("hello.ini"), "[uwsgi]\nhttp-socket = 127.0.0.1:" + port
                + "\nprocesses = 2\njvm-classpath = " + Dist.helloJar()
                + "\njwsgi = dev.imperium.samples.hello.HelloApp\n");
        ManagedProcess vassal = vassals.start(ManagedProcess.builder("vassal",
                        List.of(home.resolve("bin/vassal").toString(), "hello.ini"))
                .directory(dir).log(dir.resolve("console-" + port + ".log"))
                .env("JAVA_HOME", System.getProperty("java.home")));
        try {
            vassal.awaitLog(Pattern.compile("generation 1 accepting"), START);
            assertThat(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false,
                    Duration.ofSeconds(10)).bodyText()).isEqualTo("Hello from JWSGI\n");
            List<String> lines = new ArrayList<>();
            lines.add(commandLine(vassal.pid()));
            Set<Long> workers = EmperorFixture.workers(vassal.pid());
            for (long worker : workers) {
                lines.add(commandLine(worker));
            }
            return lines;
        } finally {
            vassal.close();
        }
    }

    private static String commandLine(long pid) throws IOException {
        return String.join(" ", Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
    }

    /** Copies bin/ and lib/ (jars and caches) with their modification times into the test's directory. */
    private Path copyOfTheDistribution() throws IOException {
        Path source = Dist.home();
        Path target = dir.resolve("imperium");
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(file -> {
                try {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return target;
    }
}
