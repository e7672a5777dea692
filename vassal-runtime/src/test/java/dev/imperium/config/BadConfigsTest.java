package dev.imperium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, bad configs: every file of the corpus ({@link BadConfigCorpus}, {@code badconfigs/expected.tsv}) is rejected
 * by the loader with a message naming the file and the cause, within a bounded time and allocation. Prints the time
 * and the bytes allocated per rejection.
 */
class BadConfigsTest {
    /** The most one rejection may take, on a loaded 2-CPU machine. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** The most one rejection may allocate (not retain: the JVM's heap is larger), in bytes. */
    private static final long MAX_ALLOCATED = 256L << 20;

    @TempDir
    static Path dir;
    private static Map<String, String> expected;
    private static final ConcurrentLinkedQueue<String> figures = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void writeCorpus() throws IOException, URISyntaxException {
        Path source = Path.of(BadConfigsTest.class.getResource("/badconfigs/expected.tsv").toURI()).getParent();
        expected = BadConfigCorpus.write(source, dir);
    }

    @AfterAll
    static void printFigures() {
        System.out.println("bad configs: " + figures.size() + " files rejected (name, ms, MiB allocated, first line)");
        figures.forEach(System.out::println);
    }

    @TestFactory
    Stream<DynamicTest> everyFileIsRejectedWithAClearMessage() {
        return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> rejects(e.getKey(),
                e.getValue())));
    }

    private static void rejects(String name, String pattern) {
        if (name.equals("unreadable.ini")) {
            Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        }
        ConfigLoader loader = new ConfigLoader(new LoaderOptions(Map.of(), true, dir));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        String[] message = new String[1];
        long[] allocated = new long[1];
        long start = System.nanoTime();
        assertTimeoutPreemptively(BOUND, () -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                VassalConfig config = loader.load(name);
                fail(name + " was accepted: " + config.entries().size() + " entries, warnings "
                        + config.diagnostics());
            } catch (ConfigException e) {
                message[0] = e.getMessage();
            } finally {
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }
        }, name + " was not rejected within " + BOUND);
        long millis = (System.nanoTime() - start) / 1_000_000;
        String first = message[0].lines().findFirst().orElse("");
        figures.add(String.format(Locale.ROOT, "%-32s %6d ms %8.1f MiB  %s", name, millis, allocated[0] / 1048576.0,
                first.length() > 200 ? first.substring(0, 200) + "..." : first));
        assertThat(message[0]).as("the message names a file of the corpus").contains(dir.toString());
        assertThat(Pattern.compile(pattern).matcher(message[0]).find())
                .as("message of %s:%n%s%nshould contain /%s/", name, abbreviate(message[0]), pattern).isTrue();
        assertThat(message[0].length()).as("the message stays short").isLessThan(16 * 1024);
        assertThat(allocated[0]).as("bytes allocated rejecting %s", name).isLessThan(MAX_ALLOCATED);
    }

    private static String abbreviate(String s) {
        List<String> lines = s.lines().limit(10).map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l).toList();
        return String.join("\n", lines);
    }
}
